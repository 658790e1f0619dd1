package io.asof.engine.athena;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Where and how Asof runs queries on Athena.
 *
 * @param region the AWS region of the workgroup, the Glue catalog and the S3 buckets
 * @param endpoint an endpoint instead of Athena's own (the local emulator in tests), or empty
 * @param workGroup the workgroup queries run in; its scan limits and engine version apply
 * @param outputLocation where Athena writes query results ({@code s3://bucket/prefix/}), or empty
 *     when the workgroup enforces its own
 * @param catalog the data catalog ({@code awsdatacatalog} for Glue)
 * @param database the Glue database unqualified names are read in
 * @param pollInitial the first wait between polls of a running query; it doubles up to {@code
 *     pollMax}
 * @param pollMax the longest wait between polls
 * @param timeout how long a query may run before it is stopped and reported as failed
 * @param resultReuseMaxAge how old a result of the same read-only query Athena may hand back
 *     instead of running it again; zero turns reuse off
 * @param maxAttempts how many times a call refused for throttling, or a read-only query failed with
 *     a retryable error, is tried in all
 * @param usdPerTerabyte the price of a terabyte scanned, for the cost Asof reports
 * @param unloadLocation where large pulls are unloaded to as Parquet files ({@code
 *     s3://bucket/prefix/}); empty for {@code asof-unload/} under the output location
 * @param s3Endpoint an endpoint instead of S3's own for reading unloaded files (an S3-compatible
 *     store in tests), or empty
 */
public record AthenaConfig(
    String region,
    Optional<URI> endpoint,
    String workGroup,
    Optional<String> outputLocation,
    String catalog,
    String database,
    Duration pollInitial,
    Duration pollMax,
    Duration timeout,
    Duration resultReuseMaxAge,
    int maxAttempts,
    double usdPerTerabyte,
    Optional<String> unloadLocation,
    Optional<URI> s3Endpoint) {
  /** The name Athena gives the AWS Glue Data Catalog in SQL. */
  public static final String GLUE_CATALOG = "awsdatacatalog";

  /** Athena's minimum charge: every query is billed as if it scanned at least 10 MB. */
  public static final long MINIMUM_BILLED_BYTES = 10L * 1024 * 1024;

  public AthenaConfig {
    requireNonNull(region, "region is null");
    requireNonNull(endpoint, "endpoint is null");
    requireNonNull(workGroup, "workGroup is null");
    requireNonNull(outputLocation, "outputLocation is null");
    requireNonNull(catalog, "catalog is null");
    requireNonNull(database, "database is null");
    requireNonNull(pollInitial, "pollInitial is null");
    requireNonNull(pollMax, "pollMax is null");
    requireNonNull(timeout, "timeout is null");
    requireNonNull(resultReuseMaxAge, "resultReuseMaxAge is null");
    requireNonNull(unloadLocation, "unloadLocation is null");
    requireNonNull(s3Endpoint, "s3Endpoint is null");
    outputLocation.ifPresent(location -> requireS3("output", location));
    unloadLocation.ifPresent(location -> requireS3("unload", location));
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
    }
    if (pollInitial.isNegative() || pollInitial.isZero() || pollMax.compareTo(pollInitial) < 0) {
      throw new IllegalArgumentException(
          "poll waits must be positive and pollMax at least pollInitial: %s, %s"
              .formatted(pollInitial, pollMax));
    }
  }

  /**
   * The defaults for a workgroup: the Glue catalog, polls from 100 ms to 2 s, one hour per query,
   * no result reuse, 5 attempts, $5 per TB scanned.
   */
  public static AthenaConfig of(String region, String workGroup, String database) {
    return new AthenaConfig(
        region,
        Optional.empty(),
        workGroup,
        Optional.empty(),
        GLUE_CATALOG,
        database,
        Duration.ofMillis(100),
        Duration.ofSeconds(2),
        Duration.ofHours(1),
        Duration.ZERO,
        5,
        5.0,
        Optional.empty(),
        Optional.empty());
  }

  public AthenaConfig withEndpoint(URI uri) {
    return new AthenaConfig(
        region,
        Optional.of(uri),
        workGroup,
        outputLocation,
        catalog,
        database,
        pollInitial,
        pollMax,
        timeout,
        resultReuseMaxAge,
        maxAttempts,
        usdPerTerabyte,
        unloadLocation,
        s3Endpoint);
  }

  public AthenaConfig withCatalog(String name) {
    return new AthenaConfig(
        region,
        endpoint,
        workGroup,
        outputLocation,
        name,
        database,
        pollInitial,
        pollMax,
        timeout,
        resultReuseMaxAge,
        maxAttempts,
        usdPerTerabyte,
        unloadLocation,
        s3Endpoint);
  }

  public AthenaConfig withOutputLocation(String location) {
    return new AthenaConfig(
        region,
        endpoint,
        workGroup,
        Optional.of(location),
        catalog,
        database,
        pollInitial,
        pollMax,
        timeout,
        resultReuseMaxAge,
        maxAttempts,
        usdPerTerabyte,
        unloadLocation,
        s3Endpoint);
  }

  public AthenaConfig withPolling(Duration initial, Duration max, Duration queryTimeout) {
    return new AthenaConfig(
        region,
        endpoint,
        workGroup,
        outputLocation,
        catalog,
        database,
        initial,
        max,
        queryTimeout,
        resultReuseMaxAge,
        maxAttempts,
        usdPerTerabyte,
        unloadLocation,
        s3Endpoint);
  }

  public AthenaConfig withResultReuse(Duration maxAge) {
    return new AthenaConfig(
        region,
        endpoint,
        workGroup,
        outputLocation,
        catalog,
        database,
        pollInitial,
        pollMax,
        timeout,
        maxAge,
        maxAttempts,
        usdPerTerabyte,
        unloadLocation,
        s3Endpoint);
  }

  /**
   * Unloads large pulls to {@code location} ({@code s3://bucket/prefix/}) instead of {@code
   * asof-unload/} under the output location.
   */
  public AthenaConfig withUnloadLocation(String location) {
    return new AthenaConfig(
        region,
        endpoint,
        workGroup,
        outputLocation,
        catalog,
        database,
        pollInitial,
        pollMax,
        timeout,
        resultReuseMaxAge,
        maxAttempts,
        usdPerTerabyte,
        Optional.of(location),
        s3Endpoint);
  }

  /** Reads unloaded files from an S3-compatible store at {@code uri} (path-style requests). */
  public AthenaConfig withS3Endpoint(URI uri) {
    return new AthenaConfig(
        region,
        endpoint,
        workGroup,
        outputLocation,
        catalog,
        database,
        pollInitial,
        pollMax,
        timeout,
        resultReuseMaxAge,
        maxAttempts,
        usdPerTerabyte,
        unloadLocation,
        Optional.of(uri));
  }

  /**
   * Where large pulls are unloaded: the configured unload location, else {@code asof-unload/} under
   * the output location; empty when neither is known, and large pulls are paged instead.
   */
  public Optional<String> unloadPrefix() {
    return unloadLocation
        .or(() -> outputLocation.map(o -> (o.endsWith("/") ? o : o + "/") + "asof-unload/"))
        .map(location -> location.endsWith("/") ? location : location + "/");
  }

  private static void requireS3(String what, String location) {
    if (!location.startsWith("s3://")) {
      throw new IllegalArgumentException(
          "the Athena %s location must be an s3:// URI, not %s".formatted(what, location));
    }
  }

  /** What scanning {@code bytes} costs in US dollars, with Athena's 10 MB minimum per query. */
  public double costUsd(long bytes) {
    return Math.max(bytes, MINIMUM_BILLED_BYTES) * usdPerTerabyte / 1e12;
  }
}
