package io.asof.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestMetrics {
  @Test
  void countersTimersAndGaugesAreWrittenInThePrometheusFormat() {
    Metrics metrics = new Metrics();
    metrics.count("asof.push.rows", "Rows pushed.", Tags.of("view", "clicks"), 3);
    metrics.count("asof.push.rows", "Rows pushed.", Tags.of("view", "clicks"), 4);
    metrics.observe(
        "asof.http.request.duration",
        "Time to answer.",
        Tags.of("route", "/v1/online-features", "status", "200"),
        Duration.ofMillis(3));
    List<Metrics.Gauge> buffered = new ArrayList<>();
    buffered.add(
        new Metrics.Gauge("asof.push.buffered.rows", "Buffered.", Tags.of("view", "a"), 5));
    buffered.add(
        new Metrics.Gauge("asof.online.cache.age", "Age.", "seconds", Tags.of("table", "t"), 1.5));
    metrics.gauges(() -> List.copyOf(buffered));

    String scraped = metrics.scrape();

    assertThat(scraped)
        .contains("# TYPE asof_push_rows_total counter")
        .contains("asof_push_rows_total{view=\"clicks\"} 7.0")
        .contains("# TYPE asof_http_request_duration_seconds histogram")
        .contains(
            "asof_http_request_duration_seconds_bucket{route=\"/v1/online-features\",status=\"200\",le=\"0.0025\"} 0")
        .contains(
            "asof_http_request_duration_seconds_bucket{route=\"/v1/online-features\",status=\"200\",le=\"0.005\"} 1")
        // buckets from 50 µs, fine enough below 5 ms to tell a cached read from a DynamoDB one
        .contains(
            "asof_http_request_duration_seconds_bucket{route=\"/v1/online-features\",status=\"200\",le=\"5.0E-5\"} 0")
        .contains(
            "asof_http_request_duration_seconds_bucket{route=\"/v1/online-features\",status=\"200\",le=\"0.0035\"} 1")
        .contains(
            "asof_http_request_duration_seconds_count{route=\"/v1/online-features\",status=\"200\"} 1")
        .contains("asof_push_buffered_rows{view=\"a\"} 5.0")
        .contains("asof_online_cache_age_seconds{table=\"t\"} 1.5");

    // a series its source no longer reports is gone at the next scrape
    buffered.removeFirst();
    assertThat(metrics.scrape())
        .doesNotContain("asof_push_buffered_rows{view=\"a\"}")
        .contains("asof_online_cache_age_seconds{table=\"t\"} 1.5");
  }
}
