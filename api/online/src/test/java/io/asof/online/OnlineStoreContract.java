package io.asof.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.model.Column;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What every online store does; run against each implementation (the DynamoDB one on a real
 * DynamoDB Local). Other stores' modules extend it from this module's test jar.
 */
public abstract class OnlineStoreContract {
  private static final AtomicInteger TABLES = new AtomicInteger();

  /**
   * Event times and expiries of the records written here: far in the future, so a store that
   * deletes expired items in the background (DynamoDB's TTL, and DynamoDB Local's) cannot remove a
   * record in the middle of a test.
   */
  public static final Instant T0 = Instant.parse("2126-03-01T10:00:00.123456Z");

  /** The store under test. */
  protected abstract OnlineStore store();

  public static OnlineTable table(List<Column> keys, List<Column> features) {
    return OnlineTable.of(
        "contract_" + ProcessHandle.current().pid() + "_" + TABLES.incrementAndGet(),
        1,
        keys,
        features);
  }

  public static OnlineTable simple() {
    return table(
        List.of(new Column("user_id", "bigint")),
        List.of(new Column("reads", "bigint"), new Column("country", "varchar")));
  }

  public static OnlineRecord record(long key, Instant event, Object... values) {
    return new OnlineRecord(List.of(key), event, Arrays.asList(values), Optional.empty());
  }

  @Test
  void createIsIdempotentAndDropRemoves() {
    OnlineTable table = simple();
    assertThat(store().exists(table)).isFalse();
    assertThat(store().create(table)).isTrue();
    assertThat(store().create(table)).isFalse();
    assertThat(store().exists(table)).isTrue();
    store().drop(table);
    assertThat(store().exists(table)).isFalse();
    store().drop(table); // nothing to drop
  }

  @Test
  void everyServableTypeRoundTripsAndNullIsAValue() {
    OnlineTable table =
        table(
            List.of(new Column("user_id", "bigint"), new Column("category", "varchar")),
            List.of(
                new Column("b", "bigint"),
                new Column("i", "integer"),
                new Column("s", "smallint"),
                new Column("t", "tinyint"),
                new Column("d", "double"),
                new Column("r", "real"),
                new Column("m", "decimal(12, 3)"),
                new Column("flag", "boolean"),
                new Column("name", "varchar(20)"),
                new Column("code", "char(3)"),
                new Column("day", "date"),
                new Column("at", "timestamp(6)"),
                new Column("nan", "double"),
                new Column("missing", "varchar")));
    store().create(table);
    List<Object> values =
        Arrays.asList(
            Long.MAX_VALUE,
            -7,
            (short) 300,
            (byte) -8,
            0.1 + 0.2,
            1.5f,
            new BigDecimal("123456789.125"),
            true,
            "straße",
            "abc",
            LocalDate.of(2026, 2, 28),
            LocalDateTime.of(2026, 2, 28, 23, 59, 0, 123_456_000),
            Double.NaN,
            null);
    OnlineRecord written =
        new OnlineRecord(
            List.of(42L, "sports"), T0, values, Optional.of(T0.plus(Duration.ofDays(7))));
    assertThat(store().write(table, List.of(written), WriteMode.CONDITIONAL).written())
        .isEqualTo(1);

    KeyRead read = store().read(table, List.of(List.of(42L, "sports"))).getFirst();
    assertThat(read.failure()).isEmpty();
    OnlineRecord back = read.record().orElseThrow();
    assertThat(back.key()).isEqualTo(List.of(42L, "sports"));
    assertThat(back.eventTime()).isEqualTo(T0);
    assertThat(back.expiresAt()).contains(T0.plus(Duration.ofDays(7)));
    assertThat(back.values()).containsExactlyElementsOf(values);
    assertThat(back.values().get(1)).isInstanceOf(Integer.class);
    assertThat(back.values().get(2)).isInstanceOf(Short.class);
    assertThat(back.values().get(5)).isInstanceOf(Float.class);
    assertThat(store().read(table, List.of(List.of(42L, "news"))).getFirst())
        .isEqualTo(KeyRead.MISSING);
  }

  @Test
  void anOlderEventNeverOverwritesANewerOne() {
    OnlineTable table = simple();
    store().create(table);
    store().write(table, List.of(record(1, T0, 10L, "DE")), WriteMode.CONDITIONAL);

    WriteSummary older =
        store()
            .write(table, List.of(record(1, T0.minusSeconds(60), 5L, "FR")), WriteMode.CONDITIONAL);
    assertThat(older).isEqualTo(new WriteSummary(0, 1, 0));
    assertThat(values(table, 1)).containsExactly(10L, "DE");

    // the same event time with greater values (the row offline takes of the two) replaces it
    assertThat(
            store()
                .write(table, List.of(record(1, T0, 11L, "DE")), WriteMode.CONDITIONAL)
                .written())
        .isEqualTo(1);
    assertThat(values(table, 1)).containsExactly(11L, "DE");

    store().write(table, List.of(record(1, T0.plusSeconds(1), 12L, null)), WriteMode.CONDITIONAL);
    assertThat(values(table, 1)).containsExactly(12L, null);
  }

  @Test
  void equalEventTimesKeepTheRowOfflineTakesWhicheverIsWrittenFirst() {
    OnlineTable table =
        OnlineTable.of(
            simple().name() + "_created",
            1,
            List.of(new Column("user_id", "bigint")),
            List.of(new Column("reads", "bigint"), new Column("country", "varchar")),
            Optional.of("created_at"));
    store().create(table);
    Instant first = T0.plusSeconds(1);
    Instant second = T0.plusSeconds(2);
    // the later created time wins though its features are lower; NULL created time loses to both
    OnlineRecord earlier = created(1, Optional.of(first), 99L, "ZZ");
    OnlineRecord later = created(1, Optional.of(second), 1L, "AA");
    OnlineRecord never = created(1, Optional.empty(), 500L, "ZZZ");
    List<List<OnlineRecord>> orders =
        List.of(
            List.of(later, earlier, never),
            List.of(earlier, later, never),
            List.of(never, earlier, later),
            List.of(never, later, earlier));
    for (int k = 0; k < orders.size(); k++) {
      long key = 10L + k;
      for (OnlineRecord record : orders.get(k)) {
        store()
            .write(
                table,
                List.of(
                    new OnlineRecord(
                        List.of(key),
                        record.eventTime(),
                        record.values(),
                        record.expiresAt(),
                        record.createdTime())),
                WriteMode.CONDITIONAL);
      }
      OnlineRecord kept =
          store().read(table, List.of(List.of(key))).getFirst().record().orElseThrow();
      assertThat(kept.values()).as("order %d", k).containsExactly(1L, "AA");
      assertThat(kept.createdTime()).contains(second);
    }
    // the skipped write is counted as such
    assertThat(
            store()
                .write(
                    table,
                    List.of(created(10, Optional.of(first), 99L, "ZZ")),
                    WriteMode.CONDITIONAL))
        .isEqualTo(new WriteSummary(0, 1, 0));
  }

  @Test
  void tiesAreBrokenAsOfflineBreaksThemOverEveryServableType() {
    OnlineTable table =
        table(
            List.of(new Column("user_id", "bigint")),
            List.of(
                new Column("d", "double"),
                new Column("m", "decimal(12, 3)"),
                new Column("name", "varchar"),
                new Column("flag", "boolean"),
                new Column("at", "timestamp(6)")));
    store().create(table);
    List<Object> doubles = Arrays.asList(null, Double.NaN, -0.0, 0.0, -1.5, 2.25);
    List<Object> decimals =
        Arrays.asList(
            null,
            new BigDecimal("-1.230"),
            new BigDecimal("-1.200"),
            new BigDecimal("0.000"),
            new BigDecimal("1.200"),
            new BigDecimal("10.000"));
    List<Object> names = Arrays.asList(null, "", "a", "a\0", "ä", "b", "\uD83D\uDE00", "\uFFFD");
    List<Object> flags = Arrays.asList(null, false, true);
    List<Object> times =
        Arrays.asList(
            null,
            LocalDateTime.of(2026, 1, 1, 0, 0),
            LocalDateTime.of(2026, 1, 1, 0, 0, 0, 1_000),
            LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000));
    java.util.Random random = new java.util.Random(21);
    List<OnlineRecord> written = new ArrayList<>();
    for (long key = 1; key <= 30; key++) {
      for (int c = 0; c < 6; c++) {
        // two event times, so that most candidates tie on one of them
        Instant event = T0.plusSeconds(random.nextInt(2));
        List<Object> values =
            Arrays.asList(
                pick(random, doubles),
                pick(random, decimals),
                pick(random, names),
                pick(random, flags),
                pick(random, times));
        written.add(new OnlineRecord(List.of(key), event, values, Optional.empty()));
      }
    }
    for (OnlineRecord record : written) {
      store().write(table, List.of(record), WriteMode.CONDITIONAL);
    }
    for (long key = 1; key <= 30; key++) {
      long k = key;
      OnlineRecord expected =
          written.stream()
              .filter(r -> r.key().getFirst().equals(k))
              .max(OnlineStoreContract::offlineOrder)
              .orElseThrow();
      OnlineRecord kept =
          store().read(table, List.of(List.of(key))).getFirst().record().orElseThrow();
      assertThat(kept.eventTime()).isEqualTo(expected.eventTime());
      assertThat(offlineOrder(kept, expected))
          .as("key %d: kept %s, offline takes %s", key, kept, expected)
          .isZero();
    }
  }

  @Test
  void aRecomputedValueReplacesOneOfTheSameEventTime() {
    OnlineTable table = simple();
    store().create(table);
    store().write(table, List.of(record(1, T0, 10L, "DE")), WriteMode.RECOMPUTED);
    // a backfill corrected the row: lower values, same event time, and it is the offline value now
    assertThat(
            store().write(table, List.of(record(1, T0, 3L, "DE")), WriteMode.RECOMPUTED).written())
        .isEqualTo(1);
    assertThat(values(table, 1)).containsExactly(3L, "DE");
    assertThat(
            store()
                .write(
                    table, List.of(record(1, T0.minusSeconds(1), 7L, "DE")), WriteMode.RECOMPUTED)
                .skippedOlder())
        .isEqualTo(1);
    assertThat(values(table, 1)).containsExactly(3L, "DE");
  }

  /**
   * Offline's order of two rows of one key (PointInTimeSql, DESIGN §4), stated independently: event
   * time, then created time, then each feature, NULL lowest, values as Trino orders them (-0.0
   * equal to 0.0, NaN above every number, text by its UTF-8 bytes).
   */
  public static int offlineOrder(OnlineRecord a, OnlineRecord b) {
    int order = a.eventTime().compareTo(b.eventTime());
    if (order != 0) {
      return order;
    }
    order = nullsFirst(a.createdTime().orElse(null), b.createdTime().orElse(null));
    for (int i = 0; order == 0 && i < a.values().size(); i++) {
      order = nullsFirst(a.values().get(i), b.values().get(i));
    }
    return order;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int nullsFirst(Object a, Object b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    return switch (a) {
      case Double x -> x.doubleValue() == (Double) b ? 0 : Double.compare(x, (Double) b);
      case BigDecimal x -> x.compareTo((BigDecimal) b);
      case String x ->
          Arrays.compareUnsigned(
              x.getBytes(java.nio.charset.StandardCharsets.UTF_8),
              ((String) b).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      default -> ((Comparable) a).compareTo(b);
    };
  }

  private static Object pick(java.util.Random random, List<Object> values) {
    return values.get(random.nextInt(values.size()));
  }

  public static OnlineRecord created(long key, Optional<Instant> createdTime, Object... values) {
    return new OnlineRecord(List.of(key), T0, Arrays.asList(values), Optional.empty(), createdTime);
  }

  @Test
  void anInitialLoadWritesThousandsAndReadsComeBackInTheOrderAsked() {
    OnlineTable table = simple();
    store().create(table);
    List<OnlineRecord> records = new ArrayList<>();
    for (long k = 1; k <= 3_000; k++) {
      records.add(record(k, T0.plusSeconds(k), k * 2, "c" + k));
    }
    assertThat(store().write(table, records, WriteMode.INITIAL_LOAD).written()).isEqualTo(3_000);

    // 250 keys (three BatchGetItem calls), with duplicates and keys that are not there
    List<List<Object>> keys = new ArrayList<>();
    for (long k = 0; k < 250; k++) {
      keys.add(List.of(k % 3 == 0 ? 10_000 + k : k * 7 % 3_000 + 1));
    }
    keys.add(List.of(5L));
    keys.add(List.of(5L));
    List<KeyRead> reads = store().read(table, keys);
    assertThat(reads).hasSize(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      long key = (Long) keys.get(i).getFirst();
      KeyRead read = reads.get(i);
      assertThat(read.failure()).isEmpty();
      if (key > 3_000) {
        assertThat(read).isEqualTo(KeyRead.MISSING);
      } else {
        OnlineRecord record = read.record().orElseThrow();
        assertThat(record.key()).isEqualTo(List.of(key));
        assertThat(record.values()).containsExactly(key * 2, "c" + key);
        assertThat(record.eventTime()).isEqualTo(T0.plusSeconds(key));
      }
    }
    Map<Object, OnlineRecord> scanned = new ConcurrentHashMap<>();
    store().scan(table, record -> scanned.put(record.key().getFirst(), record));
    assertThat(scanned).hasSize(3_000);
    assertThat(scanned.get(17L).values()).containsExactly(34L, "c17");
  }

  @Test
  void expiryIsKeptToTheMicrosecond() {
    OnlineTable table = simple();
    store().create(table);
    Instant expires = T0.plus(Duration.ofDays(30)).plus(7, ChronoUnit.MICROS);
    store()
        .write(
            table,
            List.of(
                new OnlineRecord(List.of(1L), T0, Arrays.asList(1L, "x"), Optional.of(expires))),
            WriteMode.CONDITIONAL);
    OnlineRecord back = store().read(table, List.of(List.of(1L))).getFirst().record().orElseThrow();
    assertThat(back.expiresAt()).contains(expires);
    assertThat(back.expired(expires.minusNanos(1000))).isFalse();
    assertThat(back.expired(expires)).isTrue();
  }

  @Test
  void aTypeTheStoreCannotHoldIsRefusedUpFront() {
    OnlineTable table =
        table(
            List.of(new Column("user_id", "bigint")),
            List.of(new Column("tags", "array(varchar)")));
    assertThatThrownBy(() -> store().create(table))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tags is array(varchar)");
    assertThat(OnlineValues.servable("decimal(10, 2)")).isTrue();
    assertThat(OnlineValues.servable("map(varchar, bigint)")).isFalse();
  }

  @Test
  void aValueOfTheWrongJavaTypeIsRefused() {
    OnlineTable table = simple();
    store().create(table);
    assertThatThrownBy(
            () -> store().write(table, List.of(record(1, T0, "ten", "DE")), WriteMode.CONDITIONAL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reads of " + table.name() + " is String, expected Long for bigint");
  }

  @Test
  void readingATableThatIsNotThereSaysToEnableTheView() {
    OnlineTable table = simple();
    assertThatThrownBy(() -> store().read(table, List.of(List.of(1L))))
        .isInstanceOfSatisfying(
            OnlineStoreException.class, e -> assertThat(e.unavailable()).isFalse())
        .hasMessageContaining("does not exist")
        .hasMessageContaining("./asof online enable " + table.view());
  }

  @Test
  void tileBatchesCountOnceAndALoadTakesOnlyLaterOnes() {
    OnlineTable table =
        table(
            List.of(new Column("user_id", "bigint"), new Column("bucket", "bigint")),
            List.of(new Column("reads", "bigint"), new Column("dwell", "double")));
    store().create(table);
    List<Object> key = List.of(1L, 10L);
    Instant expires = T0.plusSeconds(3600);
    TileUpdate first =
        new TileUpdate(key, T0, expires, Map.of(1L, Map.of(0, 2L, 1, 1.5), 2L, Map.of(0, 1L)));
    assertThat(store().addTiles(table, List.of(first)).written()).isEqualTo(1);
    // the same batches again (a replay after a crash): nothing counts twice
    WriteSummary replay = store().addTiles(table, List.of(first));
    assertThat(replay.written()).isZero();
    assertThat(replay.skippedOlder()).isEqualTo(1);
    assertThat(values(table, key)).containsExactly(3L, 1.5);
    // batches 2 and 3: only 3 is new
    TileUpdate overlapping =
        new TileUpdate(key, T0, expires, Map.of(2L, Map.of(0, 1L), 3L, Map.of(0, 5L, 1, 0.5)));
    assertThat(store().addTiles(table, List.of(overlapping)).written()).isEqualTo(1);
    assertThat(values(table, key)).containsExactly(8L, 2.0);

    // a load computed through sequence 2 does not replace a record that took batch 3
    OnlineRecord loaded = new OnlineRecord(key, T0, List.of(100L, 10.0), Optional.of(expires));
    assertThat(store().writeTiles(table, List.of(loaded), 2, false).skippedOlder()).isEqualTo(1);
    assertThat(values(table, key)).containsExactly(8L, 2.0);
    // one through 5 does; then batch 4 is in it already and batch 6 is added
    assertThat(store().writeTiles(table, List.of(loaded), 5, false).written()).isEqualTo(1);
    TileUpdate later =
        new TileUpdate(key, T0, expires, Map.of(4L, Map.of(0, 1000L), 6L, Map.of(0, 1L)));
    store().addTiles(table, List.of(later));
    assertThat(values(table, key)).containsExactly(101L, 10.0);
  }

  public List<Object> values(OnlineTable table, List<Object> key) {
    return store().read(table, List.of(key)).getFirst().record().orElseThrow().values();
  }

  public List<Object> values(OnlineTable table, long key) {
    return store().read(table, List.of(List.of(key))).getFirst().record().orElseThrow().values();
  }
}
