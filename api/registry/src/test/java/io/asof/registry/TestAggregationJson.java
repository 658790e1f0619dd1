package io.asof.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.asof.model.window.WindowedAggregation;
import io.asof.model.window.WindowedAggregation.Kind;
import io.asof.model.window.WindowedAggregation.Output;
import io.asof.model.window.WindowedAggregation.State;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The compiled aggregation as the registry keeps it: what is written reads back the same. */
class TestAggregationJson {
  @Test
  void everyKindOfStateReadsBack() {
    WindowedAggregation aggregation =
        new WindowedAggregation(
            "SELECT user_id, reacted_at AS \"__asof_e\", dwell AS \"__asof_x0\" FROM t",
            List.of("user_id"),
            "timestamp(6)",
            Optional.of("timestamp(3) with time zone"),
            List.of(Duration.ofMinutes(5), Duration.ofDays(30)),
            List.of(
                new State(Kind.ROWS, Optional.empty(), "bigint"),
                new State(Kind.NON_NULL, Optional.of("__asof_x0"), "integer"),
                new State(Kind.SUM, Optional.of("__asof_x0"), "integer"),
                new State(Kind.MIN, Optional.of("__asof_x0"), "integer"),
                new State(Kind.MAX, Optional.of("__asof_x0"), "integer")),
            List.of(
                new Output(
                    "dwell_range",
                    "integer",
                    List.of(
                        "\"__asof_s4_w0\" - \"__asof_s3_w0\"",
                        "\"__asof_s4_w1\" - \"__asof_s3_w1\""))));
    assertThat(AggregationJson.read(AggregationJson.write(aggregation))).isEqualTo(aggregation);
  }

  @Test
  void whatAnEarlierVersionWroteReadsBack() {
    // as written before min and max: the same fields, counts and sums only
    String earlier =
        """
        {"eventsSql":"SELECT 1","keys":["user_id"],"eventTimeType":"timestamp(6)",\
        "windowMinutes":[60],"states":[{"kind":"ROWS","type":"bigint"},\
        {"kind":"SUM","argument":"__asof_x0","type":"bigint"}],\
        "outputs":[{"column":"n","type":"bigint","perWindow":["\\"__asof_s0_w0\\""]}]}""";
    WindowedAggregation read = AggregationJson.read(earlier);
    assertThat(read.states())
        .containsExactly(
            new State(Kind.ROWS, Optional.empty(), "bigint"),
            new State(Kind.SUM, Optional.of("__asof_x0"), "bigint"));
    assertThat(read.createdTimeType()).isEmpty();
    assertThat(read.features()).containsExactly("n_1h");
  }
}
