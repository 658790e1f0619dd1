package io.asof.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.compiler.catalog.EngineWarehouseCatalog;
import io.asof.compiler.dialect.TrinoDialect;
import io.asof.features.repository.RepositoryLoader;
import io.asof.model.Column;
import io.asof.model.FeatureRepository;
import io.asof.model.FeatureViewSpec;
import io.asof.model.RepositoryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Push views compile from their declared columns alone, without asking the warehouse. */
class TestPushViewCompiler {
  private static final Path NEWS = Path.of("../../sql-features/examples/news");

  private final NoEngine engine = new NoEngine();
  private final FeatureViewCompiler compiler =
      new FeatureViewCompiler(
          new EngineWarehouseCatalog(engine, new TrinoDialect()), engine, "iceberg");

  @TempDir Path repository;

  @Test
  void compilesTheNewsPushViewFromItsDeclaration() {
    CompiledView live = compile(RepositoryLoader.load(NEWS), "article_live");
    assertThat(live.columns())
        .containsExactly(
            new Column("article_id", "bigint"),
            new Column("updated_at", "timestamp(6)"),
            new Column("reads_5m", "bigint"),
            new Column("likes_5m", "bigint"),
            new Column("shares_5m", "bigint"));
    assertThat(live.features())
        .extracting(Column::name)
        .containsExactly("reads_5m", "likes_5m", "shares_5m");
    assertThat(live.sourceTables()).isEmpty();
    assertThat(live.lineage().keySet())
        .containsExactly("article_id", "updated_at", "reads_5m", "likes_5m", "shares_5m");
    assertThat(live.lineage().values()).allMatch(List::isEmpty);
  }

  @Test
  void typesStayAsDeclaredAndTheCreatedTimeIsNoFeature() throws IOException {
    write(
        "views/live.sql",
        """
        -- entity: article
        -- event_time: updated_at
        -- created_time: received_at
        -- push: true
        CREATE TABLE live (
          article_id integer, updated_at timestamp, received_at timestamp(6),
          score decimal(5,2), flag tinyint, code char(2)
        )
        """);
    CompiledView live = compile(RepositoryLoader.load(repository), "live");
    assertThat(live.columns())
        .extracting(c -> c.name() + " " + c.type())
        .containsExactly(
            "article_id integer",
            "updated_at timestamp(3)",
            "received_at timestamp(6)",
            "score decimal(5,2)",
            "flag tinyint",
            "code char(2)");
    assertThat(live.features()).extracting(Column::name).containsExactly("score", "flag", "code");
  }

  @Test
  void keysAndTimesMustBeDeclaredWithTheRightTypes() throws IOException {
    write(
        "views/live.sql",
        """
        -- entity: article
        -- event_time: updatd_at
        -- created_time: received_on
        -- push: true

        -- counters
        CREATE TABLE live (
          updated_at timestamp(6),
          received_on date,
          reads bigint
        )
        """);
    FeatureRepository loaded = RepositoryLoader.load(repository);
    assertThatThrownBy(() -> compiler.compileAll(loaded))
        .isInstanceOfSatisfying(
            RepositoryException.class,
            e ->
                assertThat(e.diagnostics())
                    .extracting(d -> d.relativeTo(repository))
                    .containsExactly(
                        "views/live.sql:7:1: missing key column article_id: a view of entity article must declare article_id; add article_id <type> to the CREATE TABLE",
                        "views/live.sql:7:1: the event_time column updatd_at is not declared (did you mean updated_at?): add updatd_at timestamp(6) to the CREATE TABLE, or name one of its columns (updated_at, received_on, reads) in '-- event_time:'",
                        "views/live.sql:9:3: the created_time column received_on is declared date, not a timestamp: declare it received_on timestamp(6)"));
  }

  private CompiledView compile(FeatureRepository loaded, String name) {
    FeatureViewSpec spec = loaded.view(name).orElseThrow();
    return compiler.compile(spec, loaded.entity(spec.entity()).orElseThrow());
  }

  private void write(String name, String text) throws IOException {
    Files.writeString(
        repository.resolve("entities.yaml"), "entities:\n  article:\n    keys: [article_id]\n");
    Path file = repository.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
