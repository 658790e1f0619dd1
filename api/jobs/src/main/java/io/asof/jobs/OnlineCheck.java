package io.asof.jobs;

import io.asof.compiler.CompiledTrainingSet;
import io.asof.compiler.pit.OnlineSpineSql;
import io.asof.engine.QueryEngine;
import io.asof.model.window.WindowedAggregation;
import io.asof.online.KeyRead;
import io.asof.online.OnlineRecord;
import io.asof.online.OnlineStore;
import io.asof.online.OnlineTable;
import io.asof.registry.AppliedView;
import io.asof.registry.OnlineGroup;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * The consistency check of an online view: for a sample of entities (half from the online table,
 * half from the offline rows), the online value compared with the offline point-in-time value at
 * now; an aggregation view's tiles compared with its windows evaluated offline at one instant.
 */
public final class OnlineCheck {
  private final QueryEngine engine;
  private final OnlineStore store;
  private final OfflineValues offlineValues;
  private final MicrosecondClock clock;

  OnlineCheck(
      QueryEngine engine, OnlineStore store, OfflineValues offline, MicrosecondClock clock) {
    this.engine = engine;
    this.store = store;
    this.offlineValues = offline;
    this.clock = clock;
  }

  /** One sampled entity whose online value is not the offline value at now. */
  public record Mismatch(List<Object> key, String problem) {}

  /**
   * What a consistency check found.
   *
   * @param checked entities compared
   * @param at the moment offline values were computed at
   */
  public record CheckReport(
      OnlineGroup group,
      int checked,
      int present,
      int expired,
      Instant at,
      List<Mismatch> mismatches) {}

  /**
   * Checks an aggregation view: online and offline evaluated at one instant for up to {@code
   * sample} keys with events; doubles compared to 1e-9 relative (offline subtracts running sums,
   * online adds tiles).
   */
  CheckReport checkWindowed(
      OnlineGroup group, AppliedView applied, WindowedOnline windowed, int sample) {
    WindowedAggregation aggregation = windowed.aggregation();
    List<List<Object>> keys = new ArrayList<>();
    for (List<Object> row :
        engine
            .query(
                OnlineSpineSql.keysWithEvents(
                    aggregation.keys(),
                    aggregation.eventsSql(),
                    WindowedAggregation.EVENT_TIME,
                    sample))
            .rows()) {
      keys.add(new ArrayList<>(row));
    }
    Instant at = clock.now();
    if (keys.isEmpty()) {
      return new CheckReport(group, 0, 0, 0, at, List.of());
    }
    OnlineTable logical = OnlineTables.tableOf(applied);
    Map<List<Object>, List<Object>> offline = new HashMap<>();
    int keyCount = logical.keys().size();
    int featureCount = logical.features().size();
    offlineValues.stream(
        offlineValues.compile(applied.name(), OnlineSpineSql.givenKeys(logical.keys(), keys, at)),
        (columns, row) -> {
          List<Object> value = new ArrayList<>(featureCount);
          for (int i = 0; i < featureCount; i++) {
            value.add(OfflineValues.normalize(row.get(keyCount + 1 + i)));
          }
          offline.put(OfflineValues.key(row, keyCount), value);
        });
    List<KeyRead> online = windowed.read(store, keys, at);
    List<Mismatch> mismatches = new ArrayList<>();
    int present = 0;
    for (int i = 0; i < keys.size(); i++) {
      KeyRead read = online.get(i);
      if (read.failure().isPresent()) {
        mismatches.add(
            new Mismatch(keys.get(i), "the online read failed: " + read.failure().get()));
        continue;
      }
      present++;
      List<Object> values = read.record().orElseThrow().values();
      List<Object> expected = offline.get(keys.get(i));
      for (int f = 0; f < featureCount; f++) {
        Object want = expected == null ? null : expected.get(f);
        Object got = OfflineValues.normalize(values.get(f));
        if (!sameValue(want, got)) {
          mismatches.add(
              new Mismatch(
                  keys.get(i),
                  "%s: online %s, offline %s at %s"
                      .formatted(logical.features().get(f).name(), got, want, at)));
        }
      }
    }
    return new CheckReport(group, keys.size(), present, 0, at, mismatches);
  }

  /** Whether two feature values are the same; doubles to 1e-9 relative. */
  private static boolean sameValue(Object a, Object b) {
    if (a instanceof Double x && b instanceof Double y) {
      return x.equals(y) || Math.abs(x - y) <= Math.abs(x) * 1e-9 + 1e-12;
    }
    return java.util.Objects.equals(a, b);
  }

  private List<List<Object>> sampleKeys(
      AppliedView view, OnlineTable table, int sample, long seed) {
    int fromOnline = (sample + 1) / 2;
    Random random = new Random(seed);
    List<List<Object>> reservoir = new ArrayList<>();
    long[] seen = {0};
    store.scan(
        table,
        record -> {
          synchronized (reservoir) {
            seen[0]++;
            if (reservoir.size() < fromOnline) {
              reservoir.add(record.key());
            } else {
              long slot = (long) (random.nextDouble() * seen[0]);
              if (slot < fromOnline) {
                reservoir.set((int) slot, record.key());
              }
            }
          }
        });
    String offline =
        OnlineSpineSql.randomKeys(
            view.keyColumns(), offlineValues.source(view), sample - reservoir.size());
    List<List<Object>> sampled = new ArrayList<>(reservoir);
    for (List<Object> row : engine.query(offline).rows()) {
      List<Object> key = OfflineValues.key(row, table.keys().size());
      if (!sampled.contains(key)) {
        sampled.add(key);
      }
    }
    return sampled;
  }

  private static boolean same(Object online, Object offline) {
    if (online instanceof BigDecimal a && offline instanceof BigDecimal b) {
      return a.compareTo(b) == 0;
    }
    return Objects.equals(online, offline);
  }

  /**
   * Compares the online values of up to {@code sample} entities of {@code applied}, online in
   * {@code group} in {@code table}, with their offline values at now.
   */
  CheckReport check(
      OnlineGroup group, AppliedView applied, OnlineTable table, int sample, long seed) {
    List<List<Object>> keys = sampleKeys(applied, table, sample, seed);
    if (keys.isEmpty()) {
      return new CheckReport(group, 0, 0, 0, clock.now(), List.of());
    }
    // offline first, online after: an update landing in between shows as online newer, not older
    Instant at = clock.now();
    Map<List<Object>, List<Object>> offline = new HashMap<>();
    String spine = OnlineSpineSql.givenKeys(table.keys(), keys, at);
    CompiledTrainingSet set = offlineValues.compile(applied.name(), spine);
    int keyCount = table.keys().size();
    int featureCount = table.features().size();
    offlineValues.stream(
        set,
        (columns, row) -> {
          Object eventTime = row.get(row.size() - 1);
          if (eventTime != null) {
            List<Object> value = new ArrayList<>(featureCount + 1);
            for (int i = 0; i < featureCount; i++) {
              value.add(OfflineValues.normalize(row.get(keyCount + 1 + i)));
            }
            value.add(OfflineValues.instant(eventTime));
            offline.put(OfflineValues.key(row, keyCount), value);
          }
        });
    Instant readAt = clock.now();
    List<KeyRead> online = store.read(table, keys);
    List<Mismatch> mismatches = new ArrayList<>();
    int present = 0;
    int expired = 0;
    for (int i = 0; i < keys.size(); i++) {
      List<Object> key = keys.get(i);
      KeyRead read = online.get(i);
      List<Object> expected = offline.get(key);
      if (read.failure().isPresent()) {
        mismatches.add(new Mismatch(key, "the online read failed: " + read.failure().get()));
        continue;
      }
      Optional<OnlineRecord> record = read.record().filter(r -> !r.expired(readAt));
      if (read.record().isPresent() && record.isEmpty()) {
        expired++;
      }
      if (record.isEmpty()) {
        if (expected != null) {
          mismatches.add(
              new Mismatch(
                  key,
                  "offline has a value at %s (event time %s), online has %s"
                      .formatted(
                          at,
                          expected.getLast(),
                          read.record().isPresent() ? "only an expired one" : "none")));
        }
        continue;
      }
      present++;
      OnlineRecord found = record.get();
      if (expected == null) {
        mismatches.add(
            new Mismatch(
                key,
                "online has a value (event time %s) but offline has none at %s"
                    .formatted(found.eventTime(), at)));
        continue;
      }
      Instant offlineTime = (Instant) expected.getLast();
      if (found.eventTime().isAfter(offlineTime) && found.eventTime().isAfter(at)) {
        continue; // written after the offline values were computed: newer, not wrong
      }
      if (!found.eventTime().equals(offlineTime)) {
        mismatches.add(
            new Mismatch(
                key, "event time online %s, offline %s".formatted(found.eventTime(), offlineTime)));
        continue;
      }
      List<String> differences = new ArrayList<>();
      for (int f = 0; f < featureCount; f++) {
        Object a = found.values().get(f);
        Object b = expected.get(f);
        if (!same(a, b)) {
          differences.add(
              "%s online %s, offline %s".formatted(table.features().get(f).name(), a, b));
        }
      }
      if (!differences.isEmpty()) {
        mismatches.add(new Mismatch(key, String.join("; ", differences)));
      }
    }
    return new CheckReport(group, keys.size(), present, expired, at, mismatches);
  }
}
