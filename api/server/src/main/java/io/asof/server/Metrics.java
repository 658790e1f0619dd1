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
  /** The timers' histogram bucket bounds. */
  private static final Duration[] BOUNDS = {
    Duration.ofNanos(500_000),
    Duration.ofMillis(1),
    Duration.ofNanos(2_500_000),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2_500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10)
  };

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
