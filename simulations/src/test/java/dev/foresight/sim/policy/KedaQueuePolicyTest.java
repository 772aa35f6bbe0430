package dev.foresight.sim.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.policy.Observation;
import dev.foresight.policy.Signal;
import dev.foresight.policy.Signals;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** KEDA's activation, cooldown and HPA hand-off around a waiting-queue trigger. */
class KedaQueuePolicyTest {
  private static Observation waiting(long seconds, int replicas, double queue) {
    return Observation.of(
        Instant.EPOCH.plusSeconds(seconds),
        replicas,
        replicas,
        Signals.builder().put(Signal.QUEUE, queue).build());
  }

  @Test
  void averageValueThresholdGivesCeilOfQueueOverFour() {
    KedaQueuePolicy keda = new KedaQueuePolicy(1, 50);
    assertThat(keda.evaluate(waiting(0, 5, 37))).isEqualTo(10);
  }

  @Test
  void anEmptyQueueWithMinOneScalesDownToOneAfterStabilization() {
    KedaQueuePolicy keda = new KedaQueuePolicy(1, 50);
    assertThat(keda.evaluate(waiting(0, 6, 0))).isEqualTo(6);
    assertThat(keda.evaluate(waiting(301, 6, 0))).isEqualTo(1);
    assertThat(keda.evaluate(waiting(1000, 1, 0))).isEqualTo(1); // never to zero
  }

  @Test
  void withMinZeroAnInactiveTriggerScalesToZeroAfterTheCooldownAndWakesOnWork() {
    KedaQueuePolicy keda = new KedaQueuePolicy(0, 50);
    assertThat(keda.evaluate(waiting(0, 2, 0))).isEqualTo(2);
    assertThat(keda.evaluate(waiting(150, 2, 0))).isEqualTo(2); // cooldown not over
    assertThat(keda.evaluate(waiting(300, 2, 0))).isZero();
    assertThat(keda.evaluate(waiting(330, 0, 0))).isZero(); // HPA is off at zero
    assertThat(keda.evaluate(waiting(360, 0, 3))).isEqualTo(1); // activation: to one
  }

  @Test
  void activationIsCheckedOnlyEveryPollingInterval() {
    KedaQueuePolicy keda = new KedaQueuePolicy(0, 50);
    assertThat(keda.evaluate(waiting(0, 0, 0))).isZero();
    // 15 s later work waits, but the operator polls at 30 s.
    assertThat(keda.evaluate(waiting(15, 0, 5))).isZero();
    assertThat(keda.evaluate(waiting(30, 0, 5))).isEqualTo(1);
  }

  @Test
  void aMissingQueueMetricHoldsTheCount() {
    KedaQueuePolicy keda = new KedaQueuePolicy(1, 50);
    assertThat(keda.evaluate(Observation.of(Instant.EPOCH, 4, 4, Signals.none()))).isEqualTo(4);
  }
}
