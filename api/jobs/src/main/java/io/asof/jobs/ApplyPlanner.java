package io.asof.jobs;

import io.asof.compiler.CompiledView;
import io.asof.compiler.push.PushTableSql;
import io.asof.model.Column;
import io.asof.model.DeclaredColumn;
import io.asof.model.FeatureViewSpec;
import io.asof.model.Materialization;
import io.asof.registry.AppliedView;
import io.asof.registry.ApplyPlan;
import io.asof.registry.ApplyPlan.Change;
import io.asof.registry.ApplyPlan.Kind;
import io.asof.registry.OnlineGroup;
import io.asof.registry.RegistryStore;
import io.asof.registry.ViewVersion;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The plan of an apply ({@link ApplyPlan}): compares compiled views with what the registry
 * recorded, like a Terraform plan: what is new, what changed (and whether the change breaks a
 * materialized, push or online view, which then needs a new version, and a backfill or new pushes),
 * what only changed its metadata, and what was removed.
 */
public final class ApplyPlanner {
  private ApplyPlanner() {}

  public static ApplyPlan plan(List<CompiledView> compiled, List<AppliedView> applied) {
    return plan(compiled, applied, List.of());
  }

  /**
   * {@link #plan(List, List)}, knowing every version recorded before ({@link
   * RegistryStore#versions()}): a view added again after it was removed gets its last version back
   * when its rows are the same and that version is not retired (its table is still there), else the
   * version after the highest recorded, so a version number never names two definitions.
   */
  public static ApplyPlan plan(
      List<CompiledView> compiled, List<AppliedView> applied, List<ViewVersion> history) {
    Map<String, AppliedView> before =
        applied.stream()
            .collect(Collectors.toMap(AppliedView::name, v -> v, (a, b) -> a, TreeMap::new));
    Map<String, CompiledView> after =
        compiled.stream()
            .collect(Collectors.toMap(CompiledView::name, v -> v, (a, b) -> a, TreeMap::new));
    List<Change> changes = new ArrayList<>();
    for (CompiledView view : after.values()) {
      AppliedView old = before.get(view.name());
      FeatureViewSpec spec = view.spec();
      String fingerprint = fingerprint(view);
      if (old == null) {
        Optional<ViewVersion> latest =
            history.stream()
                .filter(v -> v.name().equals(view.name()))
                .max(Comparator.comparingInt(ViewVersion::version));
        int version = latest.map(v -> v.version() + 1).orElse(1);
        String note = "new " + describe(spec) + " (v" + version + ")";
        if (latest.isPresent()
            && !latest.get().retired()
            && latest.get().view().fingerprint().equals(fingerprint)) {
          version = latest.get().version();
          note = "added again, with the rows of v%d, which it reads again".formatted(version);
        } else if (latest.isPresent()) {
          note =
              "new %s (v%d; %s applied before)"
                  .formatted(
                      describe(spec),
                      version,
                      version == 2 ? "v1 was" : "v1 to v%d were".formatted(version - 1));
        }
        changes.add(new Change(view.name(), Kind.ADD, false, version, Optional.empty(), note));
        continue;
      }
      if (!fingerprint.equals(old.fingerprint())) {
        boolean keepsRows =
            old.materialization() != Materialization.VIRTUAL
                || old.online()
                || spec.materialization() != Materialization.VIRTUAL
                || spec.online();
        if (old.aggregation() || spec.aggregation()) {
          // its features are named by its windows, and a model pins them: the version it had
          // stays readable, evaluated from its recorded SQL and windows
          changes.add(
              new Change(
                  view.name(),
                  Kind.CHANGE,
                  true,
                  old.version() + 1,
                  Optional.of(old),
                  "breaking: its features change and it is an aggregation view, so v%d becomes v%d, republished; v%d stays readable (%s@%d), evaluated from its recorded SQL and windows"
                      .formatted(
                          old.version(),
                          old.version() + 1,
                          old.version(),
                          view.name(),
                          old.version())));
        } else if (keepsRows) {
          String note =
              spec.materialization() == Materialization.PUSH
                  ? "breaking: its columns change and it is a push view, so v%d becomes v%d, a new table that pushes fill from now on; v%d stays readable"
                      .formatted(old.version(), old.version() + 1, old.version())
                  : "breaking: its rows change and it is %s, so v%d becomes v%d, to be backfilled; v%d stays readable"
                      .formatted(describe(spec), old.version(), old.version() + 1, old.version());
          changes.add(
              new Change(
                  view.name(), Kind.CHANGE, true, old.version() + 1, Optional.of(old), note));
        } else {
          changes.add(
              new Change(
                  view.name(),
                  Kind.CHANGE,
                  false,
                  old.version(),
                  Optional.of(old),
                  "changed; virtual, so it is republished and nothing is rebuilt (v%d)"
                      .formatted(old.version())));
        }
      } else if (!metadataDifferences(view, old).isEmpty()) {
        changes.add(
            new Change(
                view.name(),
                Kind.METADATA,
                false,
                old.version(),
                Optional.of(old),
                "metadata only (" + metadataDifferences(view, old) + ")"));
      } else {
        changes.add(
            new Change(
                view.name(), Kind.UNCHANGED, false, old.version(), Optional.of(old), "unchanged"));
      }
    }
    for (AppliedView old : before.values()) {
      if (!after.containsKey(old.name())) {
        changes.add(
            new Change(
                old.name(),
                Kind.REMOVE,
                false,
                old.version(),
                Optional.of(old),
                "removed from the repository"));
      }
    }
    return new ApplyPlan(changes);
  }

  /**
   * {@link #plan(List, List, List)}, and the views to switch on or off online so that exactly the
   * views whose file says {@code -- online: true} are online ({@code groups}: {@link
   * RegistryStore#onlineGroups()}). A view removed from the repository is left as it is.
   */
  public static ApplyPlan plan(
      List<CompiledView> compiled,
      List<AppliedView> applied,
      List<ViewVersion> history,
      List<OnlineGroup> groups) {
    Map<String, OnlineGroup> byView =
        groups.stream().collect(Collectors.toMap(OnlineGroup::view, g -> g, (a, b) -> a));
    Map<String, AppliedView> before =
        applied.stream().collect(Collectors.toMap(AppliedView::name, v -> v, (a, b) -> a));
    List<ApplyPlan.OnlineSwitch> switches = new ArrayList<>();
    for (CompiledView view : compiled) {
      Optional<OnlineGroup> group = Optional.ofNullable(byView.get(view.name()));
      boolean online = group.filter(g -> g.state() == OnlineGroup.State.ENABLED).isPresent();
      boolean wanted = view.spec().online();
      if (online != wanted) {
        // the file says what the last apply said: the view was switched by hand since
        boolean drift =
            Optional.ofNullable(before.get(view.name()))
                .filter(old -> old.online() == wanted)
                .isPresent();
        switches.add(new ApplyPlan.OnlineSwitch(view.name(), wanted, drift, group));
      }
    }
    switches.sort(Comparator.comparing(ApplyPlan.OnlineSwitch::view));
    return new ApplyPlan(plan(compiled, applied, history).changes(), switches);
  }

  /** The views as the registry records them once the plan is applied. */
  public static List<AppliedView> applied(
      ApplyPlan plan, List<CompiledView> compiled, Instant now) {
    Map<String, CompiledView> byName =
        compiled.stream().collect(Collectors.toMap(CompiledView::name, v -> v));
    List<AppliedView> views = new ArrayList<>();
    for (Change change : plan.changes()) {
      if (change.kind() == Kind.REMOVE || change.kind() == Kind.UNCHANGED) {
        continue;
      }
      CompiledView view = byName.get(change.view());
      FeatureViewSpec spec = view.spec();
      Map<String, String> descriptions = new LinkedHashMap<>();
      for (DeclaredColumn column : spec.declaredColumns()) {
        if (!column.description().isEmpty()) {
          descriptions.put(column.name(), column.description());
        }
      }
      views.add(
          new AppliedView(
              spec.name(),
              change.version(),
              fingerprint(view),
              spec.entity(),
              view.entity().keyColumns(),
              spec.eventTime(),
              spec.createdTime(),
              spec.ttl(),
              spec.windows(),
              spec.materialization(),
              spec.online(),
              spec.owner(),
              spec.description(),
              spec.materialization() == Materialization.PUSH
                  ? new PushTableSql(spec).read(change.version())
                  : spec.sql(),
              view.columns(),
              view.lineage(),
              descriptions,
              now,
              view.aggregation()));
    }
    return views;
  }

  /**
   * What decides the rows a view computes: its SQL (with whitespace at line ends and blank lines
   * ignored), entity keys, event and created time, output columns and types, materialization, and
   * an aggregation view's windows. A push view computes nothing: its declared columns, their types
   * and {@code NOT NULL}s decide its table, and the rest of its {@code CREATE TABLE} (comments,
   * layout) does not count.
   */
  public static String fingerprint(CompiledView view) {
    FeatureViewSpec spec = view.spec();
    String sql =
        spec.materialization() == Materialization.PUSH
            ? spec.declaredColumns().stream()
                .map(c -> c.name() + " " + c.type() + (c.notNull() ? " not null" : ""))
                .collect(Collectors.joining(",\n"))
            : spec.sql()
                .lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .collect(Collectors.joining("\n"));
    StringBuilder canonical =
        new StringBuilder()
            .append("sql=")
            .append(sql)
            .append('\n')
            .append("keys=")
            .append(String.join(",", view.entity().keyColumns()))
            .append('\n')
            .append("event_time=")
            .append(spec.eventTime())
            .append('\n')
            .append("created_time=")
            .append(spec.createdTime().orElse(""))
            .append('\n')
            .append("materialization=")
            .append(spec.materialization())
            .append('\n');
    if (spec.aggregation()) {
      // only aggregation views have windows: the fingerprints of all others stay as they were
      canonical
          .append("windows=")
          .append(
              spec.windows().stream()
                  .map(w -> Long.toString(w.toSeconds()))
                  .collect(Collectors.joining(",")))
          .append('\n');
    }
    for (Column column : view.columns()) {
      canonical
          .append("column=")
          .append(column.name())
          .append(' ')
          .append(column.type())
          .append('\n');
    }
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String metadataDifferences(CompiledView view, AppliedView old) {
    FeatureViewSpec spec = view.spec();
    List<String> differences = new ArrayList<>();
    if (!spec.description().equals(old.description())) {
      differences.add("description");
    }
    if (!spec.owner().equals(old.owner())) {
      differences.add("owner");
    }
    if (!Objects.equals(spec.ttl(), old.ttl())) {
      differences.add("ttl");
    }
    if (!view.spec().declaredColumns().stream()
        .allMatch(c -> c.description().equals(old.description(c.name())))) {
      differences.add("column descriptions");
    }
    if (spec.online() != old.online()) {
      differences.add(spec.online() ? "online switched on" : "online switched off");
    }
    // the same SQL over the same tables has the same lineage, but a registry written before
    // lineage was recorded (schema version 1) has none
    if (!view.lineage().equals(old.lineage())) {
      differences.add("column lineage");
    }
    return String.join(", ", differences);
  }

  private static String describe(FeatureViewSpec spec) {
    String kind =
        switch (spec.materialization()) {
          case VIRTUAL -> spec.aggregation() ? "aggregation" : "virtual";
          case MATERIALIZED -> "materialized";
          case PUSH -> "push";
        };
    return spec.online() ? kind + ", online" : kind;
  }
}
