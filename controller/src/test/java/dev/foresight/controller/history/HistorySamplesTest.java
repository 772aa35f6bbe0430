package dev.foresight.controller.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.controller.prometheus.History;
import dev.foresight.policy.forecast.TimedLoad;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** History points become forecaster samples at the forecaster's interval; gaps are skipped. */
class HistorySamplesTest {

  private static final Instant START = Instant.parse("2026-11-16T00:00:00Z");
  private static final double NAN = Double.NaN;

  /** Rows: values at the step, step and interval in minutes, expected (minute, rate) pairs. */
  static Stream<Arguments> rows() {
    return Stream.of(
        // same step and interval: every point is a sample
        Arguments.of(
            "one to one", new double[] {1, 2, 3}, 5, 5, new double[][] {{0, 1}, {5, 2}, {10, 3}}),
        // 2-minute points at 1-minute samples: the odd minutes are interpolated
        Arguments.of(
            "interpolated",
            new double[] {1, 3, 7},
            2,
            1,
            new double[][] {{0, 1}, {1, 2}, {2, 3}, {3, 5}, {4, 7}}),
        // a gap removes its own slot and the interpolated slots on either side of it
        Arguments.of(
            "gap skipped",
            new double[] {1, 3, NAN, 5, 7},
            2,
            1,
            new double[][] {{0, 1}, {1, 2}, {2, 3}, {6, 5}, {7, 6}, {8, 7}}),
        // negative and infinite values are gaps too, never load
        Arguments.of(
            "negative and infinite",
            new double[] {4, -1, Double.POSITIVE_INFINITY, 4},
            1,
            1,
            new double[][] {{0, 4}, {3, 4}}),
        // a coarser forecaster takes every other point
        Arguments.of(
            "coarser interval",
            new double[] {1, 2, 3, 4, 5},
            1,
            2,
            new double[][] {{0, 1}, {2, 3}, {4, 5}}),
        Arguments.of("all gaps", new double[] {NAN, NAN}, 5, 1, new double[][] {}),
        Arguments.of("nothing", new double[] {}, 5, 1, new double[][] {}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void samplesAtTheForecasterInterval(
      String name, double[] values, int stepMinutes, int intervalMinutes, double[][] expected) {
    History h = new History(START, Duration.ofMinutes(stepMinutes), values);
    List<TimedLoad> samples =
        HistorySamples.of(
            h, Optional.empty(), Optional.empty(), Duration.ofMinutes(intervalMinutes));
    assertThat(samples).hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      TimedLoad s = samples.get(i);
      assertThat(s.at()).isEqualTo(START.plus(Duration.ofMinutes((long) expected[i][0])));
      assertThat(s.load().requestRate()).isEqualTo(expected[i][1]);
      assertThat(s.load().promptTokenRate()).isZero();
    }
  }

  @ParameterizedTest(name = "token gap at slot {0} reads as 0 next to a request rate")
  @MethodSource("tokenGaps")
  void tokenRatesFollowTheRequestRate(int gapSlot) {
    History requests = new History(START, Duration.ofMinutes(1), new double[] {10, 10, 10});
    double[] tokens = {100, 200, 300};
    tokens[gapSlot] = NAN;
    History prompt = new History(START, Duration.ofMinutes(1), tokens);
    List<TimedLoad> samples =
        HistorySamples.of(requests, Optional.of(prompt), Optional.empty(), Duration.ofMinutes(1));
    assertThat(samples).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(samples.get(i).load().promptTokenRate()).isEqualTo(i == gapSlot ? 0 : tokens[i]);
    }
  }

  static Stream<Integer> tokenGaps() {
    return Stream.of(0, 1, 2);
  }
}
