package io.asof.registry;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/** What applying a repository would change in the registry and the published views. */
public record Plan(List<Change> changes) {
  public Plan {
    changes = List.copyOf(requireNonNull(changes, "changes is null"));
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
    return changes.stream()
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
    long add = count(Kind.ADD);
    long change = count(Kind.CHANGE) + count(Kind.METADATA);
    long breaking = changes.stream().filter(Change::breaking).count();
    long remove = count(Kind.REMOVE);
    if (hasChanges(prune) || remove > 0) {
      out.append(
          "%d to add, %d to change (%d breaking), %d to remove%s.%n"
              .formatted(
                  add,
                  change,
                  breaking,
                  prune ? remove : 0,
                  !prune && remove > 0 ? " (" + remove + " with --prune)" : ""));
    }
    return out.toString();
  }

  private long count(Kind kind) {
    return changes.stream().filter(c -> c.kind() == kind).count();
  }
}
