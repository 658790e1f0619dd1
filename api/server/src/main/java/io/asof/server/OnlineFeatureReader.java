package io.asof.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.asof.compiler.window.WindowTiles;
import io.asof.jobs.WindowedOnline;
import io.asof.model.Column;
import io.asof.model.FeatureRef;
import io.asof.model.FeatureServiceSpec;
import io.asof.model.Suggestions;
import io.asof.online.KeyRead;
import io.asof.online.OnlineRecord;
import io.asof.online.OnlineStore;
import io.asof.online.OnlineStoreException;
import io.asof.server.OnlineCatalog.Served;
import io.asof.server.OnlineCatalog.Snapshot;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads the values served at now for entity rows: resolves the features asked for (or a feature
 * service's) against the {@link OnlineCatalog}'s snapshot, checks each entity row's keys and the
 * request's limits before anything is read, reads the online store (each view's keys once, the
 * views in parallel), and gives each value a status and an event time. A request the caller can fix
 * is an {@link ApiException} with its status; a store that cannot be read is a 503.
 */
final class OnlineFeatureReader {
  /** The most entity rows one request may ask for. */
  static final int MAX_ENTITIES = 1_000;

  /** The most feature references one request may give (before de-duplication). */
  static final int MAX_FEATURE_REFS = 1_000;

  /**
   * The most values (entity rows × features, after {@code view:*} is expanded) one answer holds.
   */
  static final int MAX_VALUES = 100_000;

  /**
   * The most online-store items one request may read: an aggregation view reads a dozen or so tile
   * items per entity row (the minute, hour and day tiles its windows cover at the moment of the
   * read), another view one.
   */
  static final int MAX_ITEM_READS = 10_000;

  /** The largest request body: 1,000 entity rows of a few keys fit many times over. */
  static final long MAX_BODY_BYTES = 1L << 20;

  /** The value's status. */
  enum Status {
    /** The entity has a value at now. */
    PRESENT,
    /** The entity has no value: no row, or none before now. */
    NOT_FOUND,
    /** The entity's latest value is older than the view's TTL. */
    EXPIRED,
    /** The store did not answer for this entity; see {@code errors}. */
    UNAVAILABLE
  }

  /** One entity row's answer: a value, a status and an event time per feature, in order. */
  record Result(
      List<Object> values,
      List<String> statuses,
      @JsonProperty("event_times") List<String> eventTimes) {}

  /** The views whose reads failed for some entity rows, and why. */
  record ReadError(String view, List<Integer> entities, String message) {}

  /**
   * The answer, which {@link OnlineRoutes} writes as the reply as it is: the features' names
   * ({@code view:feature}), one result per entity row, and {@code errors} only when some failed.
   */
  record Answer(
      List<String> features,
      List<Result> results,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ReadError> errors) {}

  private final OnlineCatalog catalog;
  private final OnlineStore store;
  private final Metrics metrics;
  private final Clock clock;

  OnlineFeatureReader(OnlineCatalog catalog, OnlineStore store, Metrics metrics, Clock clock) {
    this.catalog = catalog;
    this.store = store;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** One view a request reads, and which of its features go where in the output. */
  private record Read(Served served, List<Integer> featureIndexes, List<Integer> outputIndexes) {}

  /** The values of {@code request}'s features for its entity rows, at now. */
  Answer read(OnlineFeaturesRequest request) {
    List<Map<String, JsonNode>> entities = request.entities();
    if (entities == null || entities.isEmpty()) {
      throw new ApiException(
          400, "entities is missing or empty: give at least one entity row, e.g. {\"user_id\": 1}");
    }
    if (entities.size() > MAX_ENTITIES) {
      throw ApiException.tooLarge(
          "%,d entity rows: a request reads at most %,d; split it into several requests"
              .formatted(entities.size(), MAX_ENTITIES),
          MAX_ENTITIES);
    }
    Snapshot snapshot = catalog.snapshot();
    List<FeatureRef> refs = refs(request, snapshot);
    List<String> names = new ArrayList<>();
    Map<String, Read> reads = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    for (FeatureRef ref : refs) {
      Served served = served(ref, snapshot);
      List<Column> features = served.table().features();
      List<Integer> indexes = new ArrayList<>();
      if (ref.all()) {
        for (int i = 0; i < features.size(); i++) {
          indexes.add(i);
        }
      } else {
        int index = indexOf(features, ref.feature());
        if (index < 0) {
          throw new ApiException(
              400,
              "unknown feature %s: view %s has %s%s"
                  .formatted(
                      ref,
                      ref.view(),
                      String.join(", ", features.stream().map(Column::name).toList()),
                      Suggestions.didYouMean(
                          ref.feature(), features.stream().map(Column::name).toList())));
        }
        indexes.add(index);
      }
      Read read =
          reads.computeIfAbsent(
              ref.view(), v -> new Read(served, new ArrayList<>(), new ArrayList<>()));
      for (int index : indexes) {
        String name = ref.view() + ":" + features.get(index).name();
        if (!seen.add(name)) {
          continue; // asked for twice (v:a and v:*): answered once
        }
        if ((long) (names.size() + 1) * entities.size() > MAX_VALUES) {
          throw ApiException.tooLarge(
              "%,d entity rows × more than %,d features: an answer holds at most %,d values; ask for fewer features or entity rows per request"
                  .formatted(entities.size(), names.size(), MAX_VALUES),
              MAX_VALUES);
        }
        read.featureIndexes().add(index);
        read.outputIndexes().add(names.size());
        names.add(name);
      }
    }
    itemReads(reads.values(), entities.size());
    // the keys of every entity row, per view, checked before anything is read
    Map<String, List<List<Object>>> keys = new LinkedHashMap<>();
    for (Read read : reads.values()) {
      keys.put(read.served().group().view(), EntityKeys.keys(entities, read.served()));
    }
    Map<String, List<KeyRead>> found = readAll(reads, keys);
    Instant now = clock.instant();
    int width = names.size();
    List<Object[]> values = new ArrayList<>(entities.size());
    List<String[]> statuses = new ArrayList<>(entities.size());
    List<String[]> eventTimes = new ArrayList<>(entities.size());
    for (int e = 0; e < entities.size(); e++) {
      values.add(new Object[width]);
      statuses.add(new String[width]);
      eventTimes.add(new String[width]);
    }
    List<ReadError> errors = new ArrayList<>();
    for (Read read : reads.values()) {
      String view = read.served().group().view();
      List<KeyRead> keyReads = found.get(view);
      List<List<Object>> viewKeys = keys.get(view);
      java.util.EnumMap<Status, Long> counts = new java.util.EnumMap<>(Status.class);
      List<Integer> failed = new ArrayList<>();
      String failure = null;
      for (int e = 0; e < entities.size(); e++) {
        KeyRead keyRead = viewKeys.get(e) == null ? KeyRead.MISSING : keyReads.get(e);
        Status status;
        OnlineRecord record = keyRead.record().orElse(null);
        if (keyRead.failure().isPresent()) {
          status = Status.UNAVAILABLE;
          failed.add(e);
          failure = keyRead.failure().get();
        } else if (record == null) {
          status = Status.NOT_FOUND;
        } else if (record.expired(now)) {
          status = Status.EXPIRED;
        } else {
          status = Status.PRESENT;
        }
        counts.merge(status, 1L, Long::sum);
        String eventTime = record == null ? null : record.eventTime().toString();
        for (int f = 0; f < read.featureIndexes().size(); f++) {
          int out = read.outputIndexes().get(f);
          values.get(e)[out] =
              status == Status.PRESENT
                  ? Json.value(record.values().get(read.featureIndexes().get(f)))
                  : null;
          statuses.get(e)[out] = status.name();
          eventTimes.get(e)[out] = eventTime;
        }
      }
      for (Status status : Status.values()) {
        if (counts.containsKey(status)) {
          metrics.count(
              "asof.online.entities",
              "Entity lookups served online, by view and status.",
              Tags.of("view", view, "status", status.name()),
              counts.get(status));
        }
      }
      if (!failed.isEmpty()) {
        errors.add(new ReadError(view, failed, failure));
      }
    }
    List<Result> results = new ArrayList<>(entities.size());
    for (int e = 0; e < entities.size(); e++) {
      results.add(
          new Result(
              Arrays.asList(values.get(e)),
              Arrays.asList(statuses.get(e)),
              Arrays.asList(eventTimes.get(e))));
    }
    return new Answer(names, results, errors);
  }

  /** The features asked for: the request's references, or its feature service's. */
  private static List<FeatureRef> refs(OnlineFeaturesRequest request, Snapshot snapshot) {
    List<String> features = request.features() == null ? List.of() : request.features();
    if (!features.isEmpty() && request.featureService() != null) {
      throw new ApiException(400, "give features or feature_service, not both");
    }
    if (request.featureService() != null) {
      FeatureServiceSpec service = snapshot.services().get(request.featureService());
      if (service == null) {
        throw new ApiException(
            400,
            "unknown feature service %s%s"
                .formatted(
                    request.featureService(),
                    Suggestions.didYouMean(
                        request.featureService(), List.copyOf(snapshot.services().keySet()))));
      }
      return service.features();
    }
    if (features.isEmpty()) {
      throw new ApiException(
          400,
          "features is missing or empty: name them [\"view:feature\", \"view:*\", ...] or give feature_service");
    }
    if (features.size() > MAX_FEATURE_REFS) {
      throw ApiException.tooLarge(
          "features names %,d references: a request gives at most %,d; use view:* or a feature service"
              .formatted(features.size(), MAX_FEATURE_REFS),
          MAX_FEATURE_REFS);
    }
    Set<FeatureRef> refs = new LinkedHashSet<>();
    for (String text : features) {
      if (text == null) {
        throw new ApiException(
            400, "features holds a null: each is \"view:feature\" or \"view:*\"");
      }
      try {
        refs.add(FeatureRef.parse(text.strip()));
      } catch (IllegalArgumentException e) {
        throw new ApiException(400, e.getMessage());
      }
    }
    return List.copyOf(refs);
  }

  /** The online view a reference reads, or why it cannot be served. */
  private static Served served(FeatureRef ref, Snapshot snapshot) {
    Served served = snapshot.online().get(ref.view());
    if (served == null || !served.enabled()) {
      if (!snapshot.views().containsKey(ref.view())) {
        throw new ApiException(
            400,
            "unknown feature view %s in %s%s"
                .formatted(
                    ref.view(),
                    ref,
                    Suggestions.didYouMean(ref.view(), List.copyOf(snapshot.views().keySet()))));
      }
      throw new ApiException(
          400,
          "view %s is not online%s: switch it on with ./asof online enable %s (online views: %s)"
              .formatted(
                  ref.view(),
                  served == null ? "" : " (disabled at " + served.group().updatedAt() + ")",
                  ref.view(),
                  online(snapshot)));
    }
    if (ref.version().isPresent() && ref.version().getAsInt() != served.group().version()) {
      throw new ApiException(
          400,
          "%s: online serves version %d of %s only; name it without @%d"
              .formatted(ref, served.group().version(), ref.view(), ref.version().getAsInt()));
    }
    return served;
  }

  private static String online(Snapshot snapshot) {
    List<String> names =
        snapshot.online().values().stream()
            .filter(Served::enabled)
            .map(s -> s.group().view())
            .toList();
    return names.isEmpty() ? "none" : String.join(", ", names);
  }

  /**
   * Reads every view's keys (each view's distinct keys once), the views in parallel when there are
   * several; a key that is null reads nothing.
   */
  private Map<String, List<KeyRead>> readAll(
      Map<String, Read> reads, Map<String, List<List<Object>>> keys) {
    Map<String, List<KeyRead>> found = new HashMap<>();
    if (reads.size() == 1) {
      Read read = reads.values().iterator().next();
      String view = read.served().group().view();
      found.put(view, read(read.served(), keys.get(view)));
      return found;
    }
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      Map<String, Future<List<KeyRead>>> futures = new LinkedHashMap<>();
      for (Read read : reads.values()) {
        String view = read.served().group().view();
        futures.put(view, executor.submit(() -> read(read.served(), keys.get(view))));
      }
      for (Map.Entry<String, Future<List<KeyRead>>> future : futures.entrySet()) {
        found.put(future.getKey(), future.getValue().get());
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "interrupted while reading the online store");
    }
    return found;
  }

  /** One view's reads, in entity order; positions of null keys are left null. */
  private List<KeyRead> read(Served served, List<List<Object>> keys) {
    List<List<Object>> present = new ArrayList<>(keys.size());
    for (List<Object> key : keys) {
      if (key != null) {
        present.add(key);
      }
    }
    if (present.isEmpty()) {
      return java.util.Collections.nCopies(keys.size(), KeyRead.MISSING);
    }
    List<KeyRead> read;
    try {
      read =
          served.windowed().isPresent()
              ? served.windowed().get().read(store, present, clock.instant())
              : store.read(served.table(), present);
    } catch (OnlineStoreException e) {
      metrics.count(
          "asof.online.store.errors",
          "Online store reads that failed, by view and whether the store was unreachable.",
          Tags.of("view", served.group().view(), "unavailable", Boolean.toString(e.unavailable())),
          1);
      if (!e.unavailable()) {
        catalog.refresh(); // the table may have changed under us (a new version, a purge)
      }
      throw new ApiException(
          503,
          "the online store could not be read for view %s: %s"
              .formatted(served.group().view(), e.getMessage()),
          List.of(),
          e);
    }
    if (present.size() == keys.size()) {
      return read;
    }
    List<KeyRead> placed = new ArrayList<>(keys.size());
    int next = 0;
    for (List<Object> key : keys) {
      placed.add(key == null ? KeyRead.MISSING : read.get(next++));
    }
    return placed;
  }

  private static int indexOf(List<Column> columns, String name) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Refuses a request whose reads would exceed {@link #MAX_ITEM_READS} items: each entity row reads
   * one item per view, or every tile item an aggregation view's windows cover now.
   */
  private void itemReads(java.util.Collection<Read> reads, int entities) {
    Instant now = clock.instant();
    long items = 0;
    List<String> tiled = new ArrayList<>();
    for (Read read : reads) {
      Optional<WindowedOnline> windowed = read.served().windowed();
      int perEntity =
          windowed.map(w -> WindowTiles.buckets(w.aggregation().windows(), now).size()).orElse(1);
      items += (long) perEntity * entities;
      if (windowed.isPresent()) {
        tiled.add("%s (%d tile items each)".formatted(read.served().group().view(), perEntity));
      }
    }
    if (items > MAX_ITEM_READS) {
      throw ApiException.tooLarge(
          "%,d entity rows would read %,d online items (%s): a request reads at most %,d; ask for fewer entity rows per request"
              .formatted(entities, items, String.join(", ", tiled), MAX_ITEM_READS),
          MAX_ITEM_READS);
    }
  }
}
