package io.asof.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The server's metrics ({@code GET /metrics}, the Prometheus text format): Micrometer's Prometheus
 * registry, with counters and latency timers recorded as things happen and gauges read from their
 * sources when scraped.
 *
 * <p>Meters are named as Micrometer names them ({@code asof.push.rows}); the registry writes them
 * with Prometheus's conventions: a counter gains {@code _total}, a timer {@code _seconds} with
 * {@code _bucket}, {@code _count}, {@code _sum} and {@code _max}.
 */
final class Metrics {
  /**
   * The timers' histogram bucket bounds: from 50 µs, fine below 5 ms so that a read served from
   * memory or one DynamoDB round trip is resolved, not just counted under 1 ms.
   */
  private static final Duration[] BOUNDS =
      Stream.of(
              50,
              100,
              150,
              200,
              300,
              400,
              500,
              750,
              1_000,
              1_500,
              2_000,
              2_500,
              3_500,
              5_000,
              7_500,
              10_000,
              15_000,
              25_000,
              50_000,
              100_000,
              250_000,
              500_000,
              1_000_000,
              2_500_000,
              5_000_000,
              10_000_000)
          .map(micros -> Duration.ofNanos(micros * 1_000L))
          .toArray(Duration[]::new);

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final List<Supplier<List<Gauge>>> gauges = new CopyOnWriteArrayList<>();
  private final Map<String, MultiGauge> multiGauges = new ConcurrentHashMap<>();

  /**
   * One gauge value, as scraped.
   *
   * @param name the meter's name, e.g. {@code asof.push.buffered.rows}
   * @param baseUnit the unit the registry appends to the name ({@code seconds}), or null
   */
  record Gauge(String name, String help, String baseUnit, Tags tags, double value) {
    Gauge(String name, String help, Tags tags, double value) {
      this(name, help, null, tags, value);
    }
  }

  /** Adds {@code amount} to a counter. */
  void count(String name, String help, Tags tags, long amount) {
    Counter.builder(name)
        .description(help)
        .tags(tags)
        .register(registry)
        .increment((double) amount);
  }

  /** Records one duration. */
  void observe(String name, String help, Tags tags, Duration took) {
    Timer.builder(name)
        .description(help)
        .tags(tags)
        .serviceLevelObjectives(BOUNDS)
        .register(registry)
        .record(took);
  }

  /** Adds gauges computed when metrics are scraped. */
  void gauges(Supplier<List<Gauge>> supplier) {
    gauges.add(supplier);
  }

  /** Everything, in the Prometheus text exposition format (version 0.0.4). */
  String scrape() {
    Map<String, List<Gauge>> byName = new LinkedHashMap<>();
    for (Supplier<List<Gauge>> supplier : gauges) {
      for (Gauge gauge : supplier.get()) {
        byName.computeIfAbsent(gauge.name(), n -> new ArrayList<>()).add(gauge);
      }
    }
    multiGauges.forEach((name, gauge) -> byName.putIfAbsent(name, List.of()));
    byName.forEach(
        (name, values) -> {
          MultiGauge gauge =
              multiGauges.computeIfAbsent(
                  name,
                  n ->
                      MultiGauge.builder(n)
                          .description(values.getFirst().help())
                          .baseUnit(values.getFirst().baseUnit())
                          .register(registry));
          gauge.register(
              values.stream()
                  .map(v -> MultiGauge.Row.of(v.tags(), v.value()))
                  .<MultiGauge.Row<?>>map(row -> row)
                  .toList(),
              true);
        });
    return registry.scrape();
  }
}
