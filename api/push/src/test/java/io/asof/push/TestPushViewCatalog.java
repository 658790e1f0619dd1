package io.asof.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.engine.QueryResult;
import io.asof.engine.QueryStats;
import io.asof.model.Column;
import io.asof.model.Materialization;
import io.asof.model.window.WindowedAggregation;
import io.asof.model.window.WindowedAggregation.Kind;
import io.asof.model.window.WindowedAggregation.Output;
import io.asof.model.window.WindowedAggregation.PushSource;
import io.asof.model.window.WindowedAggregation.State;
import io.asof.online.OnlineTable;
import io.asof.registry.AppliedView;
import io.asof.registry.JooqRegistryStore;
import io.asof.registry.OnlineGroup;
import io.asof.registry.RegistryConfig;
import io.asof.registry.RegistryStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which push view a push goes to, read from an embedded registry: versions, tables, NOT NULL
 * columns, online tables and the aggregation views' tiles a push updates.
 */
class TestPushViewCatalog {
  private static final Instant APPLIED = Instant.parse("2026-12-01T10:00:00Z");
  private static final Instant LOADED = Instant.parse("2026-12-01T11:00:00Z");

  @TempDir Path work;

  private RegistryStore registry;
  private RegistrySource source;
  private NotNullEngine engine;
  private PushViewCatalog catalog;

  @BeforeEach
  void open() {
    registry = JooqRegistryStore.open(RegistryConfig.embedded(work));
    registry.apply(
        List.of(live(1), view("article_daily", 1, Materialization.MATERIALIZED)), List.of());
    registry.apply(List.of(live(2)), List.of());
    source = new RegistrySource(registry);
    source.refresh();
    engine = new NotNullEngine(List.of("article_id", "updated_at", "title"));
    catalog = new PushViewCatalog(source, registry, engine, "iceberg");
  }

  @AfterEach
  void close() {
    registry.close();
  }

  @Test
  void currentVersionWithItsTablesAndNotNullColumnsReadOnce() {
    PushView view = catalog.current("article_live");

    assertThat(view.label()).isEqualTo("article_live@2");
    assertThat(view.keys()).containsExactly("article_id");
    assertThat(view.eventTime()).isEqualTo("updated_at");
    assertThat(view.columns())
        .containsExactly(
            new Column("article_id", "bigint"),
            new Column("updated_at", "timestamp(3)"),
            new Column("title", "varchar"),
            new Column("reads_5m", "smallint"));
    assertThat(view.stored().getLast()).isEqualTo(new Column("reads_5m", "integer"));
    assertThat(view.stored().get(1)).isEqualTo(new Column("updated_at", "timestamp(6)"));
    assertThat(view.table()).isEqualTo("\"iceberg\".\"features\".\"article_live__v2\"");
    assertThat(view.stagingTable())
        .isEqualTo("\"iceberg\".\"asof_staging\".\"article_live__v2__push\"");
    assertThat(view.notNull())
        .as("keys and event time are checked anyway")
        .containsExactly("title");
    assertThat(view.ttl()).contains(Duration.ofDays(1));
    assertThat(view.online()).isEmpty();
    assertThat(view.tiles()).isEmpty();

    catalog.current("article_live");
    assertThat(engine.queries).hasSize(1);
    assertThat(engine.queries.getFirst()).contains("'article_live__v2'");
  }

  @Test
  void viewAppliedAfterTheSnapshotIsFoundByReadingTheRegistryAgain() {
    registry.apply(List.of(view("user_live", 1, Materialization.PUSH)), List.of());

    assertThat(catalog.current("user_live").label()).isEqualTo("user_live@1");
    assertThat(source.refreshes).isEqualTo(2);
  }

  @Test
  void unknownViewIsRefusedNamingThePushViewsApplied() {
    assertThatThrownBy(() -> catalog.current("article_lvie"))
        .isInstanceOfSatisfying(
            PushRejectedException.class, e -> assertThat(e.status()).isEqualTo(404))
        .hasMessageContaining(
            "unknown view article_lvie: the push views applied are [article_live]")
        .hasMessageContaining("(did you mean article_live?)");
  }

  @Test
  void viewComputedByItsSqlIsRefused() {
    assertThatThrownBy(() -> catalog.current("article_daily"))
        .isInstanceOfSatisfying(
            PushRejectedException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessage(
            "view article_daily is a materialized view, computed by its SQL; only push views (declared with -- push: true) take pushed rows");
  }

  @Test
  void onlineTableOnlyWhenTheGroupIsEnabledAtThatVersion() {
    OnlineTable table = table("article_live", 2);
    source.online.put("article_live", new Served(group("article_live", 2, true), table, null));
    assertThat(catalog.current("article_live").online()).contains(table);
    assertThat(catalog.version("article_live", 1).orElseThrow().online()).isEmpty();

    source.online.put(
        "article_live",
        new Served(group("article_live", 2, false), table("article_live", 2), null));
    assertThat(catalog.current("article_live").online()).isEmpty();

    source.online.put(
        "article_live", new Served(group("article_live", 1, true), table("article_live", 1), null));
    assertThat(catalog.current("article_live").online()).isEmpty();
    assertThat(catalog.version("article_live", 1).orElseThrow().online()).isPresent();
  }

  @Test
  void aggregationViewsOnlineReadingThePushViewGetItsCurrentVersionsPushes() {
    OnlineTable tiles = table("article_reads", 1);
    source.online.put(
        "article_reads",
        new Served(
            group("article_reads", 1, true),
            table("article_reads", 1),
            aggregation("article_live")));
    source.online.put(
        "user_reads",
        new Served(group("user_reads", 1, true), table("user_reads", 1), aggregation("user_live")));

    PushView view = catalog.current("article_live");

    assertThat(view.tiles())
        .singleElement()
        .satisfies(
            target -> {
              assertThat(target.view()).isEqualTo("article_reads");
              assertThat(target.table()).isEqualTo(tiles);
              assertThat(target.loadedThrough()).isEqualTo(LOADED);
            });
    assertThat(view.writesOnline()).isTrue();
    assertThat(catalog.version("article_live", 1).orElseThrow().tiles())
        .as("aggregation views read the version applied now")
        .isEmpty();

    source.online.put(
        "article_reads",
        new Served(
            group("article_reads", 1, false),
            table("article_reads", 1),
            aggregation("article_live")));
    assertThat(catalog.current("article_live").tiles()).isEmpty();
  }

  @Test
  void olderVersionWhileItsTableIsThere() {
    assertThat(catalog.version("article_live", 1).orElseThrow().table())
        .isEqualTo("\"iceberg\".\"features\".\"article_live__v1\"");
    assertThat(catalog.version("article_live", 3)).isEmpty();
    assertThat(catalog.version("article_daily", 1)).as("not a push view").isEmpty();

    registry.retire("article_live", 1, APPLIED.plusSeconds(60));
    assertThat(catalog.version("article_live", 1)).isEmpty();
  }

  private static AppliedView live(int version) {
    return view("article_live", version, Materialization.PUSH);
  }

  private static AppliedView view(String name, int version, Materialization materialization) {
    return new AppliedView(
        name,
        version,
        "fp" + version,
        "article",
        List.of("article_id"),
        "updated_at",
        Optional.empty(),
        Optional.of(Duration.ofDays(1)),
        List.of(),
        materialization,
        false,
        "feed",
        "",
        "SELECT 1",
        List.of(
            new Column("article_id", "bigint"),
            new Column("updated_at", "timestamp(3)"),
            new Column("title", "varchar"),
            new Column("reads_5m", "smallint")),
        Map.of(),
        Map.of(),
        APPLIED);
  }

  private static OnlineGroup group(String view, int version, boolean enabled) {
    return new OnlineGroup(
        view,
        version,
        view + "__v" + version,
        enabled ? OnlineGroup.State.ENABLED : OnlineGroup.State.DISABLED,
        OnlineGroup.Mode.DYNAMODB,
        Duration.ofSeconds(30),
        Optional.of(LOADED),
        0,
        APPLIED,
        APPLIED);
  }

  private static OnlineTable table(String view, int version) {
    return OnlineTable.of(
        view,
        version,
        List.of(new Column("article_id", "bigint")),
        List.of(new Column("reads_5m", "integer")));
  }

  /** Rows counted over 5 minutes, of the push view {@code pushView}. */
  private static WindowedAggregation aggregation(String pushView) {
    return new WindowedAggregation(
        "SELECT article_id, updated_at AS \"__asof_e\" FROM t",
        List.of("article_id"),
        "timestamp(6)",
        Optional.empty(),
        List.of(Duration.ofMinutes(5)),
        List.of(new State(Kind.ROWS, Optional.empty(), "bigint")),
        List.of(new Output("reads_5m", "bigint", List.of(WindowedAggregation.stateColumn(0, 0)))),
        Optional.of(
            new PushSource(
                pushView,
                Map.of("article_id", "article_id", WindowedAggregation.EVENT_TIME, "updated_at"))));
  }

  /** A view online; an aggregation view's tiles are in its own table here. */
  private record Served(OnlineGroup group, OnlineTable table, WindowedAggregation windowed)
      implements PushViewCatalog.Online {
    @Override
    public Optional<OnlineTable> tileTable() {
      return Optional.ofNullable(windowed).map(w -> table);
    }

    @Override
    public Optional<WindowedAggregation> aggregation() {
      return Optional.ofNullable(windowed);
    }
  }

  private record Snapshot(Map<String, AppliedView> views, Map<String, Served> online)
      implements PushViewCatalog.Snapshot {}

  /** The server's catalog in small: the registry's views as last read, the groups set by a test. */
  private static final class RegistrySource implements PushViewCatalog.Source {
    private final RegistryStore registry;
    private final Map<String, Served> online = new LinkedHashMap<>();
    private Map<String, AppliedView> views = Map.of();
    private int refreshes;

    RegistrySource(RegistryStore registry) {
      this.registry = registry;
    }

    @Override
    public PushViewCatalog.Snapshot snapshot() {
      return new Snapshot(views, Map.copyOf(online));
    }

    @Override
    public void refresh() {
      Map<String, AppliedView> read = new LinkedHashMap<>();
      for (AppliedView view : registry.views()) {
        read.put(view.name(), view);
      }
      views = read;
      refreshes++;
    }
  }

  /** Answers the NOT NULL columns query of a push view's table; any other statement fails. */
  private static final class NotNullEngine extends NoEngine {
    private final List<String> notNull;
    private final List<String> queries = new ArrayList<>();

    NotNullEngine(List<String> notNull) {
      this.notNull = notNull;
    }

    @Override
    public synchronized QueryResult query(String sql) {
      if (!sql.contains("information_schema.columns") || !sql.contains("is_nullable = 'NO'")) {
        throw unexpected(sql);
      }
      queries.add(sql);
      return new QueryResult(
          List.of(new Column("column_name", "varchar")),
          notNull.stream().<List<Object>>map(List::of).toList(),
          new QueryStats(
              "not-null",
              notNull.size(),
              OptionalLong.empty(),
              Duration.ZERO,
              OptionalLong.empty()));
    }
  }
}
