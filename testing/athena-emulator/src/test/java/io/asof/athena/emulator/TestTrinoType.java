package io.asof.athena.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Trino type signatures in Athena's result metadata and Glue's (Hive) spelling, and back. */
class TestTrinoType {
  @Test
  void athenaNamesDropParametersThatPrecisionAndScaleCarry() {
    assertType("decimal(38,2)", "decimal", 38, 2);
    assertType("timestamp(6)", "timestamp", 6, 0);
    assertType("timestamp(3) with time zone", "timestamp with time zone", 3, 0);
    assertType("varchar", "varchar", Integer.MAX_VALUE, 0);
    assertType("varchar(10)", "varchar", 10, 0);
    assertType("bigint", "bigint", 19, 0);
    assertType("integer", "integer", 10, 0);
    assertType("double", "double", 17, 0);
    assertType("boolean", "boolean", 0, 0);
    assertType("array(row(a bigint, b varchar))", "array", 0, 0);
    assertType("map(varchar(1),integer)", "map", 0, 0);
    assertType("interval day to second", "interval day to second", 0, 0);
    assertThat(TrinoType.parse("varchar").athenaCaseSensitive()).isTrue();
    assertThat(TrinoType.parse("bigint").athenaCaseSensitive()).isFalse();
  }

  @Test
  void hiveSpellingForGlue() {
    assertThat(TrinoType.parse("varchar").hiveName()).isEqualTo("string");
    assertThat(TrinoType.parse("varchar(5)").hiveName()).isEqualTo("varchar(5)");
    assertThat(TrinoType.parse("integer").hiveName()).isEqualTo("int");
    assertThat(TrinoType.parse("real").hiveName()).isEqualTo("float");
    assertThat(TrinoType.parse("timestamp(6)").hiveName()).isEqualTo("timestamp");
    assertThat(TrinoType.parse("timestamp(6) with time zone").hiveName()).isEqualTo("timestamp");
    assertThat(TrinoType.parse("decimal(12, 2)").hiveName()).isEqualTo("decimal(12,2)");
    assertThat(TrinoType.parse("array(bigint)").hiveName()).isEqualTo("array<bigint>");
    assertThat(TrinoType.parse("map(varchar, double)").hiveName()).isEqualTo("map<string,double>");
    assertThat(TrinoType.parse("row(a bigint, \"b c\" array(varchar))").hiveName())
        .isEqualTo("struct<a:bigint,b c:array<string>>");
    assertThat(TrinoType.parse("row(integer, integer)").hiveName())
        .isEqualTo("struct<_col0:int,_col1:int>");
    assertThat(TrinoType.parse("varbinary").hiveName()).isEqualTo("binary");
  }

  @Test
  void hiveTypesBecomeTrinoTypes() {
    assertThat(HiveTypes.toTrino("string")).isEqualTo("varchar");
    assertThat(HiveTypes.toTrino("INT")).isEqualTo("integer");
    assertThat(HiveTypes.toTrino("timestamp")).isEqualTo("timestamp(6)");
    assertThat(HiveTypes.toTrino("float")).isEqualTo("real");
    assertThat(HiveTypes.toTrino("decimal(38, 2)")).isEqualTo("decimal(38, 2)");
    assertThat(HiveTypes.toTrino("array<struct<a:int,`b`:map<string,array<bigint>>>>"))
        .isEqualTo("array(row(a integer, \"b\" map(varchar, array(bigint))))");
    assertThat(HiveTypes.toTrino("date")).isEqualTo("date");
  }

  private static void assertType(String signature, String name, int precision, int scale) {
    TrinoType type = TrinoType.parse(signature);
    assertThat(type.athenaName()).as(signature).isEqualTo(name);
    assertThat(type.athenaPrecision()).as(signature).isEqualTo(precision);
    assertThat(type.athenaScale()).as(signature).isEqualTo(scale);
  }
}
