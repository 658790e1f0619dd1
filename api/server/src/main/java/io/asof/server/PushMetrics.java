package io.asof.server;

import io.asof.push.PushListener;
import io.asof.push.PushService;
import io.asof.push.PushView;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Push ingestion's metrics: commits and their latency as they happen, buffers when scraped. */
final class PushMetrics implements PushListener {
  private final Metrics metrics;

  PushMetrics(Metrics metrics) {
    this.metrics = metrics;
  }

  void pushed(String view, int rows) {
    metrics.count("asof.push.rows", "Rows taken by POST /v1/push, by view.", label(view), rows);
  }

  @Override
  public void committed(PushView view, long rows, Duration took) {
    Tags labels = label(view.name());
    metrics.observe(
        "asof.push.commit",
        "How long each micro-batch commit to a push view's Iceberg table took.",
        labels,
        took);
    metrics.count(
        "asof.push.committed.rows", "Rows committed to push views' tables.", labels, rows);
  }

  @Override
  public void commitFailed(PushView view, String message) {
    metrics.count(
        "asof.push.commit.failures",
        "Micro-batch commits that failed and are tried again.",
        label(view.name()),
        1);
  }

  @Override
  public void wroteOnline(PushView view, long records, Duration lag) {
    Tags labels = label(view.name());
    metrics.count(
        "asof.push.online.records",
        "Newest values of pushed keys written to the online store.",
        labels,
        records);
    metrics.observe(
        "asof.push.online.lag", "From a push being taken to its rows being online.", labels, lag);
  }

  @Override
  public void onlineFailed(PushView view, String message) {
    metrics.count(
        "asof.push.online.failures",
        "Online writes of pushed rows that failed and are tried again.",
        label(view.name()),
        1);
  }

  /** Gauges read from the service when scraped. */
  static Supplier<List<Metrics.Gauge>> gauges(Supplier<PushService> service) {
    return () -> {
      List<Metrics.Gauge> gauges = new ArrayList<>();
      PushService push = service.get();
      if (push == null) {
        return gauges;
      }
      PushService.Status status = push.status();
      for (PushService.ViewStatus view : status.views()) {
        Tags labels = Tags.of("view", view.view(), "version", Integer.toString(view.version()));
        gauges.add(
            new Metrics.Gauge(
                "asof.push.buffered.rows",
                "Rows of a push view waiting for their micro-batch commit (the buffer's depth).",
                labels,
                view.bufferedRows()));
        gauges.add(
            new Metrics.Gauge(
                "asof.push.last.commit.rows",
                "Rows in a push view's last micro-batch commit.",
                labels,
                view.lastCommitRows()));
        gauges.add(
            new Metrics.Gauge(
                "asof.push.online.queued.batches",
                "Pushes of an online push view waiting to be written online.",
                labels,
                view.onlineQueuedBatches()));
      }
      gauges.add(
          new Metrics.Gauge(
              "asof.push.log.bytes",
              "Bytes of the push log on disk.",
              Tags.empty(),
              status.logBytes()));
      gauges.add(
          new Metrics.Gauge(
              "asof.push.log.entries",
              "Pushes the push log holds (not yet committed and online, or not yet released).",
              Tags.empty(),
              status.logEntries()));
      return gauges;
    };
  }

  private static Tags label(String view) {
    return Tags.of("view", view);
  }
}
