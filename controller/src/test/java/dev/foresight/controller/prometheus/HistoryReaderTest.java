package dev.foresight.controller.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.controller.metrics.SignalQuery;
import dev.foresight.policy.Signal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HistoryReaderTest {

  private static SignalQuery vllm(Signal signal, Duration window) {
    return Presets.byName("vllm")
        .orElseThrow()
        .query(signal, new QueryContext(QueryContext.podsOf("llm", "vllm-llama"), window))
        .orElseThrow();
  }

  @Test
  void aRateShorterThanTheStepIsAveragedOverEachStepAtItsOwnResolution() {
    SignalQuery rate = vllm(Signal.REQUEST_RATE, Duration.ofMinutes(1));
    assertThat(HistoryReader.overSteps(rate, Duration.ofMinutes(5)))
        .isEqualTo("avg_over_time((" + rate.value() + ")[299999ms:1m])");
  }

  @Test
  void aRateAsLongAsTheStepAndEverythingElseIsReplayedAsItIs() {
    SignalQuery rate = vllm(Signal.REQUEST_RATE, Duration.ofMinutes(5));
    assertThat(HistoryReader.overSteps(rate, Duration.ofMinutes(5))).isEqualTo(rate.value());
    SignalQuery queue = vllm(Signal.QUEUE, Duration.ofMinutes(1));
    assertThat(HistoryReader.overSteps(queue, Duration.ofMinutes(5))).isEqualTo(queue.value());
    SignalQuery custom = SignalQuery.of("sum(rate(my_requests_total[1m]))");
    assertThat(HistoryReader.overSteps(custom, Duration.ofMinutes(5))).isEqualTo(custom.value());
  }
}
