package io.asof.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.asof.testing.GoldenFiles;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/**
 * The statements of a micro-batch commit, against reviewed golden files; {@code TestPushServer}
 * (api/server) runs every one of them on Trino.
 */
class TestPushSql {
  private static final PushView VIEW = TestPushRowParser.VIEW;

  @Test
  void commitStatements() {
    GoldenFiles.assertMatches(
        "push/commit.sql",
        String.join(
            ";\n\n",
            PushSql.createStagingSchema(VIEW),
            PushSql.createStagingTable(VIEW),
            PushSql.truncateStaging(VIEW),
            PushSql.addFile(
                VIEW,
                URI.create(
                    "local:///asof_push_staging/article_live__v1/batch-00000000000000000001-00000000000000000007.parquet")),
            PushSql.insert(VIEW),
            PushSql.truncateStaging(VIEW)));
  }

  @Test
  void recoveryAndMaintenanceStatements() {
    GoldenFiles.assertMatches(
        "push/recovery.sql",
        String.join(
            ";\n\n",
            PushSql.committedSequences(VIEW, 17),
            PushSql.committedSequences(VIEW, 17, 23),
            PushSql.compact(VIEW, LocalDate.parse("2026-12-03")),
            PushSql.expireStaging(VIEW),
            PushSql.snapshotAt(VIEW, Instant.parse("2026-12-03T10:15:30.5Z")),
            PushSql.committedThrough(VIEW, 8_243_112_409_001L)));
  }

  @Test
  void aViewTablesMetadataTableKeepsItsQualifiedQuotedParts() {
    assertThat(VIEW.metadataTable("snapshots"))
        .isEqualTo("\"iceberg\".\"features\".\"article_live__v1$snapshots\"");
  }
}
