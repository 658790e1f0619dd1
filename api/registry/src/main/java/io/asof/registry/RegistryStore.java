package io.asof.registry;

/**
 * Where the registry lives, in one database (one jOOQ context): an embedded H2 file, or PostgreSQL.
 * Its roles are interfaces of their own, so that code that needs one role says so: {@link
 * ViewRegistry}, {@link BuildRecords}, {@link BackfillJournal}, {@link StatisticsRecords}, {@link
 * OnlineGroups}, {@link CostLedger}.
 */
public interface RegistryStore
    extends ViewRegistry,
        BuildRecords,
        BackfillJournal,
        StatisticsRecords,
        OnlineGroups,
        CostLedger,
        AutoCloseable {
  /** The schema version the store's tables are migrated to. */
  int schemaVersion();

  @Override
  void close();
}
