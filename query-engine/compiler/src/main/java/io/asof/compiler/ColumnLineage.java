package io.asof.compiler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.calcite.plan.ConventionTraitDef;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.volcano.VolcanoPlanner;
import org.apache.calcite.prepare.Prepare;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.metadata.RelColumnOrigin;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.sql2rel.StandardConvertletTable;

/**
 * Which warehouse columns feed each output column of a view: the validated query is converted to
 * relational algebra and Calcite's column-origin metadata is asked, column by column.
 *
 * <p>A column computed from others (an aggregate, a window, an expression) is fed by every column
 * its computation reads, window partition and order keys included; a constant or {@code count(*)}
 * over a whole table may be fed by none.
 */
final class ColumnLineage {
  private ColumnLineage() {}

  /**
   * Output column (lower case) to the fully qualified source columns ({@code
   * catalog.schema.table.column}) that feed it, sorted.
   */
  static Map<String, List<String>> of(
      SqlNode validated,
      SqlValidator validator,
      Prepare.CatalogReader reader,
      RelDataTypeFactory types) {
    VolcanoPlanner planner = new VolcanoPlanner();
    planner.addRelTraitDef(ConventionTraitDef.INSTANCE);
    RelOptCluster cluster = RelOptCluster.create(planner, new RexBuilder(types));
    SqlToRelConverter converter =
        new SqlToRelConverter(
            (rowType, queryString, schemaPath, viewPath) -> {
              throw new UnsupportedOperationException("feature SQL reads tables, not views");
            },
            validator,
            reader,
            cluster,
            StandardConvertletTable.INSTANCE,
            SqlToRelConverter.config().withTrimUnusedFields(false).withExpand(false));
    RelRoot root = converter.convertQuery(validated, false, true);
    RelMetadataQuery metadata = cluster.getMetadataQuery();
    Map<String, List<String>> lineage = new LinkedHashMap<>();
    for (Map.Entry<Integer, String> field : root.fields) {
      Set<RelColumnOrigin> origins = metadata.getColumnOrigins(root.rel, field.getKey());
      Set<String> sources = new TreeSet<>();
      if (origins != null) {
        for (RelColumnOrigin origin : origins) {
          RelOptTable table = origin.getOriginTable();
          String column =
              table.getRowType().getFieldList().get(origin.getOriginColumnOrdinal()).getName();
          List<String> name = new ArrayList<>(table.getQualifiedName());
          name.add(column);
          sources.add(String.join(".", name).toLowerCase(Locale.ROOT));
        }
      }
      lineage.put(field.getValue().toLowerCase(Locale.ROOT), List.copyOf(sources));
    }
    return lineage;
  }
}
