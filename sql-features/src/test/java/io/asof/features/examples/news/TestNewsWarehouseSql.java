package io.asof.features.examples.news;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.testing.GoldenFiles;
import io.asof.testing.TrinoSql;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The generated statements, against reviewed golden files. */
class TestNewsWarehouseSql {
  private final NewsWarehouse warehouse =
      new NewsWarehouse(NewsWarehouseSpec.defaults(), "iceberg", "dwh");

  @Test
  void warehouseStatementsMatchGoldenFile() {
    GoldenFiles.assertMatches("news/warehouse-seed42-100k.sql", joined(warehouse.statements()));
  }

  @Test
  void tourQueriesMatchGoldenFile() {
    GoldenFiles.assertMatches("news/tour.sql", joined(warehouse.tour()));
  }

  @Test
  void featuresTourQueriesMatchGoldenFile() {
    GoldenFiles.assertMatches("news/features-tour.sql", joined(warehouse.featuresTour("features")));
  }

  @Test
  void trainingTourQueriesMatchGoldenFile() {
    GoldenFiles.assertMatches("news/training-tour.sql", joined(warehouse.trainingTour("training")));
  }

  @Test
  void manifestIsWrittenLast() {
    assertThat(warehouse.statements().getLast().name()).isEqualTo("manifest");
  }

  @Test
  void scaleDrivesUsersArticlesAndTheSequenceBound() {
    NewsWarehouseSpec spec = new NewsWarehouseSpec(1, 2_500_000);
    assertThat(spec.users()).isEqualTo(100_000);
    assertThat(spec.articles()).isEqualTo(62_500);
    String impressions =
        new NewsWarehouse(spec, "iceberg", "dwh")
            .statements().stream()
                .filter(s -> s.name().equals("impressions-rows"))
                .findFirst()
                .orElseThrow()
                .sql();
    // 250 blocks of 10,000
    assertThat(impressions).contains("UNNEST(sequence(0, 249))").contains("<= 2500000");
  }

  @Test
  void refusesBadNamesAndScales() {
    assertThatThrownBy(() -> new NewsWarehouse(NewsWarehouseSpec.defaults(), "iceberg", "Dwh-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("schema must be a lower-case SQL identifier, got: Dwh-1");
    assertThatThrownBy(() -> new NewsWarehouseSpec(1, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("impressions must be between 1,000 and 100,000,000, got 10");
  }

  /** Each statement parses as Trino SQL; then all of them, joined, for the golden file. */
  private static String joined(java.util.List<NewsWarehouse.Statement> statements) {
    statements.forEach(s -> TrinoSql.assertParses(s.sql()));
    return statements.stream()
        .map(s -> "-- " + s.name() + "\n" + s.sql() + ";\n")
        .collect(Collectors.joining("\n"));
  }
}
