package io.asof.jobs;

import io.asof.compiler.CompiledTrainingSet;
import io.asof.compiler.pit.OnlineSpineSql;
import io.asof.compiler.pit.PitRequest;
import io.asof.compiler.pit.PitView;
import io.asof.compiler.pit.PointInTimeSql;
import io.asof.registry.AppliedView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The offline values the online store must hold: the spines that put a view's keys at one moment
 * (every key with rows since a load, or a sample of keys), compiled as a point-in-time training set
 * over that one view and streamed, and the values converted to the types the store takes. Loads and
 * consistency checks both read them, so online equals offline by construction.
 */
final class OfflineValues {
  private final TrainingSetService trainingSets;

  OfflineValues(TrainingSetService trainingSets) {
    this.trainingSets = trainingSets;
  }

  /** What the load's spine reads keys from: the backfilled table, else the published view. */
  String source(AppliedView view) {
    return trainingSets.sources().keys(view);
  }

  /**
   * The set with the view's created-time column also taken, after its features: stores break ties
   * on event time by the winning row's created time (OnlineRecord#newer), as offline does.
   */
  static CompiledTrainingSet withCreatedTime(CompiledTrainingSet set) {
    PitView view = set.request().views().getFirst();
    if (view.createdTime().isEmpty()) {
      return set;
    }
    List<String> features = new ArrayList<>(view.features());
    features.add(view.createdTime().get());
    PitView taking =
        new PitView(
            view.name(),
            view.sourceSql(),
            view.keys(),
            view.eventTime(),
            view.createdTime(),
            view.ttl(),
            view.columns(),
            features,
            view.holdBackLate(),
            view.withEventTime(),
            view.prune(),
            view.lookup(),
            view.validUntil());
    PitRequest request =
        new PitRequest(
            set.request().spineSql(),
            set.request().spineColumns(),
            set.request().timestamp(),
            List.of(taking));
    return new CompiledTrainingSet(
        set.spec(),
        set.views(),
        request,
        PointInTimeSql.plan(request),
        set.pinned(),
        set.viewsAsOf());
  }

  CompiledTrainingSet compile(String view, String spineSql) {
    AdHocTrainingSet adHoc =
        new AdHocTrainingSet(
            "online values of " + view,
            () -> spineSql,
            Path.of("online " + view),
            OnlineSpineSql.NOW_COLUMN,
            List.of(view + ":*"),
            Path.of("online " + view),
            Optional.empty(),
            Optional.empty(),
            true);
    try {
      return trainingSets.compile("online_" + view, Optional.of(adHoc));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Object> key(List<Object> row, int keyCount) {
    List<Object> key = new ArrayList<>(keyCount);
    for (int i = 0; i < keyCount; i++) {
      key.add(normalize(row.get(i)));
    }
    return key;
  }

  /** A value as the engine gives it, in the Java type the online store takes. */
  static Object normalize(Object value) {
    return switch (value) {
      case java.sql.Timestamp timestamp -> timestamp.toLocalDateTime();
      case java.sql.Date date -> date.toLocalDate();
      case null, default -> value;
    };
  }

  /** An event time as the engine gives it (a timestamp without time zone, in UTC) as an instant. */
  static Instant instant(Object value) {
    return switch (normalize(value)) {
      case LocalDateTime local -> local.toInstant(ZoneOffset.UTC);
      case LocalDate date -> date.atStartOfDay().toInstant(ZoneOffset.UTC);
      case java.time.ZonedDateTime zoned -> zoned.toInstant();
      case Instant instant -> instant;
      default ->
          throw new IllegalArgumentException(
              "an event time is a timestamp, got " + value.getClass().getSimpleName());
    };
  }

  /** Streams a compiled set's rows in the spine's order. */
  void stream(CompiledTrainingSet set, io.asof.engine.RowConsumer sink) {
    trainingSets.stream(set, sink);
  }

  /** Streams a compiled set's rows in any order (Athena unloads a large set instead of paging). */
  void streamUnordered(CompiledTrainingSet set, io.asof.engine.RowConsumer sink) {
    trainingSets.streamUnordered(set, sink);
  }
}
