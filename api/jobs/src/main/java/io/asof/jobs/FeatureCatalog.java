package io.asof.jobs;

import static java.util.Objects.requireNonNull;

import io.asof.compiler.CompiledView;
import io.asof.compiler.FeatureViewCompiler;
import io.asof.compiler.catalog.EngineWarehouseCatalog;
import io.asof.compiler.dialect.EngineDialect;
import io.asof.engine.QueryEngine;
import io.asof.features.repository.RepositoryLoader;
import io.asof.model.FeatureRepository;
import io.asof.registry.AppliedView;
import io.asof.registry.ViewRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The repository's feature views compiled against the warehouse, as a service reads them: compiled
 * once, and again only when what they were compiled from changes — the registry's applied views (an
 * {@code apply}) or the repository's files — never per request.
 *
 * <p>Checking for a change costs one registry read and one read of the repository's files (a digest
 * of their contents), not a compile. Thread-safe: requests share the compiled views; one recompiles
 * while the others wait for it.
 */
public final class FeatureCatalog {
  /** The repository as loaded and its views as compiled, at one state of both. */
  public record Compiled(FeatureRepository repository, List<CompiledView> views) {
    public Compiled {
      requireNonNull(repository, "repository is null");
      views = List.copyOf(requireNonNull(views, "views is null"));
    }
  }

  /** What the views were compiled from: the applied views and the repository's files. */
  private record Stamp(List<String> applied, String files) {}

  private record Entry(Stamp stamp, Compiled compiled) {}

  private final QueryEngine engine;
  private final EngineDialect dialect;
  private final ViewRegistry registry;
  private final Path repository;
  private final String catalog;
  private volatile Entry current;

  /**
   * @param repository the feature repository's directory
   * @param catalog the Iceberg catalog the views are published in
   */
  public FeatureCatalog(
      QueryEngine engine,
      EngineDialect dialect,
      ViewRegistry registry,
      Path repository,
      String catalog) {
    this.engine = requireNonNull(engine, "engine is null");
    this.dialect = requireNonNull(dialect, "dialect is null");
    this.registry = requireNonNull(registry, "registry is null");
    this.repository = requireNonNull(repository, "repository is null");
    this.catalog = requireNonNull(catalog, "catalog is null");
  }

  /**
   * The compiled views of the repository as it is now, compiled again only if the registry or the
   * repository changed since the last call.
   *
   * @throws io.asof.model.RepositoryException when the repository does not compile (thrown again on
   *     each call until it changes)
   */
  public Compiled current() {
    Stamp stamp = stamp();
    Entry entry = current;
    if (entry != null && entry.stamp().equals(stamp)) {
      return entry.compiled();
    }
    synchronized (this) {
      entry = current;
      if (entry != null && entry.stamp().equals(stamp)) {
        return entry.compiled();
      }
      FeatureRepository features = RepositoryLoader.load(repository);
      List<CompiledView> views =
          new FeatureViewCompiler(new EngineWarehouseCatalog(engine, dialect), engine, catalog)
              .compileAll(features);
      Compiled compiled = new Compiled(features, views);
      current = new Entry(stamp, compiled);
      return compiled;
    }
  }

  private Stamp stamp() {
    List<String> applied =
        registry.views().stream()
            .map(
                (AppliedView v) ->
                    v.name() + "@" + v.version() + "/" + v.fingerprint() + "/" + v.appliedAt())
            .sorted()
            .toList();
    return new Stamp(applied, digest(repository));
  }

  /**
   * A digest of every regular file under {@code root} (their paths and contents), hidden files and
   * directories ({@code .git}) aside.
   */
  private static String digest(Path root) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
    if (!Files.isDirectory(root)) {
      return "absent";
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file :
          files.filter(f -> Files.isRegularFile(f) && !hidden(root, f)).sorted().toList()) {
        digest.update(root.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(Files.readAllBytes(file));
        digest.update((byte) 0);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the repository " + root + ": " + e, e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static boolean hidden(Path root, Path file) {
    for (Path part : root.relativize(file)) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }
}
