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
  void aRateIsWidenedToAStepLongerThanItsWindowAndNeverNarrowed() {
    SeriesAggregate rate =
        new SeriesAggregate(SeriesAggregate.Op.RATE, List.of("c"), "", Duration.ofMinutes(1), POD);
    assertThat(rate.promql()).isEqualTo("sum(rate(c{" + POD + "}[1m]))");
    assertThat(rate.widenedTo(Duration.ofMinutes(5)).promql())
        .isEqualTo("sum(rate(c{" + POD + "}[5m]))");
    assertThat(rate.widenedTo(Duration.ofSeconds(30))).isSameAs(rate);
    SeriesAggregate gauge =
        new SeriesAggregate(SeriesAggregate.Op.SUM, List.of("g"), "", Duration.ZERO, POD);
    assertThat(gauge.widenedTo(Duration.ofMinutes(5))).isSameAs(gauge);
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
