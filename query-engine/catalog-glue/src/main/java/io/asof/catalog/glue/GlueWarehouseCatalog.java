package io.asof.catalog.glue;

import static java.util.Objects.requireNonNull;

import io.asof.compiler.catalog.TableSchema;
import io.asof.compiler.catalog.WarehouseCatalog;
import io.asof.model.Column;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.GlueClientBuilder;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.glue.model.Table;

/**
 * Warehouse metadata from the AWS Glue Data Catalog that Athena reads: a Glue database is a schema,
 * a Glue table or view a table. Column types are Glue's Hive spelling turned into the Trino
 * spelling Athena engine v3 (and the compiler) use. Looked up lazily and cached until {@link
 * #refresh()}.
 */
public final class GlueWarehouseCatalog implements WarehouseCatalog, AutoCloseable {
  private final String catalog;
  private final Optional<String> catalogId;
  private final GlueClient glue;
  private final Map<String, Boolean> schemas = new ConcurrentHashMap<>();
  private final Map<List<String>, Optional<TableSchema>> tables = new ConcurrentHashMap<>();

  /**
   * The catalog with the AWS SDK's default credential chain (environment, profile, instance or task
   * role), whatever the endpoint.
   *
   * @param catalog the name Athena gives the Glue catalog in SQL ({@code awsdatacatalog})
   * @param catalogId the AWS account id of the Glue catalog, when it is not the caller's
   * @param endpoint an endpoint instead of Glue's own (a VPC endpoint, or the emulator in tests)
   */
  public GlueWarehouseCatalog(
      String region, String catalog, Optional<String> catalogId, Optional<URI> endpoint) {
    this(region, catalog, catalogId, endpoint, DefaultCredentialsProvider.builder().build());
  }

  /**
   * The catalog with the given credentials: an emulator's test credentials, or a provider the
   * caller chose; the other constructor takes the AWS SDK's default chain.
   */
  public GlueWarehouseCatalog(
      String region,
      String catalog,
      Optional<String> catalogId,
      Optional<URI> endpoint,
      AwsCredentialsProvider credentials) {
    requireNonNull(credentials, "credentials is null");
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.catalogId = requireNonNull(catalogId, "catalogId is null");
    GlueClientBuilder builder =
        GlueClient.builder()
            .region(Region.of(region))
            .httpClientBuilder(
                Apache5HttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(5))
                    .socketTimeout(Duration.ofSeconds(30)));
    endpoint.ifPresent(builder::endpointOverride);
    // an endpoint may be a VPC endpoint on AWS, where the instance role signs: never fake keys
    this.glue = builder.credentialsProvider(credentials).build();
  }

  /** The credentials the Glue client signs with, resolved now (for tests). */
  AwsCredentialsIdentity credentials() {
    return glue.serviceClientConfiguration().credentialsProvider().resolveIdentity().join();
  }

  @Override
  public boolean catalogExists(String name) {
    return catalog.equalsIgnoreCase(name);
  }

  @Override
  public boolean schemaExists(String catalogName, String schema) {
    if (!catalogExists(catalogName)) {
      return false;
    }
    return schemas.computeIfAbsent(
        schema.toLowerCase(Locale.ROOT),
        name -> {
          try {
            glue.getDatabase(r -> r.name(name).catalogId(catalogId.orElse(null)));
            return true;
          } catch (EntityNotFoundException e) {
            return false;
          }
        });
  }

  @Override
  public Optional<TableSchema> table(String catalogName, String schema, String table) {
    if (!schemaExists(catalogName, schema)) {
      return Optional.empty();
    }
    // Glue keeps names in lower case, as Athena does
    String database = schema.toLowerCase(Locale.ROOT);
    String name = table.toLowerCase(Locale.ROOT);
    return tables.computeIfAbsent(
        List.of(database, name),
        key -> {
          Table found;
          try {
            found =
                glue.getTable(
                        r -> r.databaseName(database).name(name).catalogId(catalogId.orElse(null)))
                    .table();
          } catch (EntityNotFoundException e) {
            return Optional.empty();
          }
          List<Column> columns = new ArrayList<>();
          if (found.storageDescriptor() != null) {
            found
                .storageDescriptor()
                .columns()
                .forEach(c -> columns.add(new Column(c.name(), trinoType(c.type(), found))));
          }
          // partition columns of Hive tables come after the others, as Athena shows them
          found
              .partitionKeys()
              .forEach(c -> columns.add(new Column(c.name(), trinoType(c.type(), found))));
          return Optional.of(new TableSchema(catalogName, schema, table, columns));
        });
  }

  @Override
  public void refresh() {
    schemas.clear();
    tables.clear();
  }

  @Override
  public void close() {
    glue.close();
  }

  private static String trinoType(String hiveType, Table table) {
    boolean iceberg = "ICEBERG".equalsIgnoreCase(table.parameters().getOrDefault("table_type", ""));
    return trinoType(hiveType, iceberg);
  }

  /**
   * A Glue (Hive) type in Trino's spelling: {@code string} is {@code varchar}, {@code array<int>}
   * is {@code array(integer)}, {@code struct<a:int>} is {@code row(a integer)}; timestamps are
   * microseconds in Iceberg tables and milliseconds in Hive ones.
   */
  static String trinoType(String hiveType, boolean iceberg) {
    return new HiveTypeParser(hiveType.strip(), iceberg).parse();
  }

  /** A recursive-descent reader of Hive type names. */
  private static final class HiveTypeParser {
    private final String text;
    private final boolean iceberg;
    private int position;

    HiveTypeParser(String text, boolean iceberg) {
      this.text = text;
      this.iceberg = iceberg;
    }

    String parse() {
      String type = type();
      if (position != text.length()) {
        throw new IllegalArgumentException(
            "cannot read the Glue type %s at position %d".formatted(text, position));
      }
      return type;
    }

    private String type() {
      String name = word().toLowerCase(Locale.ROOT);
      switch (name) {
        case "array" -> {
          expect('<');
          String element = type();
          expect('>');
          return "array(" + element + ")";
        }
        case "map" -> {
          expect('<');
          String key = type();
          expect(',');
          String value = type();
          expect('>');
          return "map(" + key + ", " + value + ")";
        }
        case "struct" -> {
          expect('<');
          List<String> fields = new ArrayList<>();
          do {
            String field = word();
            expect(':');
            fields.add(field + " " + type());
          } while (accept(','));
          expect('>');
          return "row(" + String.join(", ", fields) + ")";
        }
        default -> {
          String parameters = "";
          if (peek() == '(') {
            int close = text.indexOf(')', position);
            parameters = text.substring(position, close + 1).replace(" ", "");
            position = close + 1;
          }
          return scalar(name, parameters);
        }
      }
    }

    private String scalar(String name, String parameters) {
      return switch (name) {
        case "string" -> "varchar";
        case "int" -> "integer";
        case "float" -> "real";
        case "binary" -> "varbinary";
        case "timestamp" -> iceberg ? "timestamp(6)" : "timestamp(3)";
        case "timestamptz" -> "timestamp(6) with time zone";
        default -> name + parameters;
      };
    }

    private String word() {
      skipSpaces();
      int start = position;
      while (position < text.length()
          && (Character.isLetterOrDigit(text.charAt(position)) || text.charAt(position) == '_')) {
        position++;
      }
      if (start == position) {
        throw new IllegalArgumentException(
            "cannot read the Glue type %s at position %d".formatted(text, position));
      }
      return text.substring(start, position);
    }

    private char peek() {
      skipSpaces();
      return position < text.length() ? text.charAt(position) : '\0';
    }

    private boolean accept(char c) {
      if (peek() == c) {
        position++;
        return true;
      }
      return false;
    }

    private void expect(char c) {
      if (!accept(c)) {
        throw new IllegalArgumentException(
            "cannot read the Glue type %s: expected %s at position %d"
                .formatted(text, c, position));
      }
    }

    private void skipSpaces() {
      while (position < text.length() && text.charAt(position) == ' ') {
        position++;
      }
    }
  }
}
