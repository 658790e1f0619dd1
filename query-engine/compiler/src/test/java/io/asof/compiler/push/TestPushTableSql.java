package io.asof.compiler.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.asof.compiler.dialect.TrinoDialect;
import io.asof.features.repository.RepositoryLoader;
import io.asof.model.FeatureViewSpec;
import io.asof.testing.GoldenFiles;
import io.asof.testing.TrinoSql;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The statements of the news example's push view, as Trino parses them and reviewed in a golden
 * file.
 */
class TestPushTableSql {
  private static final FeatureViewSpec LIVE =
      RepositoryLoader.load(Path.of("../../sql-features/examples/news"))
          .view("article_live")
          .orElseThrow();

  @Test
  void theStatementsParseAndMatchTheirGoldenFile() {
    PushTableSql sql = new PushTableSql(LIVE);
    List<String> statements = new ArrayList<>();
    statements.add(sql.createTable("iceberg.features.article_live__v1", 1, new TrinoDialect()));
    statements.addAll(sql.comments("iceberg.features.article_live__v1", 1));
    statements.add(sql.read(1));
    statements.add(sql.empty());
    statements.add(PushTableSql.committedThrough("iceberg.features.article_live__v1"));
    statements.forEach(TrinoSql::assertParses);
    GoldenFiles.assertMatches("push/article_live.sql", String.join(";\n\n", statements) + ";");
  }

  @Test
  void columnsStoredWiderAreReadBackInTheirDeclaredTypes() {
    assertThat(new PushTableSql(LIVE).read("t"))
        .isEqualTo(
            "SELECT \"article_id\", \"updated_at\", \"reads_5m\", \"likes_5m\", \"shares_5m\"\nFROM t");
  }
}
