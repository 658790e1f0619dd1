package io.asof.server;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;

/**
 * The catalog endpoints' replies, as {@link Json} writes them: components in the order the fields
 * appear on the wire, snake_case names, absent values as JSON null. Timestamps are ISO-8601 strings
 * already ({@code Instant.toString()}), windows and TTLs as {@code Durations.format}.
 */
final class CatalogReplies {
  private CatalogReplies() {}

  /** {@code GET /v1/catalog/views}: the query as given and the views it matched. */
  record ViewList(String query, List<ViewSummary> views) {}

  /** A view as the list shows it; a view's page shows this and {@link ViewDetail}'s fields. */
  record ViewSummary(
      String name,
      int version,
      String description,
      String owner,
      String entity,
      @JsonProperty("key_columns") List<String> keyColumns,
      List<String> tags,
      String materialization,
      boolean online,
      List<String> features,
      List<String> windows,
      @JsonProperty("applied_at") String appliedAt) {}

  /** {@code GET /v1/catalog/views/{name}}: the summary's fields, then the rest of the page. */
  record ViewDetail(
      @JsonUnwrapped ViewSummary summary,
      @JsonProperty("event_time") String eventTime,
      @JsonProperty("created_time") String createdTime,
      String ttl,
      String fingerprint,
      String sql,
      List<ViewColumn> columns,
      Lineage lineage,
      Freshness freshness,
      @JsonProperty("online_status") OnlineStatus onlineStatus,
      List<Version> versions,
      @JsonProperty("training_sets") List<TrainingSetSummary> trainingSets,
      @JsonProperty("feature_services") List<FeatureService> featureServices) {}

  /** A column of a view: its role, description, the warehouse columns that feed it, its window. */
  record ViewColumn(
      String name,
      String type,
      String role,
      String description,
      List<String> sources,
      String window) {}

  /** The warehouse tables (with the columns read) and the column-to-column edges. */
  record Lineage(List<LineageTable> tables, List<Edge> edges) {}

  /** A warehouse table and the columns of it a view reads. */
  record LineageTable(String table, List<String> columns) {}

  /** A warehouse column feeding a column of the view. */
  record Edge(String from, String to) {}

  /** Where a view's table is filled up to, and when it was last written. */
  record Freshness(
      String table,
      @JsonProperty("filled_from") String filledFrom,
      String watermark,
      @JsonProperty("last_materialized_at") String lastMaterializedAt,
      @JsonProperty("committed_chunks") int committedChunks) {}

  /** A view's online group. */
  record OnlineStatus(
      String state,
      String mode,
      int version,
      String table,
      @JsonProperty("loaded_through") String loadedThrough,
      long items,
      @JsonProperty("enabled_at") String enabledAt,
      @JsonProperty("updated_at") String updatedAt) {}

  /** A version of a view, and whether it is the current one. */
  record Version(
      int version,
      String fingerprint,
      @JsonProperty("applied_at") String appliedAt,
      @JsonProperty("retired_at") String retiredAt,
      boolean current) {}

  /** A feature service that serves features of the view. */
  record FeatureService(String name, String description, List<String> features) {}

  /** {@code GET /v1/catalog/views/{name}/statistics}: the features' statistics per chunk. */
  record Statistics(
      String view,
      int version,
      String materialization,
      String note,
      List<FeatureStatistics> features) {}

  /** One feature's statistics: per chunk, the latest chunk, and the latest chunk's histogram. */
  record FeatureStatistics(
      String name, String type, List<Chunk> chunks, Chunk latest, List<HistogramBin> histogram) {}

  /** A feature's statistics over one committed backfill chunk. */
  record Chunk(
      @JsonProperty("job_id") String jobId,
      int chunk,
      String from,
      String to,
      long rows,
      long nulls,
      Double min,
      Double max,
      Double mean,
      Long distinct,
      List<Quantile> quantiles,
      @JsonProperty("top_values") List<TopValue> topValues,
      String earliest,
      String latest) {}

  /** A quantile: the fraction of values at or below {@code value}. */
  record Quantile(double fraction, double value) {}

  /** One of the most frequent values, and how often it occurs. */
  record TopValue(String value, long count) {}

  /** A bin of a histogram and the share of values in it. */
  record HistogramBin(double lower, double upper, double share) {}

  /** {@code GET /v1/catalog/training-sets}: every set, by name. */
  record TrainingSets(@JsonProperty("training_sets") List<TrainingSetSummary> trainingSets) {}

  /** A training set as the lists show it: its definition (when in the repository), its builds. */
  record TrainingSetSummary(
      String name,
      @JsonProperty("in_repository") boolean inRepository,
      String description,
      String timestamp,
      String label,
      List<String> features,
      @JsonProperty("feature_service") String featureService,
      @JsonProperty("build_count") int buildCount,
      @JsonProperty("last_build") TrainingSetReplies.Build lastBuild) {}

  /** {@code GET /v1/catalog/training-sets/{name}}: the summary's fields, the spine, the builds. */
  record TrainingSetDetail(
      @JsonUnwrapped TrainingSetSummary summary,
      @JsonProperty("spine_sql") String spineSql,
      List<TrainingSetReplies.Build> builds) {}
}
