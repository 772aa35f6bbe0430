package dev.foresight.policy;

import static dev.foresight.policy.Fixtures.T0;
import static dev.foresight.policy.Fixtures.decide;
import static dev.foresight.policy.Fixtures.history;
import static dev.foresight.policy.Fixtures.obs;
import static dev.foresight.policy.Fixtures.seen;
import static dev.foresight.policy.Fixtures.signals;
import static dev.foresight.policy.Fixtures.unlimited;
import static dev.foresight.policy.Signal.QUEUE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tolerance, stabilization windows, rate policies and bounds, on the cases the Kubernetes HPA
 * documentation and controller describe. The queue target is 4 per replica, so {@code 4 × n}
 * waiting asks for exactly {@code n} replicas.
 */
class DecisionEngineBehaviorTest {

  private static final Duration S15 = Duration.ofSeconds(15);
  private static final Duration S60 = Duration.ofSeconds(60);

  private static ScalingRules rules(
      Duration window, ScalingRules.Select select, RatePolicy... policies) {
    return new ScalingRules(window, List.of(policies), select);
  }

  private static PolicySpec spec(ScalingRules up, ScalingRules down) {
    return PolicySpec.builder()
        .target(QUEUE, 4)
        .minReplicas(1)
        .maxReplicas(100)
        .scaleUp(up)
        .scaleDown(down)
        .build();
  }

  private static PolicySpec hpaDefaults() {
    return spec(ScalingRules.hpaDefaultScaleUp(), ScalingRules.hpaDefaultScaleDown());
  }

  /** A state with scale events: {@code (secondsAgo, change)} pairs, positive up, negative down. */
  private static PolicyState events(int... secondsAgoChangePairs) {
    PolicyState s = seen();
    for (int i = 0; i < secondsAgoChangePairs.length; i += 2) {
      int change = secondsAgoChangePairs[i + 1];
      s = s.withScaleEvent(T0.minusSeconds(secondsAgoChangePairs[i]), 100, 100 + change);
    }
    return s;
  }

  static Stream<Arguments> behaviorRows() {
    ScalingRules freeUp = unlimited(Duration.ZERO);
    ScalingRules freeDown = unlimited(Duration.ZERO);
    return Stream.of(
        // Stabilization (HPA: scale-down takes the highest recommendation in the window).
        arguments(
            "scale-down window 300 s: highest recent recommendation 8 holds the count",
            hpaDefaults(),
            8,
            2,
            history(60, 8, 200, 6, 400, 10),
            8,
            Reason.HOLD_STABILIZATION,
            Optional.of(Limit.SCALE_DOWN_STABILIZATION)),
        arguments(
            "scale-down window 300 s: goes only as far down as 6",
            hpaDefaults(),
            8,
            2,
            history(60, 5, 200, 6),
            6,
            Reason.HOLD_STABILIZATION,
            Optional.of(Limit.SCALE_DOWN_STABILIZATION)),
        arguments(
            "a recommendation 301 s old is out of the window",
            hpaDefaults(),
            8,
            2,
            history(301, 10),
            2,
            Reason.SCALE_DOWN,
            Optional.empty()),
        arguments(
            "a recommendation exactly 300 s old is out of the window (HPA: after the cutoff)",
            hpaDefaults(),
            8,
            2,
            history(300, 10),
            2,
            Reason.SCALE_DOWN,
            Optional.empty()),
        arguments(
            "first decision with empty state: the current count seeds the window, no scale-down",
            hpaDefaults(),
            8,
            2,
            PolicyState.initial(),
            8,
            Reason.HOLD_STABILIZATION,
            Optional.of(Limit.SCALE_DOWN_STABILIZATION)),
        arguments(
            "scale-up window 60 s: lowest recent recommendation 4 holds the count",
            spec(unlimited(S60), freeDown),
            4,
            10,
            history(30, 4),
            4,
            Reason.STEADY,
            Optional.of(Limit.SCALE_UP_STABILIZATION)),
        arguments(
            "scale-up window 60 s: goes up only to the lowest recent 7",
            spec(unlimited(S60), freeDown),
            4,
            10,
            history(30, 7, 50, 9),
            7,
            Reason.SCALE_UP,
            Optional.of(Limit.SCALE_UP_STABILIZATION)),
        // HPA default scale-up: 4 pods or 100% per 15 s, whichever is more.
        arguments(
            "default scale-up from 2: max(2 + 4, 2 × 2) = 6",
            hpaDefaults(),
            2,
            20,
            seen(),
            6,
            Reason.RATE_LIMITED,
            Optional.of(Limit.SCALE_UP_RATE)),
        arguments(
            "default scale-up from 10: max(10 + 4, 10 × 2) = 20",
            hpaDefaults(),
            10,
            50,
            seen(),
            20,
            Reason.RATE_LIMITED,
            Optional.of(Limit.SCALE_UP_RATE)),
        arguments(
            "default scale-up within the limit is not limited",
            hpaDefaults(),
            10,
            15,
            seen(),
            15,
            Reason.SCALE_UP,
            Optional.empty()),
        arguments(
            "scale-up 4 added 5 s ago from 2: period start 2 allows 6, no further",
            hpaDefaults(),
            6,
            20,
            events(5, 4),
            6,
            Reason.RATE_LIMITED,
            Optional.of(Limit.SCALE_UP_RATE)),
        arguments(
            "scale-up 4 added 15 s ago is out of the 15 s period",
            hpaDefaults(),
            6,
            20,
            events(15, 4),
            12,
            Reason.RATE_LIMITED,
            Optional.of(Limit.SCALE_UP_RATE)),
        arguments(
            "HPA float64: Percent 12 from 25 is ceil(28.000000000000004) = 29",
            spec(
                rules(Duration.ZERO, ScalingRules.Select.MAX, RatePolicy.percent(12, S15)),
                freeDown),
            25,
            50,
            seen(),
            29,
            Reason.RATE_LIMITED,
            Optional.of(Limit.SCALE_UP_RATE)),
        arguments(
            "HPA float64: scale-down Percent 80 from 20 is trunc(3.999999999999999) = 3",
            spec(
                freeUp, rules(Duration.ZERO, ScalingRules.Select.MAX, RatePolicy.percent(80, S15))),
            20,
            1,
            seen(),
            3,
            Reason.RATE_LIMITED,
            Optional.of(Limit.SCALE_DOWN_RATE)),
        arguments(
            "scale-up selectPolicy Min takes the least change: min(2 + 4, 4) = 4",
            spec(
                rules(
                    Duration.ZERO,
                    ScalingRules.Select.MIN,
                    RatePolicy.pods(4, S15),
                    RatePolicy.percent(100, S15)),
                freeDown),
            2,
            20,
            seen(),
            4,
            Reason.RATE_LIMITED,
            Optional.of(Limit.SCALE_UP_RATE)),
        arguments(
            "scale-up Disabled keeps the count",
            spec(rules(Duration.ZERO, ScalingRules.Select.DISABLED), freeDown),
            3,
            20,
            seen(),
            3,
            Reason.RATE_LIMITED,
            Optional.of(Limit.SCALE_UP_DISABLED)),
        // HPA docs: "scale down 10% per minute".
        arguments(
            "scale-down 10% per 60 s from 80: trunc(72) = 72",
            spec(
                freeUp, rules(Duration.ZERO, ScalingRules.Select.MAX, RatePolicy.percent(10, S60))),
            80,
            10,
            seen(),
            72,
            Reason.RATE_LIMITED,
            Optional.of(Limit.SCALE_DOWN_RATE)),
        arguments(
            "scale-down 10% per 60 s, 8 removed 30 s ago: no further this minute",
            spec(
                freeUp, rules(Duration.ZERO, ScalingRules.Select.MAX, RatePolicy.percent(10, S60))),
            72,
            10,
            events(30, -8),
            72,
            Reason.RATE_LIMITED,
            Optional.of(Limit.SCALE_DOWN_RATE)),
        arguments(
            "scale-down 10% per 60 s, next minute from 72: trunc(64.8) = 64",
            spec(
                freeUp, rules(Duration.ZERO, ScalingRules.Select.MAX, RatePolicy.percent(10, S60))),
            72,
            10,
            events(60, -8),
            64,
            Reason.RATE_LIMITED,
            Optional.of(Limit.SCALE_DOWN_RATE)),
        // HPA docs: Pods 4 and Percent 10 per 60 s; Max picks the bigger change.
        arguments(
            "scale-down Pods 4 / Percent 10, Max, from 80: percent wins, 72",
            spec(
                freeUp,
                rules(
                    Duration.ZERO,
                    ScalingRules.Select.MAX,
                    RatePolicy.pods(4, S60),
                    RatePolicy.percent(10, S60))),
            80,
            10,
            seen(),
            72,
            Reason.RATE_LIMITED,
            Optional.of(Limit.SCALE_DOWN_RATE)),
        arguments(
            "scale-down Pods 4 / Percent 10, Max, from 20: pods win, 16",
            spec(
                freeUp,
                rules(
                    Duration.ZERO,
                    ScalingRules.Select.MAX,
                    RatePolicy.pods(4, S60),
                    RatePolicy.percent(10, S60))),
            20,
            2,
            seen(),
            16,
            Reason.RATE_LIMITED,
            Optional.of(Limit.SCALE_DOWN_RATE)),
        arguments(
            "scale-down Pods 4 / Percent 10, Min, from 80: the least change, 76",
            spec(
                freeUp,
                rules(
                    Duration.ZERO,
                    ScalingRules.Select.MIN,
                    RatePolicy.pods(4, S60),
                    RatePolicy.percent(10, S60))),
            80,
            10,
            seen(),
            76,
            Reason.RATE_LIMITED,
            Optional.of(Limit.SCALE_DOWN_RATE)),
        // HPA docs: "no more than 5 Pods removed per minute": Percent 10 and Pods 5, Min.
        arguments(
            "scale-down Percent 10 / Pods 5 per 60 s, Min, from 80: at most 5 go, 75",
            spec(
                freeUp,
                rules(
                    Duration.ZERO,
                    ScalingRules.Select.MIN,
                    RatePolicy.percent(10, S60),
                    RatePolicy.pods(5, S60))),
            80,
            10,
            seen(),
            75,
            Reason.RATE_LIMITED,
            Optional.of(Limit.SCALE_DOWN_RATE)),
        arguments(
            "scale-down Percent 10 / Pods 5 per 60 s, Min, from 30: 10% is less, 27",
            spec(
                freeUp,
                rules(
                    Duration.ZERO,
                    ScalingRules.Select.MIN,
                    RatePolicy.percent(10, S60),
                    RatePolicy.pods(5, S60))),
            30,
            10,
            seen(),
            27,
            Reason.RATE_LIMITED,
            Optional.of(Limit.SCALE_DOWN_RATE)),
        // HPA docs: Percent 900 lets the count grow tenfold in one period.
        arguments(
            "scale-up Percent 900 per 60 s from 1: ceil(1 × 10) = 10",
            spec(
                rules(Duration.ZERO, ScalingRules.Select.MAX, RatePolicy.percent(900, S60)),
                freeDown),
            1,
            50,
            seen(),
            10,
            Reason.RATE_LIMITED,
            Optional.of(Limit.SCALE_UP_RATE)),
        arguments(
            "scale-up after a scale-down in the period counts from the period start",
            hpaDefaults(),
            4,
            20,
            events(10, -4),
            16,
            Reason.RATE_LIMITED,
            Optional.of(Limit.SCALE_UP_RATE)),
        arguments(
            "scale-down Disabled keeps the count",
            spec(freeUp, rules(Duration.ZERO, ScalingRules.Select.DISABLED)),
            8,
            2,
            seen(),
            8,
            Reason.RATE_LIMITED,
            Optional.of(Limit.SCALE_DOWN_DISABLED)),
        // Bounds.
        arguments(
            "maxReplicas caps a scale-up",
            PolicySpec.builder()
                .target(QUEUE, 4)
                .maxReplicas(10)
                .scaleUp(freeUp)
                .scaleDown(freeDown)
                .build(),
            5,
            50,
            seen(),
            10,
            Reason.BOUNDED_MAX,
            Optional.of(Limit.MAX_REPLICAS)),
        arguments(
            "minReplicas floors a scale-down",
            PolicySpec.builder()
                .target(QUEUE, 4)
                .minReplicas(3)
                .scaleUp(freeUp)
                .scaleDown(freeDown)
                .build(),
            5,
            0,
            seen(),
            3,
            Reason.BOUNDED_MIN,
            Optional.of(Limit.MIN_REPLICAS)),
        arguments(
            "a count above the maximum comes down to it even when the signals ask for more",
            PolicySpec.builder()
                .target(QUEUE, 4)
                .maxReplicas(10)
                .scaleUp(freeUp)
                .scaleDown(freeDown)
                .build(),
            12,
            12,
            seen(),
            10,
            Reason.BOUNDED_MAX,
            Optional.of(Limit.MAX_REPLICAS)),
        arguments(
            "a count below the minimum goes up to it",
            PolicySpec.builder()
                .target(QUEUE, 4)
                .minReplicas(3)
                .scaleUp(freeUp)
                .scaleDown(freeDown)
                .build(),
            1,
            1,
            seen(),
            3,
            Reason.BOUNDED_MIN,
            Optional.of(Limit.MIN_REPLICAS)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("behaviorRows")
  void behaviorAsHpa(
      String name,
      PolicySpec spec,
      int current,
      int asked,
      PolicyState state,
      int desired,
      Reason reason,
      Optional<Limit> limit) {
    Decision d = decide(spec, obs(current, current, signals(QUEUE, 4.0 * asked)), state);
    assertThat(d.desiredReplicas()).as(d.message()).isEqualTo(desired);
    assertThat(d.reason()).as(d.message()).isEqualTo(reason);
    assertThat(d.limit()).as(d.message()).isEqualTo(limit);
  }

  @Test
  void toleranceHoldIsReportedAsTheLimit() {
    Decision d = decide(hpaDefaults(), obs(9, 9, signals(QUEUE, 37)), seen());
    assertThat(d.reason()).isEqualTo(Reason.WITHIN_TOLERANCE);
    assertThat(d.limit()).contains(Limit.TOLERANCE);
    assertThat(d.message()).contains("within tolerance 0.1");
  }

  @Test
  void stateRecordsRecommendationsAndScaleEvents() {
    Evaluation e = DecisionEngine.decide(hpaDefaults(), obs(2, 2, signals(QUEUE, 80)), seen());
    assertThat(e.decision().desiredReplicas()).isEqualTo(6);
    assertThat(e.state().recommendations()).containsExactly(new PolicyState.Recommendation(T0, 20));
    assertThat(e.state().scaleUpEvents()).containsExactly(new PolicyState.ScaleEvent(T0, 4));
    assertThat(e.state().scaleDownEvents()).isEmpty();
    assertThat(e.decision().message()).contains("Pods 4/15s").contains("Percent 100/15s");
  }

  @Test
  void hpaDefaultScaleUpSequenceEvery15Seconds() {
    // 2 → 6 → 12 → 24 → 40 (max 40 by need): the documented "4 pods or 100% per 15 s".
    PolicySpec spec = hpaDefaults();
    PolicyState state = seen();
    int current = 2;
    int[] expected = {6, 12, 24, 40, 40};
    for (int i = 0; i < expected.length; i++) {
      Observation o = Fixtures.obs(T0.plusSeconds(15L * i), current, current, signals(QUEUE, 160));
      Evaluation e = DecisionEngine.decide(spec, o, state);
      assertThat(e.decision().desiredReplicas()).as("step %d", i).isEqualTo(expected[i]);
      current = e.decision().desiredReplicas();
      state = e.state();
    }
  }

  @Test
  void tenPercentPerMinuteScaleDownSequence() {
    // HPA docs' "scale down 10% per minute", one decision every 15 s from 100 replicas with no
    // load: 100 → 90 → 81 → 72 → 64 (each trunc(start × 0.9), once per 60 s).
    PolicySpec spec =
        spec(
            unlimited(Duration.ZERO),
            rules(Duration.ZERO, ScalingRules.Select.MAX, RatePolicy.percent(10, S60)));
    PolicyState state = seen();
    int current = 100;
    StringBuilder seen = new StringBuilder().append(current);
    for (int i = 1; i <= 16; i++) {
      Observation o = Fixtures.obs(T0.plusSeconds(15L * i), current, current, signals(QUEUE, 0));
      Evaluation e = DecisionEngine.decide(spec, o, state);
      if (e.decision().desiredReplicas() != current) {
        seen.append(" → ").append(e.decision().desiredReplicas()).append(" @").append(15 * i);
      }
      current = e.decision().desiredReplicas();
      state = e.state();
    }
    assertThat(seen.toString()).isEqualTo("100 → 90 @15 → 81 @75 → 72 @135 → 64 @195");
  }

  @Test
  void scaleDownStabilizationFollowsTheHighestRecentRecommendation() {
    // Load drops from 10 replicas' worth to 2: with the default 300 s window, HPA keeps 10 until
    // the last recommendation of 10 is 300 s old, then goes down in one step.
    PolicySpec spec = hpaDefaults();
    PolicyState state = seen();
    int current = 10;
    int droppedAt = -1;
    for (int i = 0; i <= 25; i++) {
      double waiting = i < 2 ? 40 : 8;
      Observation o =
          Fixtures.obs(T0.plusSeconds(15L * i), current, current, signals(QUEUE, waiting));
      Evaluation e = DecisionEngine.decide(spec, o, state);
      if (e.decision().desiredReplicas() < current && droppedAt < 0) {
        droppedAt = 15 * i;
        assertThat(e.decision().desiredReplicas()).isEqualTo(2);
      } else if (droppedAt < 0) {
        assertThat(e.decision().desiredReplicas()).isEqualTo(10);
        if (i >= 2) {
          assertThat(e.decision().reason()).isEqualTo(Reason.HOLD_STABILIZATION);
        }
      }
      current = e.decision().desiredReplicas();
      state = e.state();
    }
    // last recommendation of 10 at 15 s; it leaves the window when it is 300 s old: at 315 s
    assertThat(droppedAt).isEqualTo(315);
  }

  @Test
  void stateStaysBoundedOverALongRun() {
    PolicySpec spec = hpaDefaults();
    PolicyState state = PolicyState.initial();
    int current = 5;
    for (int i = 0; i < 5_000; i++) {
      double waiting = 4.0 * (1 + (i * 7919 % 60));
      Observation o =
          Fixtures.obs(T0.plusSeconds(5L * i), current, current, signals(QUEUE, waiting));
      Evaluation e = DecisionEngine.decide(spec, o, state);
      current = e.decision().desiredReplicas();
      state = e.state();
    }
    // 300 s window / 5 s per decision = at most 60 recommendations, at most 61 distinct counts;
    // scale events only within the 15 s period: at most 3 per direction.
    assertThat(state.recommendations().size()).isLessThanOrEqualTo(60);
    assertThat(state.scaleUpEvents().size() + state.scaleDownEvents().size())
        .isLessThanOrEqualTo(3);
  }

  /**
   * KEDA or HPA applies an ask only at its next sync (15 s for HPA), so Foresight, deciding every 5
   * s, sees the old count for a few ticks. Counting its own ask again on each of those ticks would
   * take the period's start below the current count and clamp the ask back down.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("laggingActuators")
  void anAskTheTargetHasNotReachedYetIsNotCountedAgainstTheNextTicks(
      String name, ScalingRules up, int expectedAsk) {
    PolicySpec spec = spec(up, ScalingRules.hpaDefaultScaleDown());
    PolicyState state = seen();
    for (int tick = 0; tick < 3; tick++) { // 10 s at 2 replicas, wanting 10
      Evaluation e =
          DecisionEngine.decide(
              spec, obs(T0.plusSeconds(5L * tick), 2, 2, signals(QUEUE, 40.0)), state);
      assertThat(e.decision().desiredReplicas())
          .as("tick %d: %s", tick, e.decision().message())
          .isEqualTo(expectedAsk);
      state = e.state();
    }
  }

  static Stream<Arguments> laggingActuators() {
    return Stream.of(
        arguments("HPA defaults: max(100%, 4 pods) per 15 s", ScalingRules.hpaDefaultScaleUp(), 6),
        arguments(
            "2 pods per 60 s",
            rules(Duration.ZERO, ScalingRules.Select.MAX, RatePolicy.pods(2, S60)),
            4),
        arguments(
            "50% per 60 s",
            rules(Duration.ZERO, ScalingRules.Select.MAX, RatePolicy.percent(50, S60)), 3));
  }

  @Test
  void oncePeriodEndsTheNextStepCountsFromTheLastAsk() {
    PolicySpec spec =
        spec(
            rules(Duration.ZERO, ScalingRules.Select.MAX, RatePolicy.pods(2, S60)),
            ScalingRules.hpaDefaultScaleDown());
    PolicyState state = seen();
    Decision first =
        DecisionEngine.decide(spec, obs(T0, 2, 2, signals(QUEUE, 40.0)), state).decision();
    state = DecisionEngine.decide(spec, obs(T0, 2, 2, signals(QUEUE, 40.0)), state).state();
    // 61 s later the target reached the ask of 4: the next period allows 2 more.
    Decision next =
        DecisionEngine.decide(spec, obs(T0.plusSeconds(61), 4, 4, signals(QUEUE, 40.0)), state)
            .decision();

    assertThat(first.desiredReplicas()).isEqualTo(4);
    assertThat(next.desiredReplicas()).isEqualTo(6);
  }
}
