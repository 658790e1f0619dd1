package io.asof.registry;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * What applying a repository would change in the registry and the published views, and which views
 * it would switch on or off online: the plan of an apply, as {@code io.asof.jobs.ApplyPlanner}
 * computes it from compiled views (the registry does not know the compiler).
 */
public record ApplyPlan(List<Change> changes, List<OnlineSwitch> online) {
  public ApplyPlan {
    changes = List.copyOf(requireNonNull(changes, "changes is null"));
    online = List.copyOf(requireNonNull(online, "online is null"));
  }

  /** A plan that switches nothing online. */
  public ApplyPlan(List<Change> changes) {
    this(changes, List.of());
  }

  /**
   * A view whose online state differs from what its file says ({@code -- online: true} or not).
   *
   * @param on whether applying switches it on (else off)
   * @param drift whether the file did not change since the last apply, so the view was switched by
   *     hand ({@code ./asof online enable/disable}) and applying puts it back as the file says
   * @param group the view's online group as it is before applying, if it ever was online
   */
  public record OnlineSwitch(String view, boolean on, boolean drift, Optional<OnlineGroup> group) {
    public OnlineSwitch {
      requireNonNull(view, "view is null");
      requireNonNull(group, "group is null");
    }

    /** The plan's line for this switch. */
    String describe() {
      String change = on ? "online: off → on" : "online: on → off";
      String effect =
          on
              ? group.isPresent()
                  ? "apply catches it up in the online store and serves it again"
                  : "apply loads the latest value per entity into the online store"
              : "updates stop and the server stops serving it; its items stay until ./asof online disable --purge "
                  + view;
      return drift
          ? "%s (drift: switched %s by hand, but its file %s; %s)"
              .formatted(
                  change,
                  on ? "off" : "on",
                  on ? "says online: true" : "does not say online: true",
                  effect)
          : "%s (%s)".formatted(change, effect);
    }
  }

  /** How one view would change. */
  public enum Kind {
    ADD,
    /** The computed rows change; the view is republished. */
    CHANGE,
    /** Only description, owner, TTL or the online switch change. */
    METADATA,
    /** In the registry but no longer in the repository; removed only with --prune. */
    REMOVE,
    UNCHANGED,
  }

  /**
   * One view's change.
   *
   * @param breaking the change alters the rows of a materialized or online view, so it gets a new
   *     version (and table) that must be backfilled
   * @param version the version the view has after applying
   */
  public record Change(
      String view,
      Kind kind,
      boolean breaking,
      int version,
      Optional<AppliedView> before,
      String reason) {
    public Change {
      requireNonNull(view, "view is null");
      requireNonNull(kind, "kind is null");
      requireNonNull(before, "before is null");
      requireNonNull(reason, "reason is null");
    }
  }

  /** Whether applying would change anything (removals count only when pruning). */
  public boolean hasChanges(boolean prune) {
    return !online.isEmpty()
        || changes.stream()
            .anyMatch(c -> c.kind() != Kind.UNCHANGED && (c.kind() != Kind.REMOVE || prune));
  }

  /** The plan as people read it, one line per view and a summary. */
  public String render(boolean prune) {
    StringBuilder out = new StringBuilder();
    if (!hasChanges(prune)) {
      out.append("No changes: the registry matches the repository.\n");
    }
    for (Change change : changes) {
      if (change.kind() == Kind.UNCHANGED) {
        continue;
      }
      String symbol =
          switch (change.kind()) {
            case ADD -> "+";
            case CHANGE -> change.breaking() ? "!" : "~";
            case METADATA -> "~";
            case REMOVE -> "-";
            case UNCHANGED -> "=";
          };
      out.append("  %s %-28s %s%n".formatted(symbol, change.view(), change.reason()));
    }
    for (OnlineSwitch onlineSwitch : online) {
      out.append("  ~ %-28s %s%n".formatted(onlineSwitch.view(), onlineSwitch.describe()));
    }
    long add = count(Kind.ADD);
    long change = count(Kind.CHANGE) + count(Kind.METADATA);
    long breaking = changes.stream().filter(Change::breaking).count();
    long remove = count(Kind.REMOVE);
    if (hasChanges(prune) || remove > 0) {
      out.append(
          "%d to add, %d to change (%d breaking), %d to remove%s%s.%n"
              .formatted(
                  add,
                  change,
                  breaking,
                  prune ? remove : 0,
                  !prune && remove > 0 ? " (" + remove + " with --prune)" : "",
                  online.isEmpty()
                      ? ""
                      : ", %d to switch online (%d on, %d off)"
                          .formatted(
                              online.size(),
                              online.stream().filter(OnlineSwitch::on).count(),
                              online.stream().filter(s -> !s.on()).count())));
    }
    return out.toString();
  }

  private long count(Kind kind) {
    return changes.stream().filter(c -> c.kind() == kind).count();
  }
}
