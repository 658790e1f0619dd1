package io.asof.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The server's metrics, written in the Prometheus text format ({@code GET /metrics}): counters and
 * latency histograms kept here, gauges read when scraped. Counting is lock-free (one {@link
 * LongAdder} per series) so that it costs a request next to nothing.
 */
final class Metrics {
  /** Latency bucket bounds, in seconds. */
  private static final double[] BOUNDS = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
  };

  private record Series(String name, String labels) {}

  private final Map<String, String> help = new ConcurrentHashMap<>();
  private final Map<String, String> kinds = new ConcurrentHashMap<>();
  private final Map<Series, LongAdder> counters = new ConcurrentHashMap<>();
  private final Map<Series, Histogram> histograms = new ConcurrentHashMap<>();
  private final List<Supplier<List<Gauge>>> gauges =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** One gauge value, as scraped. */
  record Gauge(String name, String help, String labels, double value) {}

  private static final class Histogram {
    final LongAdder[] buckets = new LongAdder[BOUNDS.length + 1];
    final LongAdder count = new LongAdder();
    final java.util.concurrent.atomic.DoubleAdder sum =
        new java.util.concurrent.atomic.DoubleAdder();

    Histogram() {
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] = new LongAdder();
      }
    }

    void observe(double seconds) {
      int i = 0;
      while (i < BOUNDS.length && seconds > BOUNDS[i]) {
        i++;
      }
      buckets[i].increment();
      count.increment();
      sum.add(seconds);
    }
  }

  /** Adds {@code amount} to a counter; {@code labels} as Prometheus writes them, {@code a="b"}. */
  void count(String name, String helpText, String labels, long amount) {
    help.putIfAbsent(name, helpText);
    kinds.putIfAbsent(name, "counter");
    counters.computeIfAbsent(new Series(name, labels), s -> new LongAdder()).add(amount);
  }

  /** Records one observation of a duration, in seconds. */
  void observe(String name, String helpText, String labels, double seconds) {
    help.putIfAbsent(name, helpText);
    kinds.putIfAbsent(name, "histogram");
    histograms.computeIfAbsent(new Series(name, labels), s -> new Histogram()).observe(seconds);
  }

  /** Adds gauges computed when metrics are scraped. */
  void gauges(Supplier<List<Gauge>> supplier) {
    gauges.add(supplier);
  }

  /** Everything, in the Prometheus text exposition format (version 0.0.4). */
  String scrape() {
    StringBuilder out = new StringBuilder();
    Map<String, List<String>> lines = new TreeMap<>();
    counters.forEach(
        (series, value) ->
            lines
                .computeIfAbsent(series.name(), n -> new ArrayList<>())
                .add(sample(series.name(), series.labels(), (double) value.sum())));
    histograms.forEach(
        (series, histogram) -> {
          List<String> samples = lines.computeIfAbsent(series.name(), n -> new ArrayList<>());
          long cumulative = 0;
          for (int i = 0; i <= BOUNDS.length; i++) {
            cumulative += histogram.buckets[i].sum();
            String le = i < BOUNDS.length ? Double.toString(BOUNDS[i]) : "+Inf";
            samples.add(
                sample(
                    series.name() + "_bucket",
                    join(series.labels(), "le=\"" + le + "\""),
                    (double) cumulative));
          }
          samples.add(
              sample(series.name() + "_count", series.labels(), (double) histogram.count.sum()));
          samples.add(sample(series.name() + "_sum", series.labels(), histogram.sum.sum()));
        });
    lines.forEach(
        (name, samples) -> {
          out.append("# HELP ").append(name).append(' ').append(help.get(name)).append('\n');
          out.append("# TYPE ").append(name).append(' ').append(kinds.get(name)).append('\n');
          samples.stream().sorted().forEach(line -> out.append(line).append('\n'));
        });
    Map<String, List<Gauge>> byName = new TreeMap<>();
    for (Supplier<List<Gauge>> supplier : gauges) {
      for (Gauge gauge : supplier.get()) {
        byName.computeIfAbsent(gauge.name(), n -> new ArrayList<>()).add(gauge);
      }
    }
    byName.forEach(
        (name, values) -> {
          out.append("# HELP ")
              .append(name)
              .append(' ')
              .append(values.getFirst().help())
              .append('\n');
          out.append("# TYPE ").append(name).append(" gauge\n");
          for (Gauge gauge : values) {
            out.append(sample(name, gauge.labels(), gauge.value())).append('\n');
          }
        });
    return out.toString();
  }

  /** A label value escaped as Prometheus wants it. */
  static String label(String name, String value) {
    return name
        + "=\""
        + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")
        + "\"";
  }

  private static String join(String labels, String more) {
    return labels.isEmpty() ? more : labels + "," + more;
  }

  private static String sample(String name, String labels, double value) {
    String number =
        value == Math.rint(value) && !Double.isInfinite(value)
            ? Long.toString((long) value)
            : Double.toString(value);
    return labels.isEmpty() ? name + " " + number : name + "{" + labels + "} " + number;
  }
}
