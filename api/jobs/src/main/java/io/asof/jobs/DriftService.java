package io.asof.jobs;

import static java.util.Objects.requireNonNull;

import io.asof.compiler.backfill.BackfillSql;
import io.asof.compiler.backfill.ChunkStatisticsSql;
import io.asof.compiler.backfill.DriftSql;
import io.asof.compiler.backfill.DriftSql.Binning;
import io.asof.compiler.backfill.DriftSql.Counts;
import io.asof.compiler.catalog.MetadataSql;
import io.asof.compiler.pit.PointInTimeSql;
import io.asof.engine.QueryEngine;
import io.asof.jobs.DriftReport.Bin;
import io.asof.jobs.DriftReport.FeatureDrift;
import io.asof.jobs.DriftReport.Kind;
import io.asof.jobs.DriftReport.Level;
import io.asof.jobs.DriftReport.Window;
import io.asof.model.Column;
import io.asof.model.Materialization;
import io.asof.model.Suggestions;
import io.asof.model.statistics.FeatureStatistics;
import io.asof.model.window.WindowedAggregation;
import io.asof.registry.AppliedView;
import io.asof.registry.BackfillChunk;
import io.asof.registry.BackfillJob;
import io.asof.registry.RegistryStore;
import io.asof.registry.TrainingBuild;
import io.asof.registry.ViewVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Compares a training set's latest build with the most recent backfilled window of each view it
 * takes features from (an aggregation view, which is never backfilled, with its features evaluated
 * over the last {@link DriftReport#REFERENCE_PERIOD} of its events). The bins are the window
 * chunk's recorded statistics (a numeric feature's quantiles as bin edges, a categorical feature's
 * most frequent values as categories); both sides are then counted into those bins on the engine,
 * one statement over the training set's table at the build's snapshot and one per view over its
 * window, so that ties and values outside the window's range are counted exactly.
 */
public final class DriftService {
  private final QueryEngine engine;
  private final RegistryStore registry;

  public DriftService(QueryEngine engine, RegistryStore registry) {
    this.engine = requireNonNull(engine, "engine is null");
    this.registry = requireNonNull(registry, "registry is null");
  }

  /** One feature of the build: where it comes from and which of the table's columns holds it. */
  private record Candidate(AppliedView view, Column feature, String column) {
    String reference() {
      return view.name() + ":" + feature.name();
    }
  }

  /**
   * The report of {@code trainingSet}'s latest build; of one feature only when {@code feature} is
   * given ({@code view:feature}, or the training set's column).
   *
   * @throws NotFoundException when the set was never built, or has no such feature
   */
  public DriftReport report(String trainingSet, Optional<String> feature) {
    requireNonNull(feature, "feature is null");
    List<TrainingBuild> builds = registry.builds(trainingSet);
    if (builds.isEmpty()) {
      Set<String> built = new TreeSet<>();
      registry.builds().forEach(b -> built.add(b.name()));
      throw new NotFoundException(
          "training set %s was never built%s: build it (./asof training-set build %s), then compare it with its views' latest backfilled windows"
              .formatted(trainingSet, Suggestions.didYouMean(trainingSet, built), trainingSet));
    }
    TrainingBuild build = builds.getFirst();
    List<Candidate> candidates = candidates(build);
    if (feature.isPresent()) {
      String wanted = feature.get();
      List<Candidate> chosen =
          candidates.stream()
              .filter(c -> c.reference().equals(wanted) || c.column().equals(wanted))
              .toList();
      if (chosen.isEmpty()) {
        List<String> known = candidates.stream().map(Candidate::reference).toList();
        List<String> spellings = new ArrayList<>(known);
        candidates.forEach(c -> spellings.add(c.column()));
        throw new NotFoundException(
            "training set %s has no feature %s%s: its features are %s"
                .formatted(
                    trainingSet,
                    wanted,
                    Suggestions.didYouMean(wanted, spellings),
                    String.join(", ", known)));
      }
      candidates = chosen;
    }
    Map<Candidate, FeatureDrift> unavailable = new HashMap<>();
    Map<String, List<Candidate>> byColumn = new HashMap<>();
    candidates.forEach(c -> byColumn.computeIfAbsent(c.column(), k -> new ArrayList<>()).add(c));
    Map<String, List<Candidate>> byView = new LinkedHashMap<>();
    for (Candidate c : candidates) {
      List<Candidate> sharing = byColumn.get(c.column());
      if (sharing.size() > 1) {
        // a feature name two views of the build have, taken by the set from one of them (it would
        // be prefixed otherwise): which one, the build does not record
        unavailable.put(
            c,
            unavailable(
                c,
                "the training set's column %s holds feature %s of one of views %s, and the build does not record which: it is not compared"
                    .formatted(
                        c.column(),
                        c.feature().name(),
                        String.join(", ", sharing.stream().map(s -> s.view().name()).toList()))));
        continue;
      }
      byView.computeIfAbsent(c.view().name(), v -> new ArrayList<>()).add(c);
    }

    Map<Candidate, Binned> binned = new LinkedHashMap<>();
    for (List<Candidate> ofView : byView.values()) {
      binView(ofView, unavailable, binned);
    }
    if (!binned.isEmpty()) {
      List<Binned> all = List.copyOf(binned.values());
      List<Counts> training =
          DriftSql.counts(
              engine,
              build.table(),
              OptionalLong.of(build.snapshotId()),
              Optional.empty(),
              all.stream().map(Binned::training).toList());
      for (int i = 0; i < all.size(); i++) {
        all.get(i).trainingCounts = training.get(i);
      }
    }
    List<FeatureDrift> features = new ArrayList<>();
    for (Candidate candidate : candidates) {
      features.add(
          unavailable.containsKey(candidate)
              ? unavailable.get(candidate)
              : binned.get(candidate).drift(candidate));
    }
    return new DriftReport(
        trainingSet, build.table(), build.snapshotId(), build.builtAt(), features);
  }

  /** A feature binned by its window's statistics, with the counts of both sides once known. */
  private static final class Binned {
    final Kind kind;
    final Window window;
    final Binning training;
    final Binning windowBinning;
    Counts windowCounts;
    Counts trainingCounts;

    Binned(Kind kind, Window window, Binning training, Binning windowBinning) {
      this.kind = kind;
      this.window = window;
      this.training = training;
      this.windowBinning = windowBinning;
    }

    Binning training() {
      return training;
    }

    FeatureDrift drift(Candidate candidate) {
      List<Bin> bins = new ArrayList<>();
      long trainingValues = trainingCounts.values();
      long windowValues = windowCounts.values();
      for (int b = 0; b < training.bins(); b++) {
        long t = trainingCounts.bins().get(b);
        long w = windowCounts.bins().get(b);
        bins.add(
            new Bin(
                label(b),
                kind == Kind.NUMERIC && b > 0
                    ? OptionalDouble.of(training.edges().get(b - 1))
                    : OptionalDouble.empty(),
                kind == Kind.NUMERIC && b < training.edges().size()
                    ? OptionalDouble.of(training.edges().get(b))
                    : OptionalDouble.empty(),
                kind == Kind.CATEGORICAL && b < training.categories().size()
                    ? Optional.of(training.categories().get(b))
                    : Optional.empty(),
                t,
                trainingValues == 0 ? 0 : (double) t / trainingValues,
                w,
                windowValues == 0 ? 0 : (double) w / windowValues));
      }
      AppliedView view = candidate.view();
      OptionalDouble psi = OptionalDouble.empty();
      Optional<String> reason = Optional.empty();
      if (trainingValues == 0 || windowValues == 0) {
        String side =
            trainingValues == 0
                ? "the training set's column %s is NULL in every row".formatted(candidate.column())
                : "the window has no value of it";
        reason = Optional.of(side + ": there is nothing to compare");
      } else {
        psi = OptionalDouble.of(DriftReport.psi(trainingCounts.bins(), windowCounts.bins()));
      }
      return new FeatureDrift(
          view.name(),
          view.version(),
          candidate.feature().name(),
          candidate.column(),
          candidate.feature().type(),
          kind,
          Optional.of(window),
          psi,
          psi.isPresent() ? Level.of(psi.getAsDouble()) : Level.UNAVAILABLE,
          reason,
          trainingCounts.rows(),
          trainingCounts.nulls(),
          windowCounts.rows(),
          windowCounts.nulls(),
          bins);
    }

    private String label(int b) {
      if (kind == Kind.CATEGORICAL) {
        return b < training.categories().size() ? training.categories().get(b) : "(other)";
      }
      List<Double> edges = training.edges();
      if (b == 0) {
        return "< " + number(edges.getFirst());
      }
      if (b == edges.size()) {
        return ">= " + number(edges.getLast());
      }
      return "[%s, %s)".formatted(number(edges.get(b - 1)), number(edges.get(b)));
    }
  }

  /** A number as people read it: no trailing {@code .0}, at most 6 significant digits. */
  static String number(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return String.format(Locale.ROOT, "%.6g", value).replaceAll("\\.?0+(?=$|e)", "");
  }

  /**
   * Bins the features of one view by its most recent committed backfill chunk, and counts the
   * chunk's rows (of an aggregation view, by its features evaluated over a recent period: {@link
   * #evaluateView}); the features that cannot be compared get their reason.
   */
  private void binView(
      List<Candidate> features,
      Map<Candidate, FeatureDrift> unavailable,
      Map<Candidate, Binned> binned) {
    AppliedView view = features.getFirst().view();
    if (view.aggregation()) {
      evaluateView(features, unavailable, binned);
      return;
    }
    Optional<String> problem = Optional.empty();
    Optional<Latest> latest = Optional.empty();
    if (view.materialization() != Materialization.MATERIALIZED) {
      problem =
          Optional.of(
              "view %s is %s: only a backfilled view has a window to compare with; materialize it ('-- materialize: true'), apply it and backfill it"
                  .formatted(view.name(), view.materialization().name().toLowerCase(Locale.ROOT)));
    } else {
      latest = latest(view);
      if (latest.isEmpty()) {
        problem =
            Optional.of(
                "view %s v%d has no committed backfill chunk: backfill it (./asof backfill %s --from ... --to ...)"
                    .formatted(view.name(), view.version(), view.name()));
      }
    }
    if (problem.isPresent()) {
      allUnavailable(features, problem.get(), unavailable);
      return;
    }
    BackfillJob job = latest.get().job();
    BackfillChunk chunk = latest.get().chunk();
    Window window = Window.backfill(job.id(), chunk.index(), job.table(), chunk.from(), chunk.to());
    Map<String, FeatureStatistics> statistics =
        registry.statistics(job.id(), chunk.index()).stream()
            .collect(Collectors.toMap(FeatureStatistics::name, s -> s, (a, b) -> b));
    Map<Candidate, FeatureStatistics> found = new LinkedHashMap<>();
    for (Candidate c : features) {
      FeatureStatistics s = statistics.get(c.feature().name());
      if (s == null) {
        unavailable.put(
            c,
            unavailable(
                c,
                "chunk %d of backfill %s recorded no statistics of it: backfill the view again"
                    .formatted(chunk.index(), job.id())));
      } else {
        found.put(c, s);
      }
    }
    String eventType =
        view.columns().stream()
            .filter(c -> c.name().equals(view.eventTime()))
            .map(Column::type)
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "the registry's record of view %s v%d has no column %s, its event time: apply the view again"
                            .formatted(view.name(), view.version(), view.eventTime())));
    binAndCount(
        found,
        window,
        binnings ->
            DriftSql.counts(
                engine,
                job.table(),
                OptionalLong.empty(),
                Optional.of(
                    BackfillSql.inChunk(
                        PointInTimeSql.quote(view.eventTime()),
                        eventType,
                        chunk.from(),
                        chunk.to())),
                binnings),
        unavailable,
        binned);
  }

  /**
   * Bins the features of an aggregation view, which has no backfilled window, by the same features
   * evaluated over its events of the last {@link DriftReport#REFERENCE_PERIOD} up to its newest
   * event time: at each distinct (key, event time) of those events, with the view version the build
   * read and the semantics the build used ({@link DriftSql#reference}). A period that ends at the
   * newest event, not now, keeps the comparison meaningful for events that stopped coming (a
   * historical data set). The bin edges and categories are computed over that reference as a
   * backfill computes a chunk's statistics; then its values are counted into them. The reference is
   * evaluated twice (statistics, then counts), each in one statement.
   */
  private void evaluateView(
      List<Candidate> features,
      Map<Candidate, FeatureDrift> unavailable,
      Map<Candidate, Binned> binned) {
    AppliedView view = features.getFirst().view();
    if (view.compiled().isEmpty()) {
      allUnavailable(
          features,
          "view %s v%d is an aggregation view applied before Asof recorded its compiled aggregation: its features cannot be evaluated to compare with"
              .formatted(view.name(), view.version()),
          unavailable);
      return;
    }
    WindowedAggregation aggregation = view.compiled().get();
    Object newest = engine.query(DriftSql.newestSql(aggregation)).onlyValue();
    if (newest == null) {
      allUnavailable(
          features,
          "view %s v%d is an aggregation view without events (no event of an entity has an event time): there is nothing to evaluate its features over, so nothing to compare"
              .formatted(view.name(), view.version()),
          unavailable);
      return;
    }
    Instant to = OfflineValues.instant(newest);
    Instant from = to.minus(DriftReport.REFERENCE_PERIOD);
    Window window = Window.evaluated(from, to);
    List<Column> keys = new ArrayList<>();
    for (String key : view.keyColumns()) {
      view.columns().stream().filter(c -> c.name().equals(key)).forEach(keys::add);
    }
    List<Column> outputs =
        view.columns().stream().filter(c -> !view.keyColumns().contains(c.name())).toList();
    String reference =
        DriftSql.reference(
            view.name(),
            aggregation,
            keys,
            outputs,
            features.stream().map(c -> c.feature().name()).toList(),
            from,
            to);
    List<FeatureStatistics> statistics =
        ChunkStatisticsSql.statisticsOverQuery(
            engine, reference, features.stream().map(Candidate::feature).toList());
    Map<Candidate, FeatureStatistics> found = new LinkedHashMap<>();
    for (int i = 0; i < features.size(); i++) {
      found.put(features.get(i), statistics.get(i));
    }
    binAndCount(
        found,
        window,
        binnings -> DriftSql.countsOverQuery(engine, reference, binnings),
        unavailable,
        binned);
  }

  /**
   * Bins each feature by its window's statistics ({@link #bin}), counts the window's values into
   * those bins with {@code count} (one statement for all of them), and records each binned feature
   * with its window's counts.
   */
  private static void binAndCount(
      Map<Candidate, FeatureStatistics> statistics,
      Window window,
      Function<List<Binning>, List<Counts>> count,
      Map<Candidate, FeatureDrift> unavailable,
      Map<Candidate, Binned> binned) {
    List<Candidate> counted = new ArrayList<>();
    List<Binned> toCount = new ArrayList<>();
    statistics.forEach(
        (c, s) ->
            bin(c, s, window, unavailable)
                .ifPresent(
                    b -> {
                      counted.add(c);
                      toCount.add(b);
                    }));
    if (toCount.isEmpty()) {
      return;
    }
    List<Counts> counts = count.apply(toCount.stream().map(b -> b.windowBinning).toList());
    for (int i = 0; i < counted.size(); i++) {
      toCount.get(i).windowCounts = counts.get(i);
      binned.put(counted.get(i), toCount.get(i));
    }
  }

  /**
   * A feature's bins from its window's statistics: the quantiles as edges, else the top values as
   * categories; empty, with the reason in {@code unavailable}, when it has neither.
   */
  private static Optional<Binned> bin(
      Candidate c, FeatureStatistics s, Window window, Map<Candidate, FeatureDrift> unavailable) {
    List<Double> edges =
        s.quantiles().stream()
            .map(FeatureStatistics.Quantile::value)
            .filter(Double::isFinite)
            .distinct()
            .sorted()
            .toList();
    List<String> categories =
        s.topValues().stream().map(FeatureStatistics.ValueCount::value).toList();
    if (!edges.isEmpty()) {
      return Optional.of(
          new Binned(
              Kind.NUMERIC,
              window,
              Binning.numeric(c.column(), edges),
              Binning.numeric(c.feature().name(), edges)));
    }
    if (!categories.isEmpty()) {
      return Optional.of(
          new Binned(
              Kind.CATEGORICAL,
              window,
              Binning.categorical(c.column(), categories),
              Binning.categorical(c.feature().name(), categories)));
    }
    unavailable.put(
        c,
        unavailable(
            c,
            s.rows() == s.nulls()
                ? "the window has no value of it: there is nothing to compare"
                : "its type %s is neither numeric nor categorical: drift is not computed for it"
                    .formatted(c.feature().type())));
    return Optional.empty();
  }

  private static void allUnavailable(
      List<Candidate> features, String reason, Map<Candidate, FeatureDrift> unavailable) {
    for (Candidate c : features) {
      unavailable.put(c, unavailable(c, reason));
    }
  }

  private static FeatureDrift unavailable(Candidate c, String reason) {
    return FeatureDrift.unavailable(
        c.view().name(),
        c.view().version(),
        c.feature().name(),
        c.column(),
        c.feature().type(),
        reason);
  }

  private record Latest(BackfillJob job, BackfillChunk chunk) {}

  /** The committed chunk of the view's version that ends last (the latest committed on a tie). */
  private Optional<Latest> latest(AppliedView view) {
    List<Latest> committed = new ArrayList<>();
    for (BackfillJob job : registry.backfills(view.name())) {
      if (job.version() != view.version()) {
        continue;
      }
      for (BackfillChunk chunk : job.chunks()) {
        if (chunk.status() == BackfillChunk.Status.COMMITTED) {
          committed.add(new Latest(job, chunk));
        }
      }
    }
    return committed.stream()
        .max(
            Comparator.comparing((Latest l) -> l.chunk().to())
                .thenComparing(l -> l.chunk().committedAt().orElse(l.chunk().to())));
  }

  /**
   * The features of the build: each view version it read, each of that version's feature columns
   * the table holds (as {@code <view>__<feature>} when the name was taken twice, else as named).
   */
  private List<Candidate> candidates(TrainingBuild build) {
    List<Column> columns =
        engine.describe(MetadataSql.atSnapshot(quoteQualified(build.table()), build.snapshotId()));
    Set<String> names =
        columns.stream()
            .map(c -> c.name().toLowerCase(Locale.ROOT))
            .collect(Collectors.toCollection(TreeSet::new));
    List<Candidate> candidates = new ArrayList<>();
    build
        .featureVersions()
        .forEach(
            (name, version) -> {
              Optional<AppliedView> view = registry.version(name, version).map(ViewVersion::view);
              if (view.isEmpty()) {
                return;
              }
              AppliedView applied = view.get();
              for (Column column : applied.columns()) {
                if (applied.keyColumns().contains(column.name())
                    || applied.eventTime().equals(column.name())
                    || applied.createdTime().equals(Optional.of(column.name()))) {
                  continue;
                }
                String prefixed = name + "__" + column.name();
                if (names.contains(prefixed)) {
                  candidates.add(new Candidate(applied, column, prefixed));
                } else if (names.contains(column.name())) {
                  candidates.add(new Candidate(applied, column, column.name()));
                }
              }
            });
    return candidates;
  }

  private static String quoteQualified(String table) {
    return java.util.Arrays.stream(table.split("\\.", -1))
        .map(PointInTimeSql::quote)
        .collect(Collectors.joining("."));
  }
}
