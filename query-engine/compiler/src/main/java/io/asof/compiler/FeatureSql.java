package io.asof.compiler;

import java.util.List;
import java.util.Properties;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorUtil;

/**
 * How the compiler reads feature SQL with Calcite: the one parser configuration, and the catalog
 * reader and validator over the warehouse's schemas, shared by views, training sets and spines.
 */
public final class FeatureSql {
  /** How feature SQL is parsed: Trino's quoting and casing, Presto conformance. */
  public static final SqlParser.Config PARSER =
      SqlParser.config()
          .withQuoting(Quoting.DOUBLE_QUOTE)
          .withUnquotedCasing(Casing.TO_LOWER)
          .withQuotedCasing(Casing.UNCHANGED)
          .withCaseSensitive(false)
          .withConformance(SqlConformanceEnum.PRESTO);

  private FeatureSql() {}

  /**
   * The catalog reader over {@code schemas}, case-insensitive.
   *
   * @param defaultCatalog the catalog that two-part names ({@code dwh.reactions}) are read in
   */
  static CalciteCatalogReader catalogReader(
      WarehouseSchemas schemas, JavaTypeFactoryImpl types, String defaultCatalog) {
    CalciteSchema root = CalciteSchema.createRootSchema(false, false, "", schemas.root());
    Properties properties = new Properties();
    properties.setProperty(CalciteConnectionProperty.CASE_SENSITIVE.camelName(), "false");
    return new CalciteCatalogReader(
        root, List.of(defaultCatalog), types, new CalciteConnectionConfigImpl(properties));
  }

  /** A validator over {@code reader} with Trino's functions and Presto conformance. */
  static SqlValidator validator(CalciteCatalogReader reader, JavaTypeFactoryImpl types) {
    return SqlValidatorUtil.newValidator(
        new TrinoOperatorTable(),
        reader,
        types,
        SqlValidator.Config.DEFAULT
            .withConformance(SqlConformanceEnum.PRESTO)
            .withIdentifierExpansion(true));
  }
}
