package dev.foresight.policy.behavior;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.foresight.policy.Limit;
import dev.foresight.policy.PolicyState;
import dev.foresight.policy.RatePolicy;
import dev.foresight.policy.ScalingRules;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RateLimitsTest {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Duration S15 = Duration.ofSeconds(15);
  private static final Duration S60 = Duration.ofSeconds(60);

  private static ScalingRules rules(ScalingRules.Select select, RatePolicy... policies) {
    return new ScalingRules(Duration.ZERO, List.of(policies), select);
  }

  /** A state with {@code (secondsAgo, up)} and {@code (secondsAgo, -down)} scale events. */
  private static PolicyState events(int... secondsAgoChange) {
    PolicyState s = PolicyState.initial();
    for (int i = 0; i < secondsAgoChange.length; i += 2) {
      s = s.withScaleEvent(NOW.minusSeconds(secondsAgoChange[i]), 50, 50 + secondsAgoChange[i + 1]);
    }
    return s;
  }

  static Stream<Arguments> upLimits() {
    return Stream.of(
        arguments(
            "Pods 4: current + 4",
            rules(ScalingRules.Select.MAX, RatePolicy.pods(4, S15)),
            3,
            events(),
            7),
        arguments(
            "Percent 100: doubles",
            rules(ScalingRules.Select.MAX, RatePolicy.percent(100, S15)),
            3,
            events(),
            6),
        arguments(
            "Percent 50 rounds up: ceil(4.5) = 5",
            rules(ScalingRules.Select.MAX, RatePolicy.percent(50, S15)),
            3,
            events(),
            5),
        arguments(
            "Max of Pods 4 and Percent 100 from 10: 20",
            rules(ScalingRules.Select.MAX, RatePolicy.pods(4, S15), RatePolicy.percent(100, S15)),
            10,
            events(),
            20),
        arguments(
            "Min of Pods 4 and Percent 100 from 10: 14",
            rules(ScalingRules.Select.MIN, RatePolicy.pods(4, S15), RatePolicy.percent(100, S15)),
            10,
            events(),
            14),
        arguments("Disabled: current", rules(ScalingRules.Select.DISABLED), 10, events(), 10),
        arguments(
            "3 added 10 s ago: period starts at current − 3",
            rules(ScalingRules.Select.MAX, RatePolicy.pods(4, S15)),
            8,
            events(10, 3),
            9),
        arguments(
            "3 added 15 s ago: out of the period (HPA: strictly after the cutoff)",
            rules(ScalingRules.Select.MAX, RatePolicy.pods(4, S15)),
            8,
            events(15, 3),
            12),
        arguments(
            "2 removed 10 s ago: period starts at current + 2",
            rules(ScalingRules.Select.MAX, RatePolicy.pods(4, S15)),
            8,
            events(10, -2),
            14),
        arguments(
            "each policy counts events in its own period",
            rules(ScalingRules.Select.MAX, RatePolicy.pods(1, S15), RatePolicy.pods(2, S60)),
            10,
            events(30, 5),
            11));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("upLimits")
  void scaleUpLimit(String name, ScalingRules rules, int current, PolicyState state, int limit) {
    assertThat(RateLimits.scaleUpLimit(current, state, rules, NOW)).isEqualTo(limit);
  }

  static Stream<Arguments> downLimits() {
    return Stream.of(
        arguments(
            "Pods 4: current − 4",
            rules(ScalingRules.Select.MAX, RatePolicy.pods(4, S15)),
            10,
            events(),
            6),
        arguments(
            "Percent 100: to 0",
            rules(ScalingRules.Select.MAX, RatePolicy.percent(100, S15)),
            10,
            events(),
            0),
        arguments(
            "Percent 10 truncates: trunc(8.1) = 8",
            rules(ScalingRules.Select.MAX, RatePolicy.percent(10, S15)),
            9,
            events(),
            8),
        arguments(
            "Max (most change) of Pods 4 and Percent 10 from 80: 72",
            rules(ScalingRules.Select.MAX, RatePolicy.pods(4, S60), RatePolicy.percent(10, S60)),
            80,
            events(),
            72),
        arguments(
            "Min (least change) of Pods 4 and Percent 10 from 80: 76",
            rules(ScalingRules.Select.MIN, RatePolicy.pods(4, S60), RatePolicy.percent(10, S60)),
            80,
            events(),
            76),
        arguments("Disabled: current", rules(ScalingRules.Select.DISABLED), 10, events(), 10),
        arguments(
            "4 removed 30 s ago: period starts at current + 4",
            rules(ScalingRules.Select.MAX, RatePolicy.pods(4, S60)),
            6,
            events(30, -4),
            6),
        arguments(
            "float64 as HPA: 20 × (1 − 0.8) truncates to 3",
            rules(ScalingRules.Select.MAX, RatePolicy.percent(80, S15)),
            20,
            events(),
            3));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("downLimits")
  void scaleDownLimit(String name, ScalingRules rules, int current, PolicyState state, int limit) {
    assertThat(RateLimits.scaleDownLimit(current, state, rules, NOW)).isEqualTo(limit);
  }

  static Stream<Arguments> applied() {
    ScalingRules up = rules(ScalingRules.Select.MAX, RatePolicy.pods(4, S15));
    ScalingRules down = rules(ScalingRules.Select.MAX, RatePolicy.pods(2, S15));
    return Stream.of(
        arguments("within rate and bounds", up, down, 5, 8, 1, 20, 8, Optional.empty()),
        arguments("up rate binds", up, down, 5, 12, 1, 20, 9, Optional.of(Limit.SCALE_UP_RATE)),
        arguments(
            "max binds before the rate", up, down, 5, 12, 1, 7, 7, Optional.of(Limit.MAX_REPLICAS)),
        arguments("down rate binds", up, down, 5, 1, 1, 20, 3, Optional.of(Limit.SCALE_DOWN_RATE)),
        arguments(
            "min binds before the rate", up, down, 5, 1, 4, 20, 4, Optional.of(Limit.MIN_REPLICAS)),
        arguments(
            "up disabled",
            rules(ScalingRules.Select.DISABLED),
            down,
            5,
            12,
            1,
            20,
            5,
            Optional.of(Limit.SCALE_UP_DISABLED)),
        arguments(
            "down disabled",
            up,
            rules(ScalingRules.Select.DISABLED),
            5,
            1,
            1,
            20,
            5,
            Optional.of(Limit.SCALE_DOWN_DISABLED)),
        arguments("no change", up, down, 5, 5, 1, 20, 5, Optional.empty()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("applied")
  void apply(
      String name,
      ScalingRules up,
      ScalingRules down,
      int current,
      int desired,
      int min,
      int max,
      int result,
      Optional<Limit> limit) {
    RateLimits.Limited l =
        RateLimits.apply(up, down, PolicyState.initial(), NOW, current, desired, min, max);
    assertThat(l.replicas()).isEqualTo(result);
    assertThat(l.limit()).isEqualTo(limit);
    assertThat(l.detail().isEmpty()).isEqualTo(limit.isEmpty());
  }
}
