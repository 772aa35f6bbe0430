package dev.foresight.controller.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesAggregateTest {

  private static final String POD = "namespace=\"llm\",pod=~\"vllm-.*\"";

  @Test
  void rendersEachMetricNameInTurn() {
    assertThat(
            new SeriesAggregate(SeriesAggregate.Op.AVG, List.of("a", "b"), "", Duration.ZERO, POD)
                .promql())
        .isEqualTo("avg(a{" + POD + "}) or avg(b{" + POD + "})");
    assertThat(
            new SeriesAggregate(
                    SeriesAggregate.Op.SUM, List.of("m"), "kind=\"waiting\"", Duration.ZERO, "")
                .promql())
        .isEqualTo("sum(m{kind=\"waiting\"})");
  }

  @Test
  void aWindowBelongsToRatesOnly() {
    assertThatThrownBy(
            () ->
                new SeriesAggregate(
                    SeriesAggregate.Op.SUM, List.of("g"), "", Duration.ofMinutes(1), POD))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new SeriesAggregate(SeriesAggregate.Op.RATE, List.of("c"), "", Duration.ZERO, POD))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
