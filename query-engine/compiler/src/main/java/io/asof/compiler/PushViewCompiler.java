package io.asof.compiler;

import io.asof.model.Column;
import io.asof.model.DeclaredColumn;
import io.asof.model.Diagnostic;
import io.asof.model.Entity;
import io.asof.model.FeatureViewSpec;
import io.asof.model.RepositoryException;
import io.asof.model.SourcePosition;
import io.asof.model.Suggestions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles push views: their columns are those they declare, with their types as declared; nothing
 * is read from the warehouse, and no column has source columns (its values are pushed).
 */
final class PushViewCompiler {
  private PushViewCompiler() {}

  /** Compiles one push view of {@code entity}, or throws with what is wrong and where. */
  static CompiledView compile(FeatureViewSpec view, Entity entity) {
    List<Diagnostic> problems = new ArrayList<>();
    Map<String, DeclaredColumn> declared = new LinkedHashMap<>();
    view.declaredColumns().forEach(c -> declared.put(c.name(), c));
    SourcePosition create = new Positions(view.sqlPosition()).statementStart(view.sql());
    for (String key : entity.keyColumns()) {
      if (!declared.containsKey(key)) {
        problems.add(
            new Diagnostic(
                create,
                "missing key column %s: a view of entity %s must declare %s; add %s <type> to the CREATE TABLE"
                    .formatted(key, entity.name(), String.join(", ", entity.keyColumns()), key)));
      }
    }
    checkDeclaredTimestamp(declared, view.eventTime(), "event_time", create, problems);
    view.createdTime()
        .ifPresent(
            created -> checkDeclaredTimestamp(declared, created, "created_time", create, problems));
    if (!problems.isEmpty()) {
      throw new RepositoryException(problems);
    }
    Set<String> structural = new HashSet<>(entity.keyColumns());
    structural.add(view.eventTime());
    view.createdTime().ifPresent(structural::add);
    List<Column> columns =
        view.declaredColumns().stream().map(c -> new Column(c.name(), c.type())).toList();
    Map<String, List<String>> lineage = new LinkedHashMap<>();
    columns.forEach(c -> lineage.put(c.name(), List.of()));
    return new CompiledView(
        view,
        entity,
        columns,
        columns.stream().filter(c -> !structural.contains(c.name())).toList(),
        List.of(),
        lineage);
  }

  private static void checkDeclaredTimestamp(
      Map<String, DeclaredColumn> declared,
      String name,
      String header,
      SourcePosition create,
      List<Diagnostic> problems) {
    DeclaredColumn column = declared.get(name);
    if (column == null) {
      problems.add(
          new Diagnostic(
              create,
              "the %s column %s is not declared%s: add %s timestamp(6) to the CREATE TABLE, or name one of its columns (%s) in '-- %s:'"
                  .formatted(
                      header,
                      name,
                      Suggestions.didYouMean(name, declared.keySet()),
                      name,
                      String.join(", ", declared.keySet()),
                      header)));
    } else if (!column.type().startsWith("timestamp")) {
      problems.add(
          new Diagnostic(
              column.position(),
              "the %s column %s is declared %s, not a timestamp: declare it %s timestamp(6)"
                  .formatted(header, name, column.type(), name)));
    }
  }
}
