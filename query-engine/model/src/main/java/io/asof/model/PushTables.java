package io.asof.model;

/**
 * Names of a push view's storage, shared by {@code asof apply} (which creates the tables) and the
 * ingestion server (which commits pushed rows into them).
 *
 * <p>Each version of a push view has its own Iceberg table, {@code
 * <catalog>.features.<view>__v<N>}: the view's declared columns in order, then {@link
 * #SEQUENCE_COLUMN}, partitioned by day of the event time. The view published as {@code
 * <catalog>.features.<view>} reads the current version's table.
 */
public final class PushTables {
  /**
   * The column after the declared ones: the push-log sequence number of the batch that brought the
   * row. The ingestion server commits each batch exactly once by it: a batch whose sequence is
   * already in the table was committed and is not written again.
   */
  public static final String SEQUENCE_COLUMN = "__asof_push_seq";

  /** The type of {@link #SEQUENCE_COLUMN}. */
  public static final String SEQUENCE_TYPE = "bigint";

  private PushTables() {}

  /** The table of a view's version, unqualified: {@code <view>__v<version>}. */
  public static String table(String view, int version) {
    if (version < 1) {
      throw new IllegalArgumentException("version starts at 1, got " + version);
    }
    return view + "__v" + version;
  }

  /** The table of a view's version in {@code catalog}: {@code <catalog>.features.<view>__v<N>}. */
  public static String qualifiedTable(String catalog, String view, int version) {
    return catalog + "." + Schemas.FEATURES + "." + table(view, version);
  }

  /** The path rows of a view are pushed to: {@code /v1/push/<view>}. */
  public static String endpoint(String view) {
    return "/v1/push/" + view;
  }
}
