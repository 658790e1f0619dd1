package io.asof.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.asof.compiler.window.WindowTiles;
import io.asof.engine.Column;
import io.asof.jobs.WindowedOnline;
import io.asof.model.FeatureRef;
import io.asof.model.FeatureServiceSpec;
import io.asof.model.Suggestions;
import io.asof.online.KeyRead;
import io.asof.online.OnlineRecord;
import io.asof.online.OnlineStore;
import io.asof.online.OnlineStoreException;
import io.asof.server.OnlineCatalog.Served;
import io.asof.server.OnlineCatalog.Snapshot;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Tags;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
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
 * {@code POST /v1/online-features}: the values served at now for entity rows, with a status and an
 * event time per value. The latest values come from the online store (or its in-process cache); the
 * groups and their columns from the {@link OnlineCatalog}'s snapshot, so a request reads the
 * registry never.
 */
final class OnlineRoutes {
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

  static final String ROUTE = "/v1/online-features";

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

  private final OnlineCatalog catalog;
  private final OnlineStore store;
  private final Json json;
  private final Metrics metrics;
  private final Clock clock;

  OnlineRoutes(OnlineCatalog catalog, OnlineStore store, Json json, Metrics metrics, Clock clock) {
    this.catalog = catalog;
    this.store = store;
    this.json = json;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** One view a request reads, and which of its features go where in the output. */
  private record Read(Served served, List<Integer> featureIndexes, List<Integer> outputIndexes) {}

  void features(Context ctx) throws IOException {
    OnlineFeaturesRequest request =
        json.read(
            new String(Security.body(ctx, ROUTE, MAX_BODY_BYTES), StandardCharsets.UTF_8),
            OnlineFeaturesRequest.class);
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
      keys.put(read.served().group().view(), keys(entities, read.served()));
    }
    Map<String, List<KeyRead>> found = readAll(reads, keys);
    Instant now = clock.instant();
    int width = names.size();
    List<Object> results = new ArrayList<>(entities.size());
    List<Object[]> values = new ArrayList<>(entities.size());
    List<String[]> statuses = new ArrayList<>(entities.size());
    List<String[]> eventTimes = new ArrayList<>(entities.size());
    for (int e = 0; e < entities.size(); e++) {
      values.add(new Object[width]);
      statuses.add(new String[width]);
      eventTimes.add(new String[width]);
    }
    List<Map<String, Object>> errors = new ArrayList<>();
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
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("view", view);
        error.put("entities", failed);
        error.put("message", failure);
        errors.add(error);
      }
    }
    for (int e = 0; e < entities.size(); e++) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("values", values.get(e));
      result.put("statuses", statuses.get(e));
      result.put("event_times", eventTimes.get(e));
      results.add(result);
    }
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("features", names);
    response.put("results", results);
    if (!errors.isEmpty()) {
      response.put("errors", errors);
    }
    ctx.status(200).contentType("application/json").result(json.write(response));
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
   * Each entity row's key for a view, in the row order; null for a row with a NULL key part (it has
   * no value, like a spine row with a NULL key).
   */
  private static List<List<Object>> keys(List<Map<String, JsonNode>> entities, Served served) {
    List<Column> columns = served.table().keys();
    List<List<Object>> keys = new ArrayList<>(entities.size());
    for (int e = 0; e < entities.size(); e++) {
      Map<String, JsonNode> entity = entities.get(e);
      if (entity == null) {
        throw new ApiException(
            400, "entities[%d] is null: give an object of key values".formatted(e));
      }
      List<Object> key = new ArrayList<>(columns.size());
      boolean missing = false;
      for (Column column : columns) {
        JsonNode node = entity.get(column.name());
        if (node == null) {
          throw new ApiException(
              400,
              "entities[%d] has no %s, the key of view %s (entity %s keyed by %s)"
                  .formatted(
                      e,
                      column.name(),
                      served.group().view(),
                      served.view().entity(),
                      String.join(", ", served.view().keyColumns())));
        }
        Object value = keyValue(node, column, e);
        if (value == null) {
          missing = true;
        }
        key.add(value);
      }
      keys.add(missing ? null : key);
    }
    return keys;
  }

  /** A JSON key value as the column's Java type, or a 400 naming the expected type. */
  static Object keyValue(JsonNode node, Column column, int entity) {
    if (node.isNull()) {
      return null;
    }
    String type = column.type();
    try {
      if (type.equals("bigint") && node.isIntegralNumber() && node.canConvertToLong()) {
        return node.longValue();
      }
      if (type.equals("integer") && node.isIntegralNumber() && node.canConvertToInt()) {
        return node.intValue();
      }
      if (type.equals("smallint")
          && node.isIntegralNumber()
          && node.canConvertToInt()
          && node.intValue() == (short) node.intValue()) {
        return (short) node.intValue();
      }
      if (type.equals("tinyint")
          && node.isIntegralNumber()
          && node.canConvertToInt()
          && node.intValue() == (byte) node.intValue()) {
        return (byte) node.intValue();
      }
      if ((type.startsWith("varchar") || type.startsWith("char")) && node.isTextual()) {
        return node.textValue();
      }
      if (type.equals("boolean") && node.isBoolean()) {
        return node.booleanValue();
      }
      if (type.startsWith("decimal") && node.isNumber()) {
        return node.decimalValue();
      }
      if (type.equals("double") && node.isNumber()) {
        return node.doubleValue();
      }
      if (type.equals("date") && node.isTextual()) {
        return LocalDate.parse(node.textValue());
      }
      if (type.startsWith("timestamp") && node.isTextual()) {
        return LocalDateTime.parse(node.textValue());
      }
    } catch (DateTimeParseException e) {
      // refused below, with the expected form
    }
    throw new ApiException(
        400,
        "entities[%d].%s: expected %s (%s), got %s"
            .formatted(entity, column.name(), type, expected(type), shown(node)));
  }

  private static String expected(String type) {
    if (type.equals("bigint") || type.equals("integer") || type.endsWith("int")) {
      return "a JSON integer";
    }
    if (type.startsWith("varchar") || type.startsWith("char")) {
      return "a JSON string";
    }
    if (type.equals("boolean")) {
      return "true or false";
    }
    if (type.equals("date")) {
      return "a string like 2026-01-31";
    }
    if (type.startsWith("timestamp")) {
      return "a string like 2026-01-31T12:00:00";
    }
    return "a JSON number";
  }

  private static String shown(JsonNode node) {
    String text = node.toString();
    String kind =
        node.isTextual()
            ? "string"
            : node.isIntegralNumber()
                ? "integer"
                : node.isNumber()
                    ? "number"
                    : node.isBoolean()
                        ? "boolean"
                        : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    return kind + " " + (text.length() > 40 ? text.substring(0, 40) + "…" : text);
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
