package dev.foresight.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

/** Replica lifecycle, node supply and draining, on hand-checkable timelines. */
class FleetTest {
  private static SimulationConfig cluster(int gpuLimit) {
    return SimulationConfig.defaults()
        .withCluster(Duration.ofSeconds(120), 0, Duration.ofSeconds(180), gpuLimit)
        .withReplicas(1, 1, 10);
  }

  private static Fleet fleet(SimulationConfig c) {
    return new Fleet(c, new Well19937c(1), new RunRecorder(2));
  }

  /** Runs timers and engine events until {@code until}. */
  private static void runUntil(Fleet fleet, double until) {
    while (true) {
      double next = Math.min(fleet.nextTimer(), fleet.nextEngineEvent());
      if (next > until) {
        return;
      }
      if (fleet.nextEngineEvent() == next) {
        fleet.fireEngine(next);
      } else {
        fleet.fireTimer(next);
      }
    }
  }

  @Test
  void aNewReplicaWaitsForANodeThenForItsStartUp() {
    Fleet fleet = fleet(cluster(SimulationConfig.UNLIMITED));
    fleet.scaleTo(2, 0);
    assertThat(fleet.desiredReplicas()).isEqualTo(2);
    runUntil(fleet, 299.9);
    assertThat(fleet.readyReplicas()).isEqualTo(1);
    runUntil(fleet, 300.0);
    assertThat(fleet.readyReplicas()).isEqualTo(2); // 180 s node + 120 s pod
    // It paid GPU time from its start-up (t=180) only; its node from t=0.
    assertThat(fleet.gpuSeconds(300)).isCloseTo(300 + 120, within(1e-9));
    assertThat(fleet.nodeSeconds(300)).isCloseTo(600, within(1e-9));
  }

  @Test
  void anIdleNodeIsReusedWithinItsIdleTimeoutAndRemovedAfter() {
    Fleet fleet = fleet(cluster(SimulationConfig.UNLIMITED));
    fleet.scaleTo(2, 0);
    runUntil(fleet, 400);
    fleet.scaleTo(1, 400); // the newest replica drains at once (nothing running)
    assertThat(fleet.nodes()).hasSize(2);
    fleet.scaleTo(2, 430); // within the 60 s idle timeout: the node is free, only start-up
    runUntil(fleet, 550);
    assertThat(fleet.readyReplicas()).isEqualTo(2);
    fleet.scaleTo(1, 600);
    runUntil(fleet, 700);
    assertThat(fleet.nodes()).hasSize(1);
  }

  @Test
  void theNodePoolLimitLeavesPodsPendingWithoutGpuTime() {
    Fleet fleet = fleet(cluster(2));
    fleet.scaleTo(4, 0);
    runUntil(fleet, 1000);
    assertThat(fleet.desiredReplicas()).isEqualTo(4);
    assertThat(fleet.readyReplicas()).isEqualTo(2);
    assertThat(fleet.unbackedPending()).isEqualTo(2);
    assertThat(fleet.nodes()).hasSize(2);
    assertThat(fleet.gpuSeconds(1000)).isCloseTo(1000 + (1000 - 180), within(1e-9));
  }

  @Test
  void scaleDownDrainsInFlightRequestsBeforeTheReplicaLeaves() {
    Fleet fleet = fleet(cluster(SimulationConfig.UNLIMITED).withReplicas(2, 1, 10));
    Request a = new Request(0, 100, 2000);
    Request b = new Request(0, 100, 2000);
    fleet.arrive(a, 0);
    fleet.arrive(b, 0);
    assertThat(fleet.replicas()).allSatisfy(r -> assertThat(r.running()).isEqualTo(1));
    fleet.scaleTo(1, 1);
    assertThat(fleet.desiredReplicas()).isEqualTo(1);
    assertThat(fleet.replicas()).hasSize(2); // one is draining
    Request c = new Request(1, 100, 10);
    fleet.arrive(c, 1);
    assertThat(fleet.replicas().stream().filter(r -> r.state == Replica.State.DRAINING))
        .allSatisfy(r -> assertThat(r.running()).isEqualTo(1)); // nothing new admitted
    runUntil(fleet, 100);
    assertThat(fleet.replicas()).hasSize(1);
    assertThat(fleet.idle()).isTrue();
  }

  @Test
  void requestsWaitInOrderWhenEveryBatchIsFull() {
    SimulationConfig c =
        cluster(SimulationConfig.UNLIMITED).withEngine(0.006, 0.0000766, 0.000035, 400_000, 1);
    Fleet fleet = fleet(c);
    fleet.arrive(new Request(0, 10, 100), 0);
    fleet.arrive(new Request(0, 10, 100), 0);
    assertThat(fleet.waitingCount()).isEqualTo(1);
    runUntil(fleet, 10);
    assertThat(fleet.waitingCount()).isZero();
    assertThat(fleet.idle()).isTrue();
  }

  @Test
  void unbackedPendingPodsAreIntegratedExactlyAndTheirPeakKept() {
    Fleet fleet = fleet(cluster(2));
    fleet.scaleTo(4, 0); // one new node fits under the limit of 2 GPUs; two pods get nothing
    assertThat(fleet.unbackedPending()).isEqualTo(2);
    assertThat(fleet.nodesProvisioned()).isEqualTo(1);
    assertThat(fleet.unbackedPodSeconds(100)).isCloseTo(200, within(1e-9));
    fleet.scaleTo(3, 100); // an unbacked pod goes first
    assertThat(fleet.unbackedPodSeconds(150)).isCloseTo(250, within(1e-9));
    fleet.scaleTo(2, 150);
    assertThat(fleet.unbackedPodSeconds(1000)).isCloseTo(250, within(1e-9));
    assertThat(fleet.peakUnbacked()).isEqualTo(2);
  }
}
