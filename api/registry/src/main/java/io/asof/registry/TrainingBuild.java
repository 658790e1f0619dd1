package io.asof.registry;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One build of a training set into an Iceberg table: which snapshot holds its rows, what definition
 * and feature versions produced them, and what it cost.
 *
 * @param table the table, {@code catalog.schema.name}
 * @param snapshotId the Iceberg snapshot with exactly these rows ({@code FOR VERSION AS OF})
 * @param fingerprint a hash of the statement that computed the rows (spine, features, view SQL)
 * @param spineSql the spine query as it was
 * @param featureVersions each view the rows took features from, and its version then
 * @param viewsAsOf the moment the backfilled views were read as of (Iceberg time travel), when the
 *     build asked for one; else they were read as of {@code builtAt}
 */
public record TrainingBuild(
    String name,
    String table,
    long snapshotId,
    String fingerprint,
    String spineSql,
    Map<String, Integer> featureVersions,
    Optional<Instant> viewsAsOf,
    long rows,
    long bytes,
    Instant builtAt,
    Duration took) {
  public TrainingBuild {
    requireNonNull(name, "name is null");
    requireNonNull(table, "table is null");
    requireNonNull(fingerprint, "fingerprint is null");
    requireNonNull(spineSql, "spineSql is null");
    featureVersions =
        Collections.unmodifiableMap(
            new LinkedHashMap<>(requireNonNull(featureVersions, "featureVersions is null")));
    requireNonNull(viewsAsOf, "viewsAsOf is null");
    requireNonNull(builtAt, "builtAt is null");
    requireNonNull(took, "took is null");
  }
}
