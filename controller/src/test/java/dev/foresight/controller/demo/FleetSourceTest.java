package dev.foresight.controller.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.controller.metrics.SignalRead;
import dev.foresight.policy.Signal;
import dev.foresight.sim.MetricsSample;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FleetSourceTest {

  private static MetricsSample sample(double at, double ttft) {
    return new MetricsSample(at, 3, 40, 0.5, ttft, 4, 10, 9000, 800, List.of());
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "no scrape yet is empty, never zero", null, 100, SignalRead.Outcome.EMPTY, Double.NaN),
        Arguments.of("fresh sample is OK", sample(90, 0.3), 100, SignalRead.Outcome.OK, 0.3),
        Arguments.of(
            "NaN quantile is NAN", sample(90, Double.NaN), 100, SignalRead.Outcome.NAN, Double.NaN),
        Arguments.of("old sample is STALE", sample(10, 0.3), 100, SignalRead.Outcome.STALE, 0.3),
        Arguments.of(
            "infinite is INFINITE",
            sample(90, Double.POSITIVE_INFINITY),
            100,
            SignalRead.Outcome.INFINITE,
            Double.POSITIVE_INFINITY));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void readsTheTtftOfTheDeliveredScrapeWithTheSameRulesAsPrometheus(
      String name, MetricsSample s, double now, SignalRead.Outcome outcome, double value) {
    SignalRead r = FleetSource.read(Signal.TTFT_P95, s, now, Duration.ofSeconds(60));
    assertThat(r.outcome()).isEqualTo(outcome);
    assertThat(Double.valueOf(r.value())).isEqualTo(Double.valueOf(value));
    assertThat(r.reading().isPresent()).isEqualTo(outcome.delivers());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("signals")
  void mapsEverySignalToItsSampleField(Signal signal, double expected) {
    SignalRead r = FleetSource.read(signal, sample(95, 0.3), 100, Duration.ofSeconds(60));
    assertThat(r.value()).isEqualTo(expected);
    assertThat(r.age()).isEqualTo(Duration.ofSeconds(5));
  }

  static Stream<Arguments> signals() {
    return Stream.of(
        Arguments.of(Signal.QUEUE, 3.0),
        Arguments.of(Signal.RUNNING, 40.0),
        Arguments.of(Signal.KV_CACHE, 0.5),
        Arguments.of(Signal.TTFT_P95, 0.3),
        Arguments.of(Signal.LATENCY_P95, 4.0),
        Arguments.of(Signal.REQUEST_RATE, 10.0),
        Arguments.of(Signal.PROMPT_TOKEN_RATE, 9000.0),
        Arguments.of(Signal.GENERATION_TOKEN_RATE, 800.0));
  }
}
