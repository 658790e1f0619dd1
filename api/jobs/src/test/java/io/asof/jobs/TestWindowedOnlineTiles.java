package io.asof.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.model.window.WindowedAggregation.Kind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How tiles of one state combine online, without a store: what a read adds up. */
class TestWindowedOnlineTiles {
  @Test
  void leastAndGreatestKeepTheirType() {
    assertThat(WindowedOnline.combine(Kind.MIN, 3, 2)).isEqualTo(2);
    assertThat(WindowedOnline.combine(Kind.MAX, 3, 2)).isEqualTo(3);
    assertThat(WindowedOnline.combine(Kind.MIN, null, 5L)).isEqualTo(5L);
    assertThat(WindowedOnline.combine(Kind.MAX, 5L, null)).isEqualTo(5L);
    assertThat(WindowedOnline.combine(Kind.MIN, new BigDecimal("1.50"), new BigDecimal("1.25")))
        .isEqualTo(new BigDecimal("1.25"));
    assertThat(WindowedOnline.combine(Kind.MAX, -1.5, 2.5)).isEqualTo(2.5);
  }

  @Test
  void nanIsPassedOverAsTrinosMinAndMaxDo() {
    // SELECT min(x), max(x) FROM (VALUES nan(), 1e0, 2e0) AS t(x) is 1.0, 2.0 on Trino 476
    assertThat(WindowedOnline.combine(Kind.MAX, Double.NaN, 1.0)).isEqualTo(1.0);
    assertThat(WindowedOnline.combine(Kind.MAX, 1.0, Double.NaN)).isEqualTo(1.0);
    assertThat(WindowedOnline.combine(Kind.MIN, Double.NaN, 1.0)).isEqualTo(1.0);
    assertThat((Double) WindowedOnline.combine(Kind.MIN, Double.NaN, Double.NaN)).isNaN();
  }

  @Test
  void distinctValuesAreUnitedNotAdded() {
    Object tiles = WindowedOnline.combine(Kind.DISTINCT, null, "[\"1\",\"2\"]");
    tiles = WindowedOnline.combine(Kind.DISTINCT, tiles, "[\"2\",\"3\"]");
    tiles = WindowedOnline.combine(Kind.DISTINCT, tiles, null);
    assertThat(tiles).isEqualTo(Set.of("1", "2", "3"));
    assertThat(WindowedOnline.combine(Kind.DISTINCT, null, null)).isNull();
    // a value with a quote or a comma is one value
    assertThat(WindowedOnline.combine(Kind.DISTINCT, "[\"a,\\\"b\"]", null))
        .isEqualTo(Set.of("a,\"b"));
  }

  @Test
  void distinctValuesAreStoredAsJsonUpToTheItemLimit() {
    Object[] slots = {WindowedOnline.combine(Kind.DISTINCT, "[\"x\",\"y\"]", null), 7L, null};
    WindowedOnline.distinctAsText(List.of(1L, "d:340"), slots);
    assertThat(slots).containsExactly("[\"x\",\"y\"]", 7L, null);

    List<String> many = new ArrayList<>();
    for (int i = 0; i < 40_000; i++) {
      many.add("\"article-" + i + "\"");
    }
    Object[] big = {
      WindowedOnline.combine(Kind.DISTINCT, "[" + String.join(",", many) + "]", null)
    };
    assertThatThrownBy(() -> WindowedOnline.distinctAsText(List.of(1L, "d:340"), big))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("the distinct values of key [1] in tile record d:340 take 6")
        .hasMessageContaining("more than the 300000 an online item holds");
  }
}
