package dev.foresight.sim.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.policy.RatePolicy;
import dev.foresight.policy.ScalingRules;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * HPA behavior on the examples of the Kubernetes documentation ("Configurable scaling behavior").
 */
class HpaControllerTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static Instant at(long seconds) {
    return T0.plusSeconds(seconds);
  }

  @Test
  void defaultScaleUpAllowsFourPodsOrDoublingPerFifteenSecondsWhicheverIsMore() {
    HpaController hpa = HpaController.withDefaultBehavior(1, 100);
    assertThat(hpa.reconcile(at(0), 1, OptionalInt.of(50))).isEqualTo(5); // 1 + 4 > 2 x 1
    assertThat(hpa.reconcile(at(15), 5, OptionalInt.of(50))).isEqualTo(10); // 2 x 5 > 5 + 4
    assertThat(hpa.reconcile(at(30), 10, OptionalInt.of(50))).isEqualTo(20);
  }

  @Test
  void aSecondScaleUpWithinThePeriodCountsTheFirst() {
    HpaController hpa = HpaController.withDefaultBehavior(1, 100);
    assertThat(hpa.reconcile(at(0), 10, OptionalInt.of(100))).isEqualTo(20);
    // 5 s later the period started at 10 replicas: at most 20 still.
    assertThat(hpa.reconcile(at(5), 20, OptionalInt.of(100))).isEqualTo(20);
  }

  @Test
  void defaultScaleDownWaitsForTheHighestRecommendationOfFiveMinutes() {
    HpaController hpa = HpaController.withDefaultBehavior(1, 100);
    assertThat(hpa.reconcile(at(0), 10, OptionalInt.of(10))).isEqualTo(10);
    assertThat(hpa.reconcile(at(15), 10, OptionalInt.of(2))).isEqualTo(10);
    assertThat(hpa.reconcile(at(299), 10, OptionalInt.of(2))).isEqualTo(10);
    // The recommendation of 10 at t=0 (and the initial one) left the window: 100% per 15 s.
    assertThat(hpa.reconcile(at(301), 10, OptionalInt.of(2))).isEqualTo(2);
  }

  @Test
  void docsExampleTenPercentOrFourPodsPerMinuteTakesTheLargerChange() {
    // behavior.scaleDown: policies Pods 4 / 60 s and Percent 10 / 60 s, selectPolicy Max, no
    // stabilization. From 80 replicas: 10% = 8 > 4, so 8 go; from 72, 10% rounds to 8 again.
    ScalingRules down =
        new ScalingRules(
            Duration.ZERO,
            List.of(
                RatePolicy.pods(4, Duration.ofSeconds(60)),
                RatePolicy.percent(10, Duration.ofSeconds(60))),
            ScalingRules.Select.MAX);
    HpaController hpa = new HpaController(1, 100, ScalingRules.hpaDefaultScaleUp(), down);
    assertThat(hpa.reconcile(at(0), 80, OptionalInt.of(10))).isEqualTo(72);
    assertThat(hpa.reconcile(at(15), 72, OptionalInt.of(10))).isEqualTo(72); // same period
    assertThat(hpa.reconcile(at(61), 72, OptionalInt.of(10))).isEqualTo(64);
  }

  @Test
  void selectPolicyMinTakesTheSmallerChange() {
    ScalingRules down =
        new ScalingRules(
            Duration.ZERO,
            List.of(
                RatePolicy.pods(4, Duration.ofSeconds(60)),
                RatePolicy.percent(10, Duration.ofSeconds(60))),
            ScalingRules.Select.MIN);
    HpaController hpa = new HpaController(1, 100, ScalingRules.hpaDefaultScaleUp(), down);
    assertThat(hpa.reconcile(at(0), 80, OptionalInt.of(10))).isEqualTo(76);
  }

  @Test
  void boundsMissingMetricsAndZeroReplicas() {
    HpaController hpa = HpaController.withDefaultBehavior(2, 6);
    assertThat(hpa.reconcile(at(0), 4, OptionalInt.empty())).isEqualTo(4); // no metric: hold
    assertThat(hpa.reconcile(at(15), 9, OptionalInt.of(9))).isEqualTo(6); // above max
    assertThat(hpa.reconcile(at(30), 1, OptionalInt.of(1))).isEqualTo(2); // below min
    assertThat(hpa.reconcile(at(45), 0, OptionalInt.of(5))).isZero(); // disabled at 0
    assertThat(hpa.reconcile(at(60), 6, OptionalInt.of(40))).isEqualTo(6); // capped at max
  }
}
