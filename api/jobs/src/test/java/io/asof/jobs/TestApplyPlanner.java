package io.asof.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.asof.compiler.CompiledView;
import io.asof.compiler.FeatureViewCompiler;
import io.asof.compiler.catalog.EngineWarehouseCatalog;
import io.asof.compiler.dialect.TrinoDialect;
import io.asof.engine.QueryEngine;
import io.asof.engine.trino.TrinoConnectionConfig;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.features.examples.news.NewsWarehouse;
import io.asof.features.examples.news.NewsWarehouseSpec;
import io.asof.features.repository.RepositoryLoader;
import io.asof.local.StackEndpoints;
import io.asof.registry.AppliedView;
import io.asof.registry.ApplyPlan;
import io.asof.registry.ApplyPlan.Change;
import io.asof.registry.ApplyPlan.Kind;
import io.asof.registry.JooqRegistryStore;
import io.asof.registry.OnlineGroup;
import io.asof.registry.RegistryConfig;
import io.asof.registry.RegistryStore;
import io.asof.testing.AsofStackExtension;
import io.asof.testing.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Plans of the news example, compiled on Trino 476 and recorded in an embedded registry. */
@ExtendWith(AsofStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestApplyPlanner {
  private static final Path NEWS = Path.of("../../sql-features/examples/news");

  private QueryEngine engine;
  private FeatureViewCompiler compiler;

  @TempDir Path work;

  @BeforeAll
  void loadWarehouse(StackEndpoints stack) {
    engine =
        new TrinoQueryEngine(
            new TrinoConnectionConfig(
                stack.trinoJdbcUrl() + "/" + stack.catalog(), stack.trinoUser()));
    new NewsWarehouse(new NewsWarehouseSpec(42, 5_000), stack.catalog(), "dwh")
        .load(engine, step -> {});
    compiler =
        new FeatureViewCompiler(
            new EngineWarehouseCatalog(engine, new TrinoDialect()), engine, stack.catalog());
  }

  @AfterAll
  void close() {
    engine.close();
  }

  @Test
  void firstPlanAddsEverythingAndASecondHasNothingToDo() throws IOException {
    try (RegistryStore registry = JooqRegistryStore.open(RegistryConfig.embedded(work))) {
      List<CompiledView> views = compile(copyOfNews());
      ApplyPlan first = ApplyPlanner.plan(views, registry.views());
      assertThat(first.changes()).extracting(Change::kind).containsOnly(Kind.ADD).hasSize(10);
      assertThat(first.render(false))
          .contains("  + user_engagement              new aggregation (v1)")
          .contains("  + user_profile                 new virtual, online (v1)")
          .contains("  + article_profile              new virtual (v1)")
          .contains("  + article_live                 new push (v1)")
          .endsWith("10 to add, 0 to change (0 breaking), 0 to remove.\n");
      record(registry, first, views);

      ApplyPlan second = ApplyPlanner.plan(compile(copyOfNews()), registry.views());
      assertThat(second.hasChanges(false)).isFalse();
      assertThat(second.render(false))
          .isEqualTo("No changes: the registry matches the repository.\n");
    }
  }

  @Test
  void onlineSwitchesMakeTheOnlineViewsThoseWhoseFileSaysSo() throws IOException {
    List<CompiledView> views = compile(copyOfNews());
    // nothing applied, nothing online: the two views whose header says online: true go on
    ApplyPlan first = ApplyPlanner.plan(views, List.of(), List.of(), List.of());
    assertThat(first.online())
        .containsExactly(
            new ApplyPlan.OnlineSwitch("article_trending", true, false, Optional.empty()),
            new ApplyPlan.OnlineSwitch("user_profile", true, false, Optional.empty()));
    assertThat(first.render(false))
        .contains(
            "  ~ user_profile                 online: off → on (apply loads the latest value per entity into the online store)\n")
        .endsWith(
            "10 to add, 0 to change (0 breaking), 0 to remove, 2 to switch online (2 on, 0 off).\n");
    try (RegistryStore registry =
        JooqRegistryStore.open(
            RegistryConfig.embedded(Files.createTempDirectory(work, "online")))) {
      record(registry, first, views);
      OnlineGroup profile = group("user_profile", OnlineGroup.State.ENABLED);
      OnlineGroup trending = group("article_trending", OnlineGroup.State.ENABLED);
      assertThat(
              ApplyPlanner.plan(
                      views, registry.views(), registry.versions(), List.of(profile, trending))
                  .hasChanges(false))
          .isFalse();

      // switched by hand since: drift, put back as the files say
      OnlineGroup engagement = group("user_engagement", OnlineGroup.State.ENABLED);
      OnlineGroup disabled = profile.withState(OnlineGroup.State.DISABLED, Instant.EPOCH);
      ApplyPlan drift =
          ApplyPlanner.plan(
              views,
              registry.views(),
              registry.versions(),
              List.of(disabled, trending, engagement));
      assertThat(drift.online())
          .containsExactly(
              new ApplyPlan.OnlineSwitch("user_engagement", false, true, Optional.of(engagement)),
              new ApplyPlan.OnlineSwitch("user_profile", true, true, Optional.of(disabled)));
      assertThat(drift.render(false))
          .isEqualTo(
              """
                ~ user_engagement              online: on → off (drift: switched on by hand, but \
              its file does not say online: true; updates stop and the server stops serving it; \
              its items stay until ./asof online disable --purge user_engagement)
                ~ user_profile                 online: off → on (drift: switched off by hand, but \
              its file says online: true; apply catches it up in the online store and serves it \
              again)
              0 to add, 0 to change (0 breaking), 0 to remove, 2 to switch online (1 on, 1 off).
              """);

      // a header that loses its online line: a change, not drift
      Path repository = copyOfNews();
      Path file = repository.resolve("views/user_profile.sql");
      Files.writeString(
          file, Files.readString(file).replace("-- online: true\n", "-- online: false\n"));
      ApplyPlan off =
          ApplyPlanner.plan(
              compile(repository),
              registry.views(),
              registry.versions(),
              List.of(profile, trending));
      assertThat(off.online())
          .containsExactly(
              new ApplyPlan.OnlineSwitch("user_profile", false, false, Optional.of(profile)));
      assertThat(off.render(false))
          .contains("  ~ user_profile                 metadata only (online switched off)\n")
          .contains("  ~ user_profile                 online: on → off (updates stop");
    }
  }

  private static OnlineGroup group(String view, OnlineGroup.State state) {
    return new OnlineGroup(
        view,
        1,
        "asof_" + view + "__v1",
        state,
        OnlineGroup.Mode.DYNAMODB,
        Duration.ofSeconds(30),
        Optional.of(Instant.EPOCH),
        10,
        Instant.EPOCH,
        Instant.EPOCH);
  }

  @Test
  void registryWithoutLineageGetsItAsAMetadataChange() throws IOException {
    try (RegistryStore registry = JooqRegistryStore.open(RegistryConfig.embedded(work))) {
      List<CompiledView> views = compile(copyOfNews());
      // what a registry written before lineage was recorded holds
      List<AppliedView> withoutLineage =
          ApplyPlanner.applied(ApplyPlanner.plan(views, List.of()), views, Instant.EPOCH).stream()
              .map(
                  v ->
                      new AppliedView(
                          v.name(),
                          v.version(),
                          v.fingerprint(),
                          v.entity(),
                          v.keyColumns(),
                          v.eventTime(),
                          v.createdTime(),
                          v.ttl(),
                          v.windows(),
                          v.materialization(),
                          v.online(),
                          v.owner(),
                          v.description(),
                          v.sql(),
                          v.columns(),
                          Map.of(),
                          v.columnDescriptions(),
                          v.appliedAt()))
              .toList();
      registry.apply(withoutLineage, List.of());

      ApplyPlan plan = ApplyPlanner.plan(views, registry.views());
      assertThat(plan.changes()).extracting(Change::kind).containsOnly(Kind.METADATA);
      assertThat(plan.render(false))
          .contains("  ~ user_engagement              metadata only (column lineage)");
      record(registry, plan, views);
      assertThat(ApplyPlanner.plan(views, registry.views()).hasChanges(false)).isFalse();
    }
  }

  @Test
  void editingAMaterializedViewIsBreakingAndAVirtualOneIsNot() throws IOException {
    try (RegistryStore registry = JooqRegistryStore.open(RegistryConfig.embedded(work))) {
      Path repository = copyOfNews();
      List<CompiledView> views = compile(repository);
      record(registry, ApplyPlanner.plan(views, registry.views()), views);

      edit(
          repository.resolve("views/user_engagement.sql"),
          "count_if(liked) AS likes",
          "count_if(liked AND dwell_seconds >= 10) AS likes");
      edit(
          repository.resolve("views/article_profile.sql"),
          "  word_count\n",
          "  word_count,\n  title\n");
      edit(repository.resolve("views/user_profile.sql"), "-- owner: growth", "-- owner: lifecycle");
      Files.delete(repository.resolve("views/article_ctr.sql"));
      edit(repository.resolve("training_sets/click_model.sql"), " article_ctr:ctr_7d,", "");

      ApplyPlan plan = ApplyPlanner.plan(compile(repository), registry.views());
      Map<String, Change> byView =
          plan.changes().stream().collect(Collectors.toMap(Change::view, c -> c));
      assertThat(byView.get("user_engagement").kind()).isEqualTo(Kind.CHANGE);
      assertThat(byView.get("user_engagement").breaking()).isTrue();
      assertThat(byView.get("user_engagement").version()).isEqualTo(2);
      assertThat(byView.get("article_profile").breaking()).isFalse();
      assertThat(byView.get("article_profile").version()).isEqualTo(1);
      assertThat(byView.get("user_profile").kind()).isEqualTo(Kind.METADATA);
      assertThat(byView.get("article_ctr").kind()).isEqualTo(Kind.REMOVE);
      assertThat(byView.get("user_category_affinity").kind()).isEqualTo(Kind.UNCHANGED);
      assertThat(plan.render(false))
          .contains(
              "  ! user_engagement              breaking: its features change and it is an aggregation view, so v1 becomes v2, republished; v1 stays readable (user_engagement@1), evaluated from its recorded SQL and windows")
          .contains(
              "  ~ article_profile              changed; virtual, so it is republished and nothing is rebuilt (v1)")
          .contains("  ~ user_profile                 metadata only (owner)")
          .contains("  - article_ctr                  removed from the repository")
          .endsWith("0 to add, 3 to change (1 breaking), 0 to remove (1 with --prune).\n");
    }
  }

  @Test
  void aViewAddedAgainGetsItsLastVersionBackOrTheNextNumber() throws IOException {
    try (RegistryStore registry = JooqRegistryStore.open(RegistryConfig.embedded(work))) {
      Path repository = copyOfNews();
      List<CompiledView> views = compile(repository);
      record(registry, ApplyPlanner.plan(views, registry.views(), registry.versions()), views);
      registry.apply(List.of(), List.of("article_daily_ctr"));
      List<CompiledView> again = compile(repository);

      ApplyPlan same = ApplyPlanner.plan(again, registry.views(), registry.versions());
      Change back =
          same.changes().stream()
              .filter(c -> c.view().equals("article_daily_ctr"))
              .findFirst()
              .orElseThrow();
      assertThat(back.kind()).isEqualTo(Kind.ADD);
      assertThat(back.version()).isEqualTo(1);
      assertThat(same.render(false))
          .contains("added again, with the rows of v1, which it reads again");

      registry.retire("article_daily_ctr", 1, Instant.parse("2026-11-24T00:00:00Z"));
      ApplyPlan retired = ApplyPlanner.plan(again, registry.views(), registry.versions());
      Change next =
          retired.changes().stream()
              .filter(c -> c.view().equals("article_daily_ctr"))
              .findFirst()
              .orElseThrow();
      assertThat(next.version()).isEqualTo(2);
      assertThat(retired.render(false)).contains("(v2; v1 was applied before)");
    }
  }

  @Test
  void aPushViewGetsANewVersionWhenItsColumnsChangeAndNotForItsDescriptions() throws IOException {
    try (RegistryStore registry = JooqRegistryStore.open(RegistryConfig.embedded(work))) {
      Path repository = copyOfNews();
      List<CompiledView> views = compile(repository);
      record(registry, ApplyPlanner.plan(views, registry.views()), views);
      AppliedView first = registry.view("article_live").orElseThrow();
      assertThat(first.sql())
          .isEqualTo(
              "SELECT \"article_id\", \"updated_at\", \"reads_5m\", \"likes_5m\", \"shares_5m\"\nFROM features.\"article_live__v1\"");
      assertThat(first.description("reads_5m"))
          .isEqualTo("reads in the 5 minutes up to updated_at");
      assertThat(first.lineage().get("reads_5m")).isEmpty();

      // comments, spacing and layout of the CREATE TABLE are no change
      Path file = repository.resolve("views/article_live.sql");
      edit(file, "  likes_5m   bigint,", "  -- likes\n  likes_5m bigint ,");
      edit(file, ")\n", ");\n");
      assertThat(ApplyPlanner.plan(compile(repository), registry.views()).hasChanges(false))
          .isFalse();

      // descriptions are metadata
      edit(file, "-- owner: feed", "-- owner: feed-team");
      edit(file, "COMMENT 'reads in the 5 minutes up to updated_at'", "COMMENT 'reads, 5 minutes'");
      ApplyPlan metadata = ApplyPlanner.plan(compile(repository), registry.views());
      assertThat(metadata.render(false))
          .contains("  ~ article_live                 metadata only (owner, column descriptions)");
      record(registry, metadata, compile(repository));
      assertThat(registry.view("article_live").orElseThrow().description("reads_5m"))
          .isEqualTo("reads, 5 minutes");
      assertThat(registry.view("article_live").orElseThrow().version()).isEqualTo(1);

      // a column, a type or the keys are not
      edit(file, "  shares_5m  bigint\n", "  shares_5m  bigint,\n  comments_5m integer\n");
      ApplyPlan breaking = ApplyPlanner.plan(compile(repository), registry.views());
      Change change =
          breaking.changes().stream()
              .filter(c -> c.view().equals("article_live"))
              .findFirst()
              .orElseThrow();
      assertThat(change.breaking()).isTrue();
      assertThat(change.version()).isEqualTo(2);
      assertThat(breaking.render(false))
          .contains(
              "  ! article_live                 breaking: its columns change and it is a push view, so v1 becomes v2, a new table that pushes fill from now on; v1 stays readable");
      List<CompiledView> next = compile(repository);
      record(registry, breaking, next);
      assertThat(registry.view("article_live").orElseThrow().sql())
          .endsWith("FROM features.\"article_live__v2\"");
      edit(file, "comments_5m integer", "comments_5m bigint");
      assertThat(ApplyPlanner.plan(compile(repository), registry.views()).render(false))
          .contains("  ! article_live                 breaking:");
    }
  }

  private void record(RegistryStore registry, ApplyPlan plan, List<CompiledView> views) {
    registry.apply(
        ApplyPlanner.applied(plan, views, Instant.parse("2026-11-23T00:00:00Z")), List.of());
  }

  private List<CompiledView> compile(Path repository) {
    return compiler.compileAll(RepositoryLoader.load(repository));
  }

  private Path copyOfNews() throws IOException {
    Path target = Files.createTempDirectory(work, "news");
    TestFiles.copyTree(NEWS, target);
    return target;
  }

  private static void edit(Path file, String from, String to) throws IOException {
    String text = Files.readString(file);
    assertThat(text).contains(from);
    Files.writeString(file, text.replace(from, to));
  }
}
