package dev.foresight.controller.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class HpaFollowerTest {

  @ParameterizedTest(name = "{0}: current {1}, metric {2} -> {3}")
  @CsvSource({
    "scale up to the decision,            2, 5,   5",
    "scale down to the decision,          6, 3,   3",
    "within tolerance holds (10/10.5),   10, 10.5, 10",
    "within tolerance holds (10/9),      10, 9,   10",
    "just outside tolerance scales,      10, 8,   8",
    "no metric holds,                     3, NaN, 3",
    "negative metric holds,               3, -1,  3",
    "from zero follows any decision,      0, 1,   1",
    "fractional metric rounds up,         1, 2.2, 3",
  })
  void followsAsHpaWithAverageValueOne(String name, int current, double metric, int expected) {
    assertThat(HpaFollower.next(current, metric, HpaFollower.DEFAULT_TOLERANCE))
        .isEqualTo(expected);
  }

  static Stream<Arguments> randomCases() {
    long seed = 20261123L;
    SplittableRandom random = new SplittableRandom(seed);
    return Stream.generate(() -> Arguments.of(seed, random.nextInt(0, 200), random.nextInt(0, 200)))
        .limit(500);
  }

  /** An integer decision is either applied exactly or held, and held only within tolerance. */
  @ParameterizedTest(name = "seed {0}: current {1}, decision {2}")
  @MethodSource("randomCases")
  void appliesTheDecisionOrHoldsWithinTolerance(long seed, int current, int decision) {
    int next = HpaFollower.next(current, decision, HpaFollower.DEFAULT_TOLERANCE);
    if (next == current && decision != current) {
      assertThat(Math.abs((double) decision / current - 1)).isLessThanOrEqualTo(0.1);
    } else {
      assertThat(next).isEqualTo(decision);
    }
  }
}
