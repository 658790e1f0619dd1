package io.asof.features.repository;

import io.asof.features.repository.YamlDocument.Mapping;
import io.asof.features.repository.YamlDocument.Scalar;
import io.asof.features.repository.YamlDocument.Sequence;
import io.asof.features.repository.YamlDocument.Value;
import io.asof.model.DeclaredColumn;
import io.asof.model.Durations;
import io.asof.model.Entity;
import io.asof.model.Expectation;
import io.asof.model.FeatureRef;
import io.asof.model.FeatureRepository;
import io.asof.model.FeatureServiceSpec;
import io.asof.model.FeatureViewSpec;
import io.asof.model.LabelLineageAcknowledgement;
import io.asof.model.Materialization;
import io.asof.model.PushTables;
import io.asof.model.RepositoryException;
import io.asof.model.SourcePosition;
import io.asof.model.Suggestions;
import io.asof.model.TrainingSetSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Loads a feature repository directory:
 *
 * <pre>
 * entities.yaml            entities and their key columns
 * feature_services.yaml    named lists of features (optional)
 * views/**.sql             one feature view per file
 * training_sets/**.sql     one training set per file: a spine query
 * </pre>
 *
 * Every problem found is reported at once, each with file, line and column, in a {@link
 * RepositoryException}. Checks that need the warehouse (tables, columns, types) are the compiler's.
 */
public final class RepositoryLoader {
  /** Header keys of a feature view, in the order the reference documents them. */
  public static final List<String> VIEW_KEYS =
      List.of(
          "view",
          "entity",
          "event_time",
          "created_time",
          "ttl",
          "windows",
          "materialize",
          "push",
          "online",
          "owner",
          "description",
          "tags",
          "expect");

  /** Header keys of a view that may be given more than once. */
  private static final Set<String> REPEATABLE_VIEW_KEYS = Set.of("expect");

  /** Header keys of a training set. */
  public static final List<String> TRAINING_SET_KEYS =
      List.of(
          "training_set",
          "timestamp",
          "label",
          "features",
          "feature_service",
          "event_times",
          "late_data",
          "label_lineage_ok",
          "description");

  /** Header keys of a training set that may be given more than once. */
  private static final Set<String> REPEATABLE_TRAINING_SET_KEYS = Set.of("label_lineage_ok");

  static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");
  private static final Pattern TAG = Pattern.compile("[a-z0-9][a-z0-9_-]*");
  private static final String ENTITIES = "entities.yaml";
  private static final String SERVICES = "feature_services.yaml";

  private final Diagnostics diagnostics = new Diagnostics();
  private final Path root;

  private RepositoryLoader(Path root) {
    this.root = root;
  }

  /** Loads the repository at {@code root}, or throws with every problem found. */
  public static FeatureRepository load(Path root) {
    return new RepositoryLoader(root.toAbsolutePath().normalize()).load();
  }

  private FeatureRepository load() {
    if (!Files.isDirectory(root)) {
      throw new RepositoryException(
          List.of(
              new io.asof.model.Diagnostic(
                  SourcePosition.start(root),
                  "no feature repository here: expected a directory with entities.yaml and views/")));
    }
    List<Entity> entities = loadEntities();
    Map<String, Entity> entityByName = new HashMap<>();
    entities.forEach(e -> entityByName.put(e.name(), e));

    List<FeatureViewSpec> views = new ArrayList<>();
    Map<String, FeatureViewSpec> viewByName = new HashMap<>();
    // a view whose file has errors is still declared: references to it are not errors of their own
    Set<String> declared = new java.util.HashSet<>();
    for (Path file : sqlFiles("views")) {
      declared.add(declaredName(file));
      loadView(file, entityByName)
          .ifPresent(
              view -> {
                FeatureViewSpec earlier = viewByName.putIfAbsent(view.name(), view);
                if (earlier != null) {
                  diagnostics.error(
                      view.position(),
                      "view %s is declared twice: here and at %s; rename one"
                          .formatted(view.name(), relative(earlier.position())));
                } else {
                  views.add(view);
                }
              });
    }
    List<FeatureServiceSpec> services = loadServices(declared);
    List<TrainingSetSpec> trainingSets = new ArrayList<>();
    for (Path file : sqlFiles("training_sets")) {
      loadTrainingSet(
              file,
              declared,
              services.stream().map(FeatureServiceSpec::name).collect(Collectors.toSet()))
          .ifPresent(trainingSets::add);
    }
    diagnostics.throwIfAny();
    return new FeatureRepository(root, entities, views, services, trainingSets);
  }

  private List<Entity> loadEntities() {
    Path file = root.resolve(ENTITIES);
    if (!Files.exists(file)) {
      diagnostics.error(
          SourcePosition.start(file),
          "no entities.yaml: declare the entities your views describe, e.g. 'entities: {user: {keys: [user_id]}}'");
      return List.of();
    }
    List<Entity> entities = new ArrayList<>();
    Optional<Mapping> top = topMapping(file, "entities");
    if (top.isEmpty()) {
      return entities;
    }
    for (Map.Entry<Scalar, Value> entry : top.get().entries().entrySet()) {
      String name = entry.getKey().text();
      SourcePosition position = entry.getKey().position();
      if (!identifier(name, "entity name", position)) {
        continue;
      }
      if (!(entry.getValue() instanceof Mapping body)) {
        diagnostics.error(
            entry.getValue().position(), "entity %s needs 'keys: [column, ...]'".formatted(name));
        continue;
      }
      checkKeys(body, Set.of("keys", "description"), "entity " + name);
      List<String> keys = new ArrayList<>();
      Optional<Value> keyValue = body.get("keys");
      if (keyValue.isEmpty()) {
        diagnostics.error(
            position, "entity %s has no 'keys': list its join-key columns".formatted(name));
        continue;
      }
      for (Scalar key : scalars(keyValue.get(), "keys of entity " + name)) {
        if (identifier(key.text(), "key column", key.position())) {
          if (keys.contains(key.text())) {
            diagnostics.error(
                key.position(), "key column %s is listed twice".formatted(key.text()));
          } else {
            keys.add(key.text());
          }
        }
      }
      if (!keys.isEmpty()) {
        entities.add(new Entity(name, keys, text(body, "description"), position));
      }
    }
    return entities;
  }

  private List<FeatureServiceSpec> loadServices(Set<String> views) {
    Path file = root.resolve(SERVICES);
    if (!Files.exists(file)) {
      return List.of();
    }
    List<FeatureServiceSpec> services = new ArrayList<>();
    Optional<Mapping> top = topMapping(file, "feature_services");
    if (top.isEmpty()) {
      return services;
    }
    for (Map.Entry<Scalar, Value> entry : top.get().entries().entrySet()) {
      String name = entry.getKey().text();
      SourcePosition position = entry.getKey().position();
      if (!identifier(name, "feature service name", position)) {
        continue;
      }
      if (!(entry.getValue() instanceof Mapping body)) {
        diagnostics.error(
            entry.getValue().position(),
            "feature service %s needs 'features: [view:feature, ...]'".formatted(name));
        continue;
      }
      checkKeys(body, Set.of("features", "description"), "feature service " + name);
      List<FeatureRef> features = new ArrayList<>();
      body.get("features")
          .ifPresentOrElse(
              value -> {
                for (Scalar ref : scalars(value, "features of " + name)) {
                  featureRef(ref.text(), ref.position(), views).ifPresent(features::add);
                }
              },
              () ->
                  diagnostics.error(
                      position,
                      "feature service %s lists no features: add 'features: [view:feature, ...]'"
                          .formatted(name)));
      services.add(new FeatureServiceSpec(name, text(body, "description"), features, position));
    }
    return services;
  }

  private Optional<FeatureViewSpec> loadView(Path file, Map<String, Entity> entities) {
    SqlFileHeader header = SqlFileHeader.parse(file, read(file), REPEATABLE_VIEW_KEYS, diagnostics);
    SourcePosition start = SourcePosition.start(file);
    checkHeaderKeys(header, VIEW_KEYS);
    String name = nameOf(header, "view", file);
    if (!identifier(
        name, "view name", header.entry("view").map(e -> e.valuePosition()).orElse(start))) {
      return Optional.empty();
    }
    Optional<String> entity =
        required(
            header,
            "entity",
            start,
            "missing header '-- entity: <name>': say which entity this view describes"
                + oneOf(entities.keySet()));
    entity.ifPresent(
        value -> {
          if (!entities.isEmpty() && !entities.containsKey(value)) {
            diagnostics.error(
                header.entry("entity").orElseThrow().valuePosition(),
                "unknown entity '%s'%s: entities are declared in entities.yaml%s"
                    .formatted(
                        value,
                        Suggestions.didYouMean(value, entities.keySet()),
                        oneOf(entities.keySet())));
          }
        });
    Optional<String> eventTime =
        required(
            header,
            "event_time",
            start,
            "missing header '-- event_time: <column>': name the timestamp column that says when each row's values became true");
    eventTime.ifPresent(
        column ->
            identifier(
                column,
                "event_time column",
                header.entry("event_time").orElseThrow().valuePosition()));
    Optional<String> createdTime = header.entry("created_time").map(SqlFileHeader.Entry::value);
    Optional<Duration> ttl = header.entry("ttl").flatMap(this::ttl);
    boolean materialize = bool(header, "materialize", false);
    boolean push = bool(header, "push", false);
    List<Duration> windows = header.entry("windows").map(this::windows).orElse(List.of());
    if (!windows.isEmpty()) {
      SourcePosition at = header.entry("windows").orElseThrow().keyPosition();
      if (push) {
        diagnostics.error(
            at,
            "a push view has no windows: keep this view a push view of raw events, and write an aggregation view over its table (FROM features.%s) with '-- windows:'"
                .formatted(name));
        windows = List.of();
      }
      header
          .entry("ttl")
          .ifPresent(
              entry ->
                  diagnostics.error(
                      entry.keyPosition(),
                      "ttl does not apply to an aggregation view: each feature is the aggregate over its window at every time, so old events leave by themselves; remove '-- ttl:'"));
      if (materialize) {
        diagnostics.error(
            header.entry("materialize").orElseThrow().keyPosition(),
            "an aggregation view is evaluated from its events at every time it is read, so there is nothing to backfill: remove '-- materialize: true'");
      }
    }
    boolean online = bool(header, "online", false);
    if (online && !windows.isEmpty()) {
      diagnostics.error(
          header.entry("online").orElseThrow().keyPosition(),
          "online serving of aggregation views is not built yet: offline training sets and the published view evaluate its features at every time (the published view as of now); remove '-- online: true'");
    }
    List<Expectation> expectations =
        ExpectationParser.parseAll(header.entries("expect"), diagnostics);
    Optional<List<DeclaredColumn>> declared =
        push ? pushColumns(header, name) : Optional.of(List.of());
    if (!push) {
      Optional<SourcePosition> create =
          CreateTableParser.declaration(header.sql(), header.sqlPosition());
      if (create.isPresent()) {
        diagnostics.error(
            create.get(),
            "this CREATE TABLE declares the columns of a push view: add '-- push: true' to the header to make it one, or write a SELECT to compute the view from the warehouse");
        declared = Optional.empty();
      }
      if (header.sql().isBlank()) {
        diagnostics.error(
            header.sqlPosition(),
            "no SQL after the header: write the SELECT that computes the view");
      }
    }
    if (entity.isEmpty() || eventTime.isEmpty() || header.sql().isBlank() || declared.isEmpty()) {
      return Optional.empty();
    }
    Materialization materialization =
        push
            ? Materialization.PUSH
            : materialize ? Materialization.MATERIALIZED : Materialization.VIRTUAL;
    return Optional.of(
        new FeatureViewSpec(
            name,
            entity.get(),
            eventTime.get(),
            createdTime,
            ttl,
            materialization,
            online,
            header.entry("owner").map(SqlFileHeader.Entry::value).orElse(""),
            header.entry("description").map(SqlFileHeader.Entry::value).orElse(""),
            expectations,
            declared.get(),
            header.sql(),
            start,
            header.sqlPosition(),
            tags(header),
            windows));
  }

  /**
   * {@code windows: 1h, 1d, 7d}: the windows of an aggregation view, each a whole number of
   * minutes, each once, in the order written.
   */
  private List<Duration> windows(SqlFileHeader.Entry entry) {
    List<Duration> windows = new ArrayList<>();
    for (String part : entry.value().split(",", -1)) {
      String text = part.strip();
      Optional<Duration> window = Durations.parse(text);
      if (window.isEmpty()) {
        diagnostics.error(
            entry.valuePosition(),
            "window '%s' is not a duration: %s; list the windows separated by commas, e.g. 1h, 1d, 7d"
                .formatted(text, Durations.HINT));
      } else if (window.get().toSeconds() % 60 != 0) {
        diagnostics.error(
            entry.valuePosition(),
            "window '%s' is not a whole number of minutes: windows are evaluated to the minute at their far edge; write e.g. 1m or 90m"
                .formatted(text));
      } else if (windows.contains(window.get())) {
        diagnostics.error(
            entry.valuePosition(), "window '%s' is listed twice: list each once".formatted(text));
      } else {
        windows.add(window.get());
      }
    }
    return windows;
  }

  /**
   * The columns a push view's {@code CREATE TABLE} declares; empty when it has errors or its header
   * asks for what a push view does not have (materialization, expectations), all reported.
   */
  private Optional<List<DeclaredColumn>> pushColumns(SqlFileHeader header, String name) {
    int before = diagnostics.size();
    header
        .entry("materialize")
        .ifPresent(
            entry ->
                diagnostics.error(
                    entry.keyPosition(),
                    "a push view is not materialized: its rows are stored as they are pushed (POST %s or ./asof push), in a table of its own; remove '-- materialize:'"
                        .formatted(PushTables.endpoint(name))));
    for (SqlFileHeader.Entry entry : header.entries("expect")) {
      diagnostics.error(
          entry.keyPosition(),
          "a push view has no expectations: its rows are checked against the declared column types when they are pushed; remove '-- expect:'");
    }
    if (header.sql().isBlank()) {
      diagnostics.error(
          header.sqlPosition(),
          "no CREATE TABLE after the header: a push view declares the columns of its rows, e.g. CREATE TABLE %s (<key> bigint, <event_time> timestamp(6), <feature> double)"
              .formatted(name));
      return Optional.empty();
    }
    Optional<List<DeclaredColumn>> columns =
        CreateTableParser.parse(name, header.sql(), header.sqlPosition(), diagnostics);
    return diagnostics.size() == before ? columns : Optional.empty();
  }

  private Optional<TrainingSetSpec> loadTrainingSet(
      Path file, Set<String> views, Set<String> serviceNames) {
    SqlFileHeader header =
        SqlFileHeader.parse(file, read(file), REPEATABLE_TRAINING_SET_KEYS, diagnostics);
    SourcePosition start = SourcePosition.start(file);
    checkHeaderKeys(header, TRAINING_SET_KEYS);
    String name = nameOf(header, "training_set", file);
    if (!identifier(
        name,
        "training set name",
        header.entry("training_set").map(e -> e.valuePosition()).orElse(start))) {
      return Optional.empty();
    }
    Optional<String> timestamp =
        required(
            header,
            "timestamp",
            start,
            "missing header '-- timestamp: <column>': name the spine column each row's features are taken as of");
    Optional<SqlFileHeader.Entry> featuresEntry = header.entry("features");
    Optional<SqlFileHeader.Entry> serviceEntry = header.entry("feature_service");
    serviceEntry.ifPresent(
        entry -> {
          if (!serviceNames.contains(entry.value())) {
            diagnostics.error(
                entry.valuePosition(),
                "unknown feature service '%s'%s: services are declared in feature_services.yaml%s"
                    .formatted(
                        entry.value(),
                        Suggestions.didYouMean(entry.value(), serviceNames),
                        oneOf(serviceNames)));
          }
        });
    List<FeatureRef> features = new ArrayList<>();
    List<SourcePosition> featurePositions = new ArrayList<>();
    if (featuresEntry.isEmpty() && serviceEntry.isEmpty()) {
      diagnostics.error(
          start,
          "missing header '-- features: view:feature, view:*, ...' (or '-- feature_service: <name>'): list the features to attach");
    } else if (featuresEntry.isPresent()) {
      for (SqlFileHeader.Segment segment : featuresEntry.get().segments()) {
        int offset = 0;
        for (String part : segment.text().split(",", -1)) {
          int lead = part.length() - part.stripLeading().length();
          SourcePosition position =
              new SourcePosition(
                  file, segment.position().line(), segment.position().column() + offset + lead);
          if (!part.isBlank()) {
            featureRef(part.strip(), position, views)
                .ifPresent(
                    ref -> {
                      features.add(ref);
                      featurePositions.add(position);
                    });
          }
          offset += part.length() + 1;
        }
      }
    }
    if (header.sql().isBlank()) {
      diagnostics.error(
          header.sqlPosition(),
          "no SQL after the header: write the SELECT that yields the spine rows");
    }
    if (timestamp.isEmpty() || header.sql().isBlank()) {
      return Optional.empty();
    }
    return Optional.of(
        new TrainingSetSpec(
            name,
            header.entry("description").map(SqlFileHeader.Entry::value).orElse(""),
            header.sql(),
            timestamp.get(),
            header.entry("label").map(SqlFileHeader.Entry::value),
            features,
            featurePositions,
            serviceEntry.map(SqlFileHeader.Entry::value),
            bool(header, "event_times", false),
            lateData(header),
            labelLineageOk(header),
            start,
            header.sqlPosition()));
  }

  private Optional<FeatureRef> featureRef(String text, SourcePosition position, Set<String> views) {
    FeatureRef ref;
    try {
      ref = FeatureRef.parse(text);
    } catch (IllegalArgumentException e) {
      diagnostics.error(position, e.getMessage());
      return Optional.empty();
    }
    // a pinned older version may belong to a view since removed: the registry knows it
    if (ref.version().isEmpty() && !views.contains(ref.view())) {
      diagnostics.error(
          position,
          "unknown view '%s' in feature %s%s"
              .formatted(ref.view(), ref, Suggestions.didYouMean(ref.view(), views)));
      return Optional.empty();
    }
    return Optional.of(ref);
  }

  private void checkHeaderKeys(SqlFileHeader header, List<String> known) {
    for (SqlFileHeader.Entry entry : header.entries()) {
      if (!known.contains(entry.key())) {
        String hint =
            Suggestions.nearest(entry.key(), known)
                .map(s -> " (did you mean " + s + "?)")
                .orElse(": known keys are " + String.join(", ", known));
        diagnostics.error(
            entry.keyPosition(), "unknown header key '%s'%s".formatted(entry.key(), hint));
      }
    }
  }

  private void checkKeys(Mapping body, Set<String> known, String what) {
    for (Scalar key : body.entries().keySet()) {
      if (!known.contains(key.text())) {
        diagnostics.error(
            key.position(),
            "unknown key '%s' in %s%s"
                .formatted(key.text(), what, Suggestions.didYouMean(key.text(), known)));
      }
    }
  }

  private Optional<String> required(
      SqlFileHeader header, String key, SourcePosition start, String message) {
    Optional<SqlFileHeader.Entry> entry = header.entry(key);
    if (entry.isEmpty() || entry.get().value().isBlank()) {
      diagnostics.error(entry.map(SqlFileHeader.Entry::keyPosition).orElse(start), message);
      return Optional.empty();
    }
    return Optional.of(entry.get().value());
  }

  private Optional<Duration> ttl(SqlFileHeader.Entry entry) {
    Optional<Duration> ttl = Durations.parse(entry.value());
    if (ttl.isEmpty()) {
      diagnostics.error(
          entry.valuePosition(),
          "ttl '%s' does not parse: %s".formatted(entry.value(), Durations.HINT));
    }
    return ttl;
  }

  /** {@code tags: a, b-c, d}: lower-case words to find the view by, each once. */
  private List<String> tags(SqlFileHeader header) {
    Optional<SqlFileHeader.Entry> entry = header.entry("tags");
    if (entry.isEmpty()) {
      return List.of();
    }
    java.util.LinkedHashSet<String> tags = new java.util.LinkedHashSet<>();
    for (String tag : entry.get().value().split(",", -1)) {
      String word = tag.strip();
      if (!TAG.matcher(word).matches()) {
        diagnostics.error(
            entry.get().valuePosition(),
            "tags are a comma-separated list of lower-case words (letters, digits, - and _), got '%s'"
                .formatted(word));
        return List.of();
      }
      tags.add(word);
    }
    return List.copyOf(tags);
  }

  /**
   * {@code label_lineage_ok: view:feature <reason>} lines: one feature each, and a reason. Whether
   * the set selects that feature is the compiler's to check (it resolves {@code view:*} and
   * services).
   */
  private List<LabelLineageAcknowledgement> labelLineageOk(SqlFileHeader header) {
    List<LabelLineageAcknowledgement> acknowledged = new ArrayList<>();
    for (SqlFileHeader.Entry entry : header.entries("label_lineage_ok")) {
      String value = entry.value();
      String usage =
          "'-- label_lineage_ok: view:feature <why it may be computed from the label's column>'";
      if (value.isEmpty()) {
        diagnostics.error(
            entry.keyPosition(),
            "label_lineage_ok names a feature and says why it may be computed from the column the label comes from: "
                + usage);
        continue;
      }
      String[] parts = value.split("\\s+", 2);
      FeatureRef ref;
      try {
        ref = FeatureRef.parse(parts[0]);
      } catch (IllegalArgumentException e) {
        diagnostics.error(entry.valuePosition(), e.getMessage());
        continue;
      }
      if (ref.all()) {
        diagnostics.error(
            entry.valuePosition(),
            "label_lineage_ok acknowledges one feature, not all of a view's (%s): one line per feature, each with its reason"
                .formatted(ref));
        continue;
      }
      if (parts.length < 2 || parts[1].isBlank()) {
        diagnostics.error(
            entry.valuePosition(),
            "label_lineage_ok for %s gives no reason: say after the feature why it may be computed from the column the label comes from, e.g. '-- label_lineage_ok: %s counts only finished days'"
                .formatted(ref, ref));
        continue;
      }
      acknowledged.add(
          new LabelLineageAcknowledgement(ref, parts[1].strip(), entry.valuePosition()));
    }
    return acknowledged;
  }

  /** {@code late_data: hold_back} (the default) or {@code keep}. */
  private boolean lateData(SqlFileHeader header) {
    Optional<SqlFileHeader.Entry> entry = header.entry("late_data");
    if (entry.isEmpty()) {
      return true;
    }
    return switch (entry.get().value().toLowerCase(java.util.Locale.ROOT)) {
      case "hold_back" -> true;
      case "keep" -> false;
      default -> {
        diagnostics.error(
            entry.get().valuePosition(),
            "late_data takes hold_back (rows count once created, the default) or keep (rows count from their event time), got '%s'"
                .formatted(entry.get().value()));
        yield true;
      }
    };
  }

  private boolean bool(SqlFileHeader header, String key, boolean otherwise) {
    Optional<SqlFileHeader.Entry> entry = header.entry(key);
    if (entry.isEmpty()) {
      return otherwise;
    }
    return switch (entry.get().value().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "yes" -> true;
      case "false", "no" -> false;
      default -> {
        diagnostics.error(
            entry.get().valuePosition(),
            "%s takes true or false, got '%s'".formatted(key, entry.get().value()));
        yield otherwise;
      }
    };
  }

  /** The name a view file declares, read without reporting anything. */
  private static String declaredName(Path file) {
    SqlFileHeader header =
        SqlFileHeader.parse(file, read(file), REPEATABLE_VIEW_KEYS, new Diagnostics());
    String stem = file.getFileName().toString().replaceFirst("\\.sql$", "");
    return header.entry("view").map(SqlFileHeader.Entry::value).orElse(stem);
  }

  private String nameOf(SqlFileHeader header, String key, Path file) {
    String stem = file.getFileName().toString().replaceFirst("\\.sql$", "");
    return header.entry(key).map(SqlFileHeader.Entry::value).orElse(stem);
  }

  private boolean identifier(String name, String what, SourcePosition position) {
    if (IDENTIFIER.matcher(name).matches()) {
      return true;
    }
    diagnostics.error(
        position,
        "%s '%s' is not a plain SQL name: use lower-case letters, digits and _, starting with a letter"
            .formatted(what, name));
    return false;
  }

  private Optional<Mapping> topMapping(Path file, String key) {
    Optional<Value> document = YamlDocument.parse(file, read(file), diagnostics);
    if (document.isEmpty()) {
      return Optional.empty();
    }
    if (document.get() instanceof Mapping mapping && mapping.get(key).isPresent()) {
      checkKeys(mapping, Set.of(key), file.getFileName().toString());
      if (mapping.get(key).get() instanceof Mapping inner) {
        return Optional.of(inner);
      }
      diagnostics.error(
          mapping.get(key).get().position(), "'%s' should map names to definitions".formatted(key));
      return Optional.empty();
    }
    diagnostics.error(
        document.get().position(), "%s should start with '%s:'".formatted(file.getFileName(), key));
    return Optional.empty();
  }

  private List<Scalar> scalars(Value value, String what) {
    if (value instanceof Scalar scalar) {
      return List.of(scalar);
    }
    List<Scalar> scalars = new ArrayList<>();
    if (value instanceof Sequence sequence) {
      for (Value item : sequence.items()) {
        if (item instanceof Scalar scalar) {
          scalars.add(scalar);
        } else {
          diagnostics.error(item.position(), "%s should be plain names".formatted(what));
        }
      }
    } else {
      diagnostics.error(value.position(), "%s should be a list, e.g. [a, b]".formatted(what));
    }
    return scalars;
  }

  private static String text(Mapping body, String key) {
    return body.get(key).filter(v -> v instanceof Scalar).map(v -> ((Scalar) v).text()).orElse("");
  }

  private static String oneOf(Set<String> names) {
    return names.isEmpty()
        ? ""
        : " (one of: " + String.join(", ", names.stream().sorted().toList()) + ")";
  }

  private SourcePosition relative(SourcePosition position) {
    return new SourcePosition(root.relativize(position.file()), position.line(), position.column());
  }

  private List<Path> sqlFiles(String directory) {
    Path dir = root.resolve(directory);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
