package io.asof.registry;

import static java.util.Objects.requireNonNull;

import io.asof.model.statistics.FeatureStatistics;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A registry that opens its database for each call and closes it after, for a long-running process
 * (the server): the embedded H2 file is locked only while a call runs, so {@code asof apply} and
 * the other commands can use the same registry between the server's requests.
 */
public final class PerCallRegistryStore implements RegistryStore, RegistryLeases {
  private final RegistryConfig config;

  /** Checks now that the registry opens (and migrates it), so that a bad one fails at start. */
  public PerCallRegistryStore(RegistryConfig config) {
    this.config = requireNonNull(config, "config is null");
    call(RegistryStore::schemaVersion);
  }

  private <T> T call(Function<JooqRegistryStore, T> call) {
    // one call at a time: two at once in one process would find the file locked by the other
    synchronized (this) {
      try (JooqRegistryStore store = JooqRegistryStore.open(config)) {
        return call.apply(store);
      }
    }
  }

  @Override
  public List<AppliedView> views() {
    return call(RegistryStore::views);
  }

  @Override
  public Optional<AppliedView> view(String name) {
    return call(store -> store.view(name));
  }

  @Override
  public void apply(Collection<AppliedView> upserts, Collection<String> removals) {
    call(
        store -> {
          store.apply(upserts, removals);
          return null;
        });
  }

  @Override
  public List<ViewVersion> versions() {
    return call(RegistryStore::versions);
  }

  @Override
  public List<ViewVersion> versions(String name) {
    return call(store -> store.versions(name));
  }

  @Override
  public Optional<ViewVersion> version(String name, int version) {
    return call(store -> store.version(name, version));
  }

  @Override
  public void retire(String name, int version, Instant at) {
    call(
        store -> {
          store.retire(name, version, at);
          return null;
        });
  }

  @Override
  public void recordBuild(TrainingBuild build) {
    call(
        store -> {
          store.recordBuild(build);
          return null;
        });
  }

  @Override
  public List<TrainingBuild> builds(String name) {
    return call(store -> store.builds(name));
  }

  @Override
  public List<TrainingBuild> builds() {
    return call(RegistryStore::builds);
  }

  @Override
  public void startBackfill(BackfillJob job) {
    call(
        store -> {
          store.startBackfill(job);
          return null;
        });
  }

  @Override
  public void recordChunk(String jobId, BackfillChunk chunk) {
    call(
        store -> {
          store.recordChunk(jobId, chunk);
          return null;
        });
  }

  @Override
  public void updateBackfill(
      String jobId,
      BackfillJob.Status status,
      Optional<Instant> finishedAt,
      Optional<String> error) {
    call(
        store -> {
          store.updateBackfill(jobId, status, finishedAt, error);
          return null;
        });
  }

  @Override
  public Optional<BackfillJob> backfill(String jobId) {
    return call(store -> store.backfill(jobId));
  }

  @Override
  public List<BackfillJob> backfills(String view) {
    return call(store -> store.backfills(view));
  }

  @Override
  public List<OnlineGroup> onlineGroups() {
    return call(RegistryStore::onlineGroups);
  }

  @Override
  public Optional<OnlineGroup> onlineGroup(String view) {
    return call(store -> store.onlineGroup(view));
  }

  @Override
  public void saveOnlineGroup(OnlineGroup group) {
    call(
        store -> {
          store.saveOnlineGroup(group);
          return null;
        });
  }

  @Override
  public void removeOnlineGroup(String view) {
    call(
        store -> {
          store.removeOnlineGroup(view);
          return null;
        });
  }

  @Override
  public void recordStatistics(String jobId, int chunkIndex, List<FeatureStatistics> statistics) {
    call(
        store -> {
          store.recordStatistics(jobId, chunkIndex, statistics);
          return null;
        });
  }

  @Override
  public List<FeatureStatistics> statistics(String jobId, int chunkIndex) {
    return call(store -> store.statistics(jobId, chunkIndex));
  }

  @Override
  public List<ChunkStatistics> statistics(String view, int version, String feature) {
    return call(store -> store.statistics(view, version, feature));
  }

  @Override
  public void recordCost(JobCost cost) {
    call(
        store -> {
          store.recordCost(cost);
          return null;
        });
  }

  @Override
  public List<JobCost> costs(String kind, String job) {
    return call(store -> store.costs(kind, job));
  }

  @Override
  public List<JobCost> costs() {
    return call(RegistryStore::costs);
  }

  @Override
  public Optional<LeaseRecord> acquire(LeaseRecord lease) {
    return call(store -> store.acquire(lease));
  }

  @Override
  public boolean renew(String name, String holderId, Instant heartbeatAt, Instant expiresAt) {
    return call(store -> store.renew(name, holderId, heartbeatAt, expiresAt));
  }

  @Override
  public void release(String name, String holderId) {
    call(
        store -> {
          store.release(name, holderId);
          return null;
        });
  }

  @Override
  public Optional<LeaseRecord> lease(String name) {
    return call(store -> store.lease(name));
  }

  @Override
  public int schemaVersion() {
    return call(RegistryStore::schemaVersion);
  }

  /** Nothing stays open between calls. */
  @Override
  public void close() {}
}
