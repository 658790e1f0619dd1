package io.asof.engine.athena;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The files an UNLOAD wrote under one S3 prefix: listed, downloaded one at a time to a local
 * temporary file, and deleted once read (or when the pull fails).
 */
final class UnloadedFiles implements AutoCloseable {
  private static final int DELETE_BATCH = 1000;

  private final S3Client s3;

  UnloadedFiles(AthenaConfig config, AwsCredentialsProvider credentials) {
    S3ClientBuilder builder =
        S3Client.builder()
            .region(Region.of(config.region()))
            .httpClientBuilder(
                Apache5HttpClient.builder()
                    .maxConnections(8)
                    .connectionTimeout(Duration.ofSeconds(5))
                    .socketTimeout(Duration.ofSeconds(60)));
    if (config.s3Endpoint().isPresent()) {
      builder
          .endpointOverride(config.s3Endpoint().get())
          .forcePathStyle(true)
          // S3-compatible stores may not know the SDK's newer checksum headers
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    }
    this.s3 = builder.credentialsProvider(credentials).build();
  }

  /** The data files under {@code prefix} ({@code s3://bucket/key/}), in key order. */
  List<String> list(String prefix) {
    Location location = Location.parse(prefix);
    List<String> files = new ArrayList<>();
    for (S3Object object :
        s3.listObjectsV2Paginator(r -> r.bucket(location.bucket()).prefix(location.key()))
            .contents()) {
      String name = object.key().substring(object.key().lastIndexOf('/') + 1);
      // Athena may leave markers and metadata beside the data files
      if (object.size() > 0 && !name.startsWith(".") && !name.startsWith("_")) {
        files.add("s3://" + location.bucket() + "/" + object.key());
      }
    }
    files.sort(null);
    return files;
  }

  /** Downloads one file into {@code directory}; the caller deletes it. */
  Path download(String file, Path directory) throws IOException {
    Location location = Location.parse(file);
    Path local = Files.createTempFile(directory, "unloaded-", ".parquet");
    Files.delete(local); // the SDK will not overwrite
    s3.getObject(r -> r.bucket(location.bucket()).key(location.key()), local);
    return local;
  }

  /** Deletes every object under {@code prefix}; returns how many. */
  int deleteAll(String prefix) {
    Location location = Location.parse(prefix);
    List<ObjectIdentifier> keys = new ArrayList<>();
    for (S3Object object :
        s3.listObjectsV2Paginator(r -> r.bucket(location.bucket()).prefix(location.key()))
            .contents()) {
      keys.add(ObjectIdentifier.builder().key(object.key()).build());
    }
    for (int from = 0; from < keys.size(); from += DELETE_BATCH) {
      List<ObjectIdentifier> batch = keys.subList(from, Math.min(keys.size(), from + DELETE_BATCH));
      s3.deleteObjects(r -> r.bucket(location.bucket()).delete(d -> d.objects(batch).quiet(true)));
    }
    return keys.size();
  }

  @Override
  public void close() {
    s3.close();
  }

  /** An {@code s3://bucket/key} URI taken apart. */
  record Location(String bucket, String key) {
    Location {
      requireNonNull(bucket, "bucket is null");
      requireNonNull(key, "key is null");
    }

    static Location parse(String uri) {
      if (!uri.startsWith("s3://")) {
        throw new IllegalArgumentException("not an s3:// URI: " + uri);
      }
      String path = uri.substring("s3://".length());
      int slash = path.indexOf('/');
      return slash < 0
          ? new Location(path, "")
          : new Location(path.substring(0, slash), path.substring(slash + 1));
    }
  }
}
