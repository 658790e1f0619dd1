package io.asof.athena.emulator;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/** Where UNLOAD writes: an S3-compatible store (s3proxy in tests), through the AWS SDK. */
final class UnloadStore implements AutoCloseable {
  private final S3Client s3;

  UnloadStore(URI endpoint) {
    this.s3 =
        S3Client.builder()
            .endpointOverride(requireNonNull(endpoint, "endpoint is null"))
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .build();
  }

  /** Whether any object's key starts with the location's prefix. */
  boolean holdsObjects(String location) {
    Location target = Location.parse(location);
    try {
      return s3.listObjectsV2(r -> r.bucket(target.bucket()).prefix(target.prefix()).maxKeys(1))
          .hasContents();
    } catch (NoSuchBucketException e) {
      return false;
    }
  }

  /**
   * Writes the rows of {@code result} as Parquet files {@code <queryId>_<n>.parquet} under the
   * location, {@code fileRows} rows a file; returns how many rows were written. A query without
   * rows writes no file, as Athena's does.
   *
   * @throws IllegalArgumentException for a column type Athena's UNLOAD cannot write
   */
  long unload(ResultSet result, String location, String queryId, boolean gzip, int fileRows)
      throws SQLException, IOException {
    Location target = Location.parse(location);
    ResultSetMetaData metaData = result.getMetaData();
    List<QueryResults.Column> columns = new ArrayList<>(metaData.getColumnCount());
    for (int i = 1; i <= metaData.getColumnCount(); i++) {
      columns.add(
          new QueryResults.Column(
              metaData.getColumnLabel(i), TrinoType.parse(metaData.getColumnTypeName(i))));
    }
    UnloadWriter.schema(columns); // refuses an unsupported type before anything is written
    Path directory = Files.createTempDirectory("athena-emulator-unload-");
    long rows = 0;
    int files = 0;
    try {
      UnloadWriter writer = null;
      Path file = null;
      try {
        while (result.next()) {
          if (writer == null) {
            file = directory.resolve(queryId + "_" + files + ".parquet");
            writer = new UnloadWriter(file, columns, gzip);
          }
          List<Object> values = new ArrayList<>(columns.size());
          for (int i = 1; i <= columns.size(); i++) {
            values.add(result.getObject(i));
          }
          writer.write(values);
          rows++;
          if (writer.rows() == fileRows) {
            writer.close();
            writer = null;
            upload(target, file);
            files++;
          }
        }
        if (writer != null) {
          writer.close();
          writer = null;
          upload(target, file);
        }
      } finally {
        if (writer != null) {
          writer.close();
        }
      }
    } finally {
      try (var left = Files.list(directory)) {
        for (Path path : left.toList()) {
          Files.deleteIfExists(path);
        }
      }
      Files.deleteIfExists(directory);
    }
    return rows;
  }

  private void upload(Location target, Path file) {
    String key = target.prefix() + file.getFileName();
    try {
      s3.putObject(r -> r.bucket(target.bucket()).key(key), RequestBody.fromFile(file));
    } catch (NoSuchBucketException e) {
      s3.createBucket(r -> r.bucket(target.bucket()));
      s3.putObject(r -> r.bucket(target.bucket()).key(key), RequestBody.fromFile(file));
    }
  }

  @Override
  public void close() {
    s3.close();
  }

  /** An {@code s3://bucket/prefix/} location; the prefix ends with a slash unless empty. */
  private record Location(String bucket, String prefix) {
    static Location parse(String location) {
      String path = location.substring("s3://".length());
      int slash = path.indexOf('/');
      String bucket = slash < 0 ? path : path.substring(0, slash);
      String prefix = slash < 0 ? "" : path.substring(slash + 1);
      if (!prefix.isEmpty() && !prefix.endsWith("/")) {
        prefix += "/";
      }
      return new Location(bucket, prefix);
    }
  }
}
