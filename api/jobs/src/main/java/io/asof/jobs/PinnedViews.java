package io.asof.jobs;

import static java.util.Objects.requireNonNull;

import io.asof.compiler.CompiledView;
import io.asof.compiler.TrainingSetCompiler;
import io.asof.model.DeclaredColumn;
import io.asof.model.Diagnostic;
import io.asof.model.Entity;
import io.asof.model.FeatureRepository;
import io.asof.model.FeatureViewSpec;
import io.asof.model.Materialization;
import io.asof.model.RepositoryException;
import io.asof.model.SourcePosition;
import io.asof.model.TrainingSetSpec;
import io.asof.registry.AppliedView;
import io.asof.registry.RegistryStore;
import io.asof.registry.ViewVersion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The older view versions a training set pins ({@code view@N}): which pins can be read, and each
 * pinned version compiled back from what the registry recorded when it was applied.
 */
final class PinnedViews {
  private final RegistryStore registry;
  private final ViewSources sources;
  private final Path repository;

  /** Pins read from {@code registry}; recorded versions are placed at {@code repository}. */
  PinnedViews(RegistryStore registry, ViewSources sources, Path repository) {
    this.registry = requireNonNull(registry, "registry is null");
    this.sources = requireNonNull(sources, "sources is null");
    this.repository = requireNonNull(repository, "repository is null");
  }

  /**
   * The views {@code spec} pins to a version other than the one applied now ({@code view@N}), with
   * that version; a pin to the applied version is no pin.
   *
   * @throws RepositoryException when a pinned version is unknown, retired or has no table
   */
  Map<String, Integer> versions(TrainingSetSpec spec, FeatureRepository features) {
    Map<String, Integer> pinned = new LinkedHashMap<>();
    List<Diagnostic> problems = new ArrayList<>();
    TrainingSetCompiler.versions(spec, features)
        .forEach(
            (view, version) -> {
              if (version.isEmpty()
                  || registry
                      .view(view)
                      .filter(applied -> applied.version() == version.getAsInt())
                      .isPresent()) {
                return;
              }
              int n = version.getAsInt();
              Optional<String> problem = unreadable(view, n);
              if (problem.isPresent()) {
                problems.add(new Diagnostic(spec.position(), problem.get()));
              } else {
                pinned.put(view, n);
              }
            });
    if (!problems.isEmpty()) {
      throw new RepositoryException(problems);
    }
    return pinned;
  }

  /** Why version {@code n} of a view cannot be read, if it cannot. */
  private Optional<String> unreadable(String view, int n) {
    List<ViewVersion> versions = registry.versions(view);
    Optional<ViewVersion> version = versions.stream().filter(v -> v.version() == n).findFirst();
    String readable =
        String.join(
            ", ",
            versions.stream()
                .filter(v -> !v.retired() && sources.readable(v))
                .map(v -> view + "@" + v.version())
                .toList());
    String others = readable.isEmpty() ? "none has a table" : "readable: " + readable;
    if (version.isEmpty()) {
      return Optional.of(
          versions.isEmpty()
              ? "view %s was never applied, so it has no version %d".formatted(view, n)
              : "view %s has no version %d (%s)".formatted(view, n, others));
    }
    if (version.get().retired()) {
      return Optional.of(
          "%s@%d was retired at %s and its table dropped (%s)"
              .formatted(view, n, version.get().retiredAt().orElseThrow(), others));
    }
    if (!sources.readable(version.get())) {
      return Optional.of(
          "%s@%d has no backfilled table: an older version stays readable only when it was materialized and backfilled, a push view, or an aggregation view (%s)"
              .formatted(view, n, others));
    }
    return Optional.empty();
  }

  /**
   * An older version of a view, as the registry recorded it: read from its table, or of an
   * aggregation view evaluated from the aggregation the registry recorded when it was applied.
   */
  CompiledView view(String name, int n) {
    AppliedView applied = registry.version(name, n).orElseThrow().view();
    FeatureViewSpec spec =
        new FeatureViewSpec(
            applied.name(),
            applied.entity(),
            applied.eventTime(),
            applied.createdTime(),
            applied.ttl(),
            applied.materialization(),
            applied.online(),
            applied.owner(),
            applied.description(),
            List.of(),
            declaredColumns(applied),
            applied.sql(),
            SourcePosition.start(repository),
            SourcePosition.start(repository),
            List.of(),
            applied.windows());
    Entity entity =
        new Entity(applied.entity(), applied.keyColumns(), "", SourcePosition.start(repository));
    if (applied.compiled().isPresent()) {
      return new CompiledView(
          spec,
          entity,
          applied.columns(),
          applied.columns().stream().filter(c -> !applied.keyColumns().contains(c.name())).toList(),
          List.of(),
          applied.lineage(),
          applied.compiled());
    }
    List<String> notFeatures = new ArrayList<>(applied.keyColumns());
    notFeatures.add(applied.eventTime());
    applied.createdTime().ifPresent(notFeatures::add);
    return new CompiledView(
        spec,
        entity,
        applied.columns(),
        applied.columns().stream().filter(c -> !notFeatures.contains(c.name())).toList(),
        List.of(),
        applied.lineage());
  }

  /** The columns a push view's version declared, as the registry recorded them. */
  private List<DeclaredColumn> declaredColumns(AppliedView applied) {
    if (applied.materialization() != Materialization.PUSH) {
      return List.of();
    }
    return applied.columns().stream()
        .map(
            c ->
                new DeclaredColumn(
                    c.name(),
                    c.type(),
                    false,
                    applied.description(c.name()),
                    SourcePosition.start(repository)))
        .toList();
  }
}
