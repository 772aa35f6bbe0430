package dev.foresight.policy.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.foresight.policy.Signal;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LatencyRuleTest {

  private static final double TOLERANCE = 0.1;

  static Stream<Arguments> rows() {
    return Stream.of(
        // name, p95 s, target s, current, ready, replicas, kind, need
        arguments(
            "all ready, 1.5x target: ceil(1.5 × 4) = 6",
            1.2,
            0.8,
            4,
            4,
            6,
            SignalAssessment.Kind.CHANGE,
            6),
        arguments(
            "2 of 6 starting, 3x target: ceil(3 × 4) = 12 not asked, keep 6",
            3.0,
            1.0,
            6,
            4,
            6,
            SignalAssessment.Kind.CHANGE,
            0),
        arguments(
            "backlog still in the p95 after the fleet grew 4 -> 10 (6 starting): keep 10",
            3.0,
            1.0,
            10,
            4,
            10,
            SignalAssessment.Kind.CHANGE,
            0),
        arguments(
            "none ready yet, all 3 starting: keep 3",
            5.0,
            1.0,
            3,
            0,
            3,
            SignalAssessment.Kind.CHANGE,
            0),
        arguments(
            "starting, but the formula is below current: keep current as before",
            1.2,
            1.0,
            10,
            8,
            10,
            SignalAssessment.Kind.CHANGE,
            10),
        arguments(
            "all ready again and still 2x: asks again, ceil(2 × 12) = 24",
            2.0,
            1.0,
            12,
            12,
            24,
            SignalAssessment.Kind.CHANGE,
            24),
        arguments(
            "ready above current (scale-down in progress), 2x: ceil(2 × 5) = 10",
            2.0,
            1.0,
            4,
            5,
            10,
            SignalAssessment.Kind.CHANGE,
            10),
        arguments(
            "within tolerance while starting: keep, need 0",
            1.05,
            1.0,
            6,
            4,
            6,
            SignalAssessment.Kind.TOLERANCE_HOLD,
            0),
        arguments(
            "below target while starting: defers",
            0.5,
            1.0,
            6,
            4,
            0,
            SignalAssessment.Kind.DEFERS,
            0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void assesses(
      String name,
      double p95,
      double target,
      int current,
      int ready,
      int replicas,
      SignalAssessment.Kind kind,
      int need) {
    SignalAssessment a =
        LatencyRule.INSTANCE.assess(
            Signal.TTFT_P95, p95, target, new SignalRule.Scale(current, ready, TOLERANCE));

    assertThat(a.proposal().replicas()).as("replicas").isEqualTo(replicas);
    assertThat(a.kind()).as("kind").isEqualTo(kind);
    assertThat(a.need()).as("need").isEqualTo(need);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void neverAsksBeyondTheCurrentCountWhileReplicasStart(
      String name,
      double p95,
      double target,
      int current,
      int ready,
      int replicas,
      SignalAssessment.Kind kind,
      int need) {
    SignalAssessment a =
        LatencyRule.INSTANCE.assess(
            Signal.LATENCY_P95, p95, target, new SignalRule.Scale(current, ready, TOLERANCE));

    if (current > ready) {
      assertThat(a.proposal().replicas()).isLessThanOrEqualTo(current);
      assertThat(a.need()).isLessThanOrEqualTo(current);
    }
  }

  @org.junit.jupiter.api.Test
  void theHeldProposalSaysWhy() {
    SignalAssessment a =
        LatencyRule.INSTANCE.assess(
            Signal.TTFT_P95, 3.0, 1.0, new SignalRule.Scale(6, 4, TOLERANCE));

    assertThat(a.proposal().arithmetic())
        .contains("ceil(3 × 4 ready) = 12")
        .contains("2 replica(s) still starting")
        .contains("keep 6");
  }
}
