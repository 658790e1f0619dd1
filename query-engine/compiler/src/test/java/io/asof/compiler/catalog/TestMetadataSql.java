package io.asof.compiler.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.testing.GoldenFiles;
import io.asof.testing.TrinoSql;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The metadata statements, reviewed in a golden file; a name cannot close its literal. */
class TestMetadataSql {
  @Test
  void theStatementsMatchTheirGoldenFile() {
    List<String> statements =
        List.of(
            MetadataSql.tableType("iceberg", "training", "click_model"),
            MetadataSql.tableExists("iceberg", "features", "user_profile"),
            MetadataSql.columnNames("iceberg", "training", "click_model"),
            MetadataSql.notNullColumns("iceberg", "features", "article_live__v1"),
            MetadataSql.tableComment("iceberg", "training", "click_model"),
            MetadataSql.showColumns("iceberg.training.click_model"),
            MetadataSql.mainBranchSnapshot("iceberg.training.click_model"),
            MetadataSql.latestSnapshot("iceberg.features.article_live__v1"),
            MetadataSql.latestSnapshotAdded("iceberg.features.user_engagement__v2"),
            MetadataSql.snapshotExists("iceberg.training.click_model", 8_243_112_409_001L),
            MetadataSql.recentSnapshots("iceberg.training.click_model", 5),
            MetadataSql.dataBytes("iceberg.training.click_model"),
            MetadataSql.atSnapshot("iceberg.training.click_model", 8_243_112_409_001L),
            MetadataSql.currentTimeMillis(),
            MetadataSql.snapshotsCommitted("iceberg.features.clicks__v1"),
            MetadataSql.fileCounts("iceberg.features.clicks__v1", 33_554_432L),
            MetadataSql.partitionsWithSmallFiles("iceberg.features.clicks__v1", 33_554_432L),
            MetadataSql.partitions("iceberg.features.clicks__v1"));
    statements.forEach(TrinoSql::assertParses);
    GoldenFiles.assertMatches("catalog/metadata.sql", String.join(";\n\n", statements) + ";");
  }

  @Test
  void aQuoteInANameStaysInsideItsLiteral() {
    assertThat(MetadataSql.tableExists("iceberg", "dwh", "x' OR '1'='1"))
        .endsWith("table_name = 'x'' OR ''1''=''1'");
    assertThat(MetadataSql.metadataTable("iceberg.s.t\"x", "files"))
        .isEqualTo("iceberg.s.\"t\"\"x$files\"");
    assertThatThrownBy(() -> MetadataSql.metadataTable("t", "files"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
