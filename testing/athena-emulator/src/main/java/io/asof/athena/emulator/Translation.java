package io.asof.athena.emulator;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the emulator does with one Athena statement: run Trino statements, unload a query's rows to
 * S3, or fail it.
 */
sealed interface Translation {
  /** Athena's classification of the statement. */
  StatementType statementType();

  /**
   * Runs the statements on Trino, in order; the last one's result is the query's.
   *
   * @param trinoStatements the Trino SQL, at least one statement
   * @param statementType Athena's classification of the original statement
   * @param tableProperties Athena table properties to record once the statements succeed
   * @param discardResult whether the statements only check something (that a table exists) and
   *     their rows are not the query's result
   */
  record Run(
      List<String> trinoStatements,
      StatementType statementType,
      Optional<TablePropertyChange> tableProperties,
      boolean discardResult)
      implements Translation {
    public Run {
      trinoStatements = List.copyOf(trinoStatements);
      if (trinoStatements.isEmpty()) {
        throw new IllegalArgumentException("no Trino statement to run");
      }
      requireNonNull(statementType, "statementType is null");
      requireNonNull(tableProperties, "tableProperties is null");
    }

    /** One statement whose result is the query's, recording nothing. */
    static Run of(String trinoSql, StatementType statementType) {
      return new Run(List.of(trinoSql), statementType, Optional.empty(), false);
    }
  }

  /**
   * Fails the query as a user error without running anything: Athena would refuse the statement.
   *
   * @param errorName the error's name, as Athena prefixes messages ({@code NOT_SUPPORTED})
   * @param message what is wrong and what to write instead
   */
  record Refusal(String errorName, String message, StatementType statementType)
      implements Translation {
    public Refusal {
      requireNonNull(errorName, "errorName is null");
      requireNonNull(message, "message is null");
      requireNonNull(statementType, "statementType is null");
    }

    /** The reason as Athena reports it: {@code NAME: message}. */
    String reason() {
      return errorName + ": " + message;
    }
  }

  /**
   * Runs a query on Trino and writes its rows as files to S3, as Athena's {@code UNLOAD (query) TO
   * 's3://...' WITH (format = ...)} does; the query itself returns no rows.
   *
   * @param trinoQuery the inner query, in Trino's SQL
   * @param location the S3 prefix the files go under; Athena refuses one that holds objects
   * @param compression the Parquet pages' compression: {@code GZIP} (Athena's default) or {@code
   *     NONE}
   */
  record Unload(String trinoQuery, String location, String compression) implements Translation {
    public Unload {
      requireNonNull(trinoQuery, "trinoQuery is null");
      requireNonNull(location, "location is null");
      requireNonNull(compression, "compression is null");
    }

    @Override
    public StatementType statementType() {
      return StatementType.DML;
    }
  }

  /**
   * Athena table properties ({@code TBLPROPERTIES}) of one table, kept by the emulator because
   * Trino has no place for them ({@code vacuum_max_snapshot_age_seconds}).
   *
   * @param table the table's qualified Trino name in lower case, {@code catalog.schema.table}
   * @param properties the properties to set
   * @param forget whether to forget the table's earlier properties first (a dropped table)
   */
  record TablePropertyChange(String table, Map<String, String> properties, boolean forget) {
    public TablePropertyChange {
      requireNonNull(table, "table is null");
      properties = Map.copyOf(properties);
    }
  }
}
