package io.asof.features.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.model.Diagnostic;
import io.asof.model.Durations;
import io.asof.model.Expectation;
import io.asof.model.FeatureRef;
import io.asof.model.FeatureRepository;
import io.asof.model.FeatureViewSpec;
import io.asof.model.Materialization;
import io.asof.model.RepositoryException;
import io.asof.model.TrainingSetSpec;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestRepositoryLoader {
  private static final String ENTITIES =
      """
      entities:
        user:
          keys: [user_id]
        user_category:
          keys: [user_id, category]
      """;

  private static final String GOOD_VIEW =
      """
      -- entity: user
      -- event_time: ts
      SELECT user_id, ts, 1 AS one FROM dwh.t
      """;

  @TempDir Path root;

  @Test
  void loadsTheNewsExample() {
    FeatureRepository repository = RepositoryLoader.load(Path.of("examples/news"));
    assertThat(repository.entities())
        .extracting(e -> e.name())
        .containsExactly("user", "article", "user_category");
    assertThat(repository.entity("user_category").orElseThrow().keyColumns())
        .containsExactly("user_id", "category");
    assertThat(repository.views())
        .extracting(FeatureViewSpec::name)
        .containsExactly(
            "article_ctr",
            "article_daily_ctr",
            "article_live",
            "article_popularity",
            "article_profile",
            "article_trending",
            "reaction_events",
            "user_category_affinity",
            "user_engagement",
            "user_profile");
    FeatureViewSpec engagement = repository.view("user_engagement").orElseThrow();
    assertThat(engagement.entity()).isEqualTo("user");
    assertThat(engagement.eventTime()).isEqualTo("reacted_at");
    assertThat(engagement.createdTime()).contains("ingested_at");
    assertThat(engagement.windows()).containsExactly(Duration.ofDays(7), Duration.ofDays(30));
    assertThat(engagement.ttl()).isEmpty();
    assertThat(engagement.materialization()).isEqualTo(Materialization.VIRTUAL);
    // the example keeps online exactly the views the quickstart serves
    assertThat(engagement.online()).isFalse();
    assertThat(
            repository.views().stream()
                .filter(FeatureViewSpec::online)
                .map(FeatureViewSpec::name)
                .toList())
        .containsExactlyInAnyOrder("user_profile", "article_trending");
    assertThat(engagement.owner()).isEqualTo("recsys");
    assertThat(engagement.description())
        .startsWith("How much a user reads:")
        .endsWith("A read counts once it has landed in the warehouse.");
    assertThat(engagement.sql()).startsWith("SELECT\n  user_id,");
    assertThat(engagement.sqlPosition().line()).isEqualTo(12);
    assertThat(engagement.tags()).containsExactly("engagement", "reads", "user");
    assertThat(repository.view("article_profile").orElseThrow().materialization())
        .isEqualTo(Materialization.VIRTUAL);
    assertThat(repository.services())
        .singleElement()
        .satisfies(s -> assertThat(s.features()).hasSize(4));
    assertThat(repository.trainingSets())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.name()).isEqualTo("click_model");
              assertThat(t.timestamp()).isEqualTo("shown_at");
              assertThat(t.label()).contains("clicked");
              assertThat(t.features())
                  .containsExactly(
                      FeatureRef.parse("user_engagement:*"),
                      FeatureRef.parse("article_popularity:*"),
                      FeatureRef.parse("article_ctr:ctr_7d"),
                      FeatureRef.parse("user_category_affinity:clicks_30d"),
                      FeatureRef.parse("user_profile:is_premium"),
                      FeatureRef.parse("article_profile:word_count"));
              assertThat(t.labelLineageOk()).isEmpty();
            });
  }

  @Test
  void loadsTheTpchExample() {
    FeatureRepository repository = RepositoryLoader.load(Path.of("examples/tpch"));
    assertThat(repository.views())
        .extracting(FeatureViewSpec::name)
        .containsExactly("customer_orders", "nation_daily", "supplier_monthly");
    assertThat(repository.trainingSets())
        .singleElement()
        .satisfies(t -> assertThat(t.label()).contains("urgent"));
  }

  @Test
  void misspeltHeaderKeyGetsTheNearestValidOne() throws IOException {
    write("entities.yaml", ENTITIES);
    write("views/v.sql", "-- entity: user\n-- evnt_time: ts\nSELECT 1\n");
    assertErrors(
        "views/v.sql:1:1: missing header '-- event_time: <column>': name the timestamp column that says when each row's values became true",
        "views/v.sql:2:4: unknown header key 'evnt_time' (did you mean event_time?)");
  }

  @Test
  void unknownHeaderKeyWithNothingNearListsTheKnownOnes() throws IOException {
    write("entities.yaml", ENTITIES);
    write("views/v.sql", "-- colour: red\n" + GOOD_VIEW);
    assertErrors(
        "views/v.sql:1:4: unknown header key 'colour': known keys are view, entity, event_time, created_time, ttl, windows, materialize, push, online, owner, description, tags, expect");
  }

  @Test
  void tagsAreCommaSeparatedWordsKeptOnce() throws IOException {
    write("entities.yaml", ENTITIES);
    write("views/v.sql", "-- tags: engagement, Reads, engagement\n" + GOOD_VIEW);
    assertErrors(
        "views/v.sql:1:10: tags are a comma-separated list of lower-case words (letters, digits, - and _), got 'Reads'");
    write("views/v.sql", "-- tags: engagement, daily-ctr, engagement\n" + GOOD_VIEW);
    assertThat(RepositoryLoader.load(root).views().getFirst().tags())
        .containsExactly("engagement", "daily-ctr");
  }

  @Test
  void ttlThatDoesNotParseSaysWhatToWrite() throws IOException {
    write("entities.yaml", ENTITIES);
    write("views/v.sql", "-- ttl:  30 days\n" + GOOD_VIEW);
    assertErrors(
        "views/v.sql:1:10: ttl '30 days' does not parse: write a whole number and a unit, e.g. 30d, 12h or 90m (units: s, m, h, d, w)");
  }

  @Test
  void unknownEntityGetsTheNearestDeclaredOne() throws IOException {
    write("entities.yaml", ENTITIES);
    write("views/v.sql", "-- entity: usr\n-- event_time: ts\nSELECT 1\n");
    assertErrors(
        "views/v.sql:1:12: unknown entity 'usr' (did you mean user?): entities are declared in entities.yaml (one of: user, user_category)");
  }

  @Test
  void duplicateViewNameNamesBothFiles() throws IOException {
    write("entities.yaml", ENTITIES);
    write("views/a.sql", "-- view: clicks\n" + GOOD_VIEW);
    write("views/b.sql", "-- view: clicks\n" + GOOD_VIEW);
    assertErrors(
        "views/b.sql:1:1: view clicks is declared twice: here and at views/a.sql:1:1; rename one");
  }

  @Test
  void badBooleanAndBadNameAndMissingSqlAreAllReported() throws IOException {
    write("entities.yaml", ENTITIES);
    write("views/a.sql", "-- online: maybe\n-- entity: user\n-- event_time: ts\n");
    write("views/b.sql", "-- view: Clicks-7d\n" + GOOD_VIEW);
    assertErrors(
        "views/a.sql:1:12: online takes true or false, got 'maybe'",
        "views/a.sql:4:1: no SQL after the header: write the SELECT that computes the view",
        "views/b.sql:1:10: view name 'Clicks-7d' is not a plain SQL name: use lower-case letters, digits and _, starting with a letter");
  }

  @Test
  void referencesToAViewWithErrorsAreNotReportedAgain() throws IOException {
    write("entities.yaml", ENTITIES);
    write("views/clicks.sql", "-- evnt_time: ts\n-- entity: user\nSELECT 1\n");
    write("training_sets/t.sql", "-- timestamp: ts\n-- features: clicks:one\nSELECT 1\n");
    assertErrors(
        "views/clicks.sql:1:1: missing header '-- event_time: <column>': name the timestamp column that says when each row's values became true",
        "views/clicks.sql:1:4: unknown header key 'evnt_time' (did you mean event_time?)");
  }

  @Test
  void unknownFeatureServiceAndBadLateDataInATrainingSet() throws IOException {
    write("entities.yaml", ENTITIES);
    write("views/clicks.sql", "-- view: clicks\n" + GOOD_VIEW);
    write("feature_services.yaml", "feature_services:\n  ranking:\n    features: [clicks:*]\n");
    write(
        "training_sets/t.sql",
        "-- timestamp: ts\n-- feature_service: rankng\n-- late_data: drop\nSELECT 1\n");
    assertErrors(
        "training_sets/t.sql:2:21: unknown feature service 'rankng' (did you mean ranking?): services are declared in feature_services.yaml (one of: ranking)",
        "training_sets/t.sql:3:15: late_data takes hold_back (rows count once created, the default) or keep (rows count from their event time), got 'drop'");
  }

  @Test
  void trainingSetOptionsAreRead() throws IOException {
    write("entities.yaml", ENTITIES);
    write("views/clicks.sql", "-- view: clicks\n" + GOOD_VIEW);
    write("feature_services.yaml", "feature_services:\n  ranking:\n    features: [clicks:*]\n");
    write(
        "training_sets/t.sql",
        "-- timestamp: ts\n-- feature_service: ranking\n-- event_times: true\n-- late_data: keep\nSELECT 1\n");
    TrainingSetSpec set = RepositoryLoader.load(root).trainingSets().getFirst();
    assertThat(set.features()).isEmpty();
    assertThat(set.featureService()).contains("ranking");
    assertThat(set.eventTimes()).isTrue();
    assertThat(set.holdBackLate()).isFalse();
  }

  @Test
  void labelLineageAcknowledgementsRepeatAndEachNeedsOneFeatureAndAReason() throws IOException {
    write("entities.yaml", ENTITIES);
    write("views/clicks.sql", "-- view: clicks\n" + GOOD_VIEW);
    write(
        "training_sets/t.sql",
        """
        -- timestamp: ts
        -- features: clicks:*
        -- label_lineage_ok: clicks:a counted before the label is known
        -- label_lineage_ok: clicks:b
        --   known a day before the label
        SELECT 1
        """);
    assertThat(RepositoryLoader.load(root).trainingSets().getFirst().labelLineageOk())
        .extracting(a -> a.feature() + " " + a.reason() + " " + a.position().line())
        .containsExactly(
            "clicks:a counted before the label is known 3",
            "clicks:b known a day before the label 4");
    write(
        "training_sets/t.sql",
        """
        -- timestamp: ts
        -- features: clicks:*
        -- label_lineage_ok: clicks:a
        -- label_lineage_ok: clicks:* all fine
        -- label_lineage_ok: clicks
        -- label_lineage_ok:
        SELECT 1
        """);
    assertErrors(
        "training_sets/t.sql:3:22: label_lineage_ok for clicks:a gives no reason: say after the feature why it may be computed from the column the label comes from, e.g. '-- label_lineage_ok: clicks:a counts only finished days'",
        "training_sets/t.sql:4:22: label_lineage_ok acknowledges one feature, not all of a view's (clicks:*): one line per feature, each with its reason",
        "training_sets/t.sql:5:22: a feature is named view:feature (or view:* for all of a view's features, view@N:feature for version N), got: clicks",
        "training_sets/t.sql:6:4: label_lineage_ok names a feature and says why it may be computed from the column the label comes from: '-- label_lineage_ok: view:feature <why it may be computed from the label's column>'");
  }

  @Test
  void repeatedHeaderKeyIsReported() throws IOException {
    write("entities.yaml", ENTITIES);
    write("views/v.sql", "-- ttl: 1d\n-- ttl: 2d\n" + GOOD_VIEW);
    assertErrors("views/v.sql:2:4: header key 'ttl' is given twice (first at line 1): keep one");
  }

  @Test
  void expectationsAreReadInOrderWithTheirPositions() throws IOException {
    write("entities.yaml", ENTITIES);
    write(
        "views/v.sql",
        """
        -- entity: user
        -- event_time: ts
        -- expect: not_null(user_id,one)
        -- expect: range(one, 0, _)
        -- expect:  range( ratio , -0.5, 1.50 )
        -- expect: accepted_values(country, 'de', 'it''s',
        --   'fr')
        -- expect: accepted_values(one, 1, 2.5)
        -- expect: unique_keys
        -- expect: row_count(_, 1000)
        SELECT user_id, ts, 1 AS one, 0.5 AS ratio, 'de' AS country FROM dwh.t
        """);
    FeatureViewSpec view = RepositoryLoader.load(root).views().getFirst();
    assertThat(view.expectations())
        .extracting(Expectation::rule)
        .containsExactly(
            "not_null(user_id, one)",
            "range(one, 0, _)",
            "range(ratio, -0.5, 1.50)",
            "accepted_values(country, 'de', 'it''s', 'fr')",
            "accepted_values(one, 1, 2.5)",
            "unique_keys",
            "row_count(_, 1000)");
    assertThat(view.expectations())
        .extracting(e -> e.position().line() + ":" + e.position().column())
        .containsExactly("3:12", "4:12", "5:13", "6:12", "8:12", "9:12", "10:12");
    assertThat(view.expectations().get(1))
        .isEqualTo(
            new Expectation.Range(
                "one",
                Optional.of(BigDecimal.ZERO),
                Optional.empty(),
                view.expectations().get(1).position()));
    assertThat(view.expectations().get(3).columns()).containsExactly("country");
    assertThat(((Expectation.AcceptedValues) view.expectations().get(3)).values())
        .containsExactly(
            new Expectation.TextValue("de"),
            new Expectation.TextValue("it's"),
            new Expectation.TextValue("fr"));
    assertThat(view.sqlPosition().line()).isEqualTo(11);
  }

  @Test
  void expectationsThatDoNotParseSayWhatToWrite() throws IOException {
    write("entities.yaml", ENTITIES);
    write(
        "views/v.sql",
        """
        -- entity: user
        -- event_time: ts
        -- expect: not_nul(one)
        -- expect: range(one, 0)
        -- expect: range(one, zero, 1)
        -- expect: range(one, 5, 1)
        -- expect: range(one, _, _)
        -- expect: row_count(10, 1.5)
        -- expect: accepted_values(country, de, 'fr')
        -- expect: accepted_values(country, 'de',
        --   3)
        -- expect: accepted_values(country, 'de)
        -- expect: not_null('one')
        -- expect: unique_keys(user_id)
        -- expect: not_null(one)
        -- expect: not_null(one)
        -- expect: clicks > 0
        SELECT user_id, ts, 1 AS one FROM dwh.t
        """);
    assertErrors(
        "views/v.sql:3:12: unknown expectation 'not_nul' (did you mean not_null?): the rules are not_null, range, accepted_values, unique_keys, row_count",
        "views/v.sql:4:12: range takes a column, a minimum and a maximum, e.g. range(ctr_7d, 0, 1) or range(clicks_7d, 0, _) with _ for no bound; got 2 arguments",
        "views/v.sql:5:23: 'zero' is not a number: write a bound like 0, 1.5 or -3, or _ for no bound",
        "views/v.sql:6:12: the minimum 5 is above the maximum 1: no value could pass; swap them",
        "views/v.sql:7:12: range(one, _, _) checks nothing: give a minimum, a maximum or both",
        "views/v.sql:8:26: '1.5' is not a number of rows: write a whole number like 1000, or _ for no bound",
        "views/v.sql:9:37: 'de' is not a value: write strings in single quotes ('de') and numbers as they are",
        "views/v.sql:11:6: accepted_values mixes strings and numbers: quote every value for a text column, none for a numeric one",
        "views/v.sql:12:37: this string has no closing quote: end it with ' (write a quote inside it as '')",
        "views/v.sql:13:21: 'one' is not a column name: name an output column of the view as the SELECT does, in lower case and without quotes",
        "views/v.sql:14:12: unique_keys takes no arguments: it checks the entity's key columns and the event time together",
        "views/v.sql:16:12: expectation not_null(one) is given twice (first at line 15): keep one",
        "views/v.sql:17:12: expectation 'clicks > 0' does not parse: write one rule per '-- expect:' line, e.g. not_null(user_id), range(ctr_7d, 0, 1), accepted_values(country, 'de', 'fr'), unique_keys or row_count(1, _)");
  }

  @Test
  void entitiesYamlProblemsPointIntoTheFile() throws IOException {
    write(
        "entities.yaml",
        """
        entities:
          user:
            kyes: [user_id]
          item:
            keys: [item id]
        """);
    assertErrors(
        "entities.yaml:2:3: entity user has no 'keys': list its join-key columns",
        "entities.yaml:3:5: unknown key 'kyes' in entity user (did you mean keys?)",
        "entities.yaml:5:12: key column 'item id' is not a plain SQL name: use lower-case letters, digits and _, starting with a letter");
  }

  @Test
  void brokenYamlIsReportedWhereItBreaks() throws IOException {
    write("entities.yaml", "entities:\n  user: [unclosed\n");
    assertThatThrownBy(() -> RepositoryLoader.load(root))
        .isInstanceOf(RepositoryException.class)
        .hasMessageStartingWith(root.resolve("entities.yaml") + ":3:1: this is not valid YAML:");
  }

  @Test
  void featureRefsOnContinuationLinesArePlacedExactly() throws IOException {
    write("entities.yaml", ENTITIES);
    write("views/clicks.sql", GOOD_VIEW);
    write(
        "training_sets/t.sql",
        """
        -- timestamp: ts
        -- features: clicks:one,
        --   clics:one, clicks
        SELECT 1 AS user_id, TIMESTAMP '2026-01-01 00:00:00' AS ts
        """);
    assertErrors(
        "training_sets/t.sql:3:6: unknown view 'clics' in feature clics:one (did you mean clicks?)",
        "training_sets/t.sql:3:17: a feature is named view:feature (or view:* for all of a view's features, view@N:feature for version N), got: clicks");
  }

  @Test
  void aMissingDirectoryIsOneClearError() {
    assertThatThrownBy(() -> RepositoryLoader.load(root.resolve("nope")))
        .isInstanceOf(RepositoryException.class)
        .hasMessage(
            root.resolve("nope")
                + ":1:1: no feature repository here: expected a directory with entities.yaml and views/");
  }

  @Test
  void windowsAreReadInTheOrderWritten() throws IOException {
    write("entities.yaml", ENTITIES);
    write(
        "views/v.sql",
        """
        -- entity: user
        -- event_time: ts
        -- windows: 1d, 90m,1h , 2w
        SELECT user_id, count(*) AS n FROM dwh.t GROUP BY user_id
        """);
    FeatureViewSpec view = RepositoryLoader.load(root).views().getFirst();
    assertThat(view.windows())
        .containsExactly(
            Duration.ofDays(1), Duration.ofMinutes(90), Duration.ofHours(1), Duration.ofDays(14));
    assertThat(view.aggregation()).isTrue();
    write("views/v.sql", GOOD_VIEW);
    assertThat(RepositoryLoader.load(root).views().getFirst().aggregation()).isFalse();
  }

  @Test
  void windowThatIsNotADurationSaysWhatToWrite() throws IOException {
    write("entities.yaml", ENTITIES);
    write("views/v.sql", "-- windows: 1h, 2 days,\n" + GOOD_VIEW);
    assertErrors(
        "views/v.sql:1:13: window '2 days' is not a duration: %s; list the windows separated by commas, e.g. 1h, 1d, 7d"
            .formatted(Durations.HINT),
        "views/v.sql:1:13: window '' is not a duration: %s; list the windows separated by commas, e.g. 1h, 1d, 7d"
            .formatted(Durations.HINT));
  }

  @Test
  void windowOfSecondsIsRefused() throws IOException {
    write("entities.yaml", ENTITIES);
    write("views/v.sql", "-- windows:  30s, 1h\n" + GOOD_VIEW);
    assertErrors(
        "views/v.sql:1:14: window '30s' is not a whole number of minutes: windows are evaluated to the minute at their far edge; write e.g. 1m or 90m");
    write("views/v.sql", "-- windows: 90s\n" + GOOD_VIEW);
    assertErrors(
        "views/v.sql:1:13: window '90s' is not a whole number of minutes: windows are evaluated to the minute at their far edge; write e.g. 1m or 90m");
  }

  @Test
  void windowListedTwiceIsRefused() throws IOException {
    write("entities.yaml", ENTITIES);
    write("views/v.sql", "-- windows: 1h, 1d, 60m\n" + GOOD_VIEW);
    assertErrors("views/v.sql:1:13: window '60m' is listed twice: list each once");
  }

  @Test
  void windowsOfAPushViewAreRefused() throws IOException {
    write("entities.yaml", ENTITIES);
    write(
        "views/live.sql",
        """
        -- entity: user
        -- event_time: updated_at
        -- push: true
        -- windows: 5m
        CREATE TABLE live (
          user_id bigint,
          updated_at timestamp(6),
          reads bigint
        )
        """);
    assertErrors(
        "views/live.sql:4:4: a push view has no windows: keep this view a push view of raw events, and write an aggregation view over its table (FROM features.live) with '-- windows:'");
  }

  @Test
  void ttlAndMaterializationOfAnAggregationViewAreRefused() throws IOException {
    write("entities.yaml", ENTITIES);
    write(
        "views/v.sql",
        """
        -- entity: user
        -- event_time: ts
        -- ttl: 7d
        -- materialize: true
        -- windows: 1h, 7d
        SELECT user_id, count(*) AS n FROM dwh.t GROUP BY user_id
        """);
    assertErrors(
        "views/v.sql:3:4: ttl does not apply to an aggregation view: each feature is the aggregate over its window at every time, so old events leave by themselves; remove '-- ttl:'",
        "views/v.sql:4:4: an aggregation view is evaluated from its events at every time it is read, so there is nothing to backfill: remove '-- materialize: true'");
  }

  @Test
  void durations() {
    assertThat(Durations.parse("90m")).contains(Duration.ofMinutes(90));
    assertThat(Durations.parse("2w")).contains(Duration.ofDays(14));
    assertThat(Durations.parse("0d")).isEqualTo(Optional.empty());
    assertThat(Durations.parse("1.5d")).isEmpty();
  }

  private void assertErrors(String... expected) {
    assertThatThrownBy(() -> RepositoryLoader.load(root))
        .isInstanceOfSatisfying(
            RepositoryException.class,
            e -> {
              List<String> actual = e.diagnostics().stream().map(d -> relative(d)).toList();
              assertThat(actual).containsExactly(expected);
            });
  }

  private String relative(Diagnostic diagnostic) {
    return diagnostic.relativeTo(root);
  }

  private void write(String name, String text) throws IOException {
    Path file = root.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
