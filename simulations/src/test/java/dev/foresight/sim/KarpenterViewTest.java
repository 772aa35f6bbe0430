package dev.foresight.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.policy.supply.ClusterSupply;
import dev.foresight.policy.supply.Condition;
import dev.foresight.policy.supply.NodeClaimState;
import dev.foresight.policy.supply.NodeClassRef;
import dev.foresight.policy.supply.NodePoolState;
import dev.foresight.policy.supply.NodeSupply;
import dev.foresight.policy.supply.NodeSupplyAnalyzer;
import dev.foresight.policy.supply.PendingPod;
import dev.foresight.policy.supply.SupplyEvent;
import dev.foresight.policy.supply.WorkloadPlacement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

/**
 * The node supply the simulator feeds Foresight is what the controller would derive from the
 * equivalent Karpenter objects: the fleet is brought into a known state, and the same state is
 * written by hand as the controller reads it (NodePool and NodeClaim fields as string maps, Pending
 * pods, Karpenter's Nominated Event message) and analyzed by {@link NodeSupplyAnalyzer}.
 */
class KarpenterViewTest {
  private static final String GPU = "nvidia.com/gpu";
  private static final String NS = "llm";

  private static SimulationConfig cluster(int gpuLimit) {
    return SimulationConfig.defaults()
        .withCluster(Duration.ofSeconds(120), 0, Duration.ofSeconds(180), gpuLimit)
        .withReplicas(1, 1, 10);
  }

  private static Fleet fleet(SimulationConfig c) {
    return new Fleet(c, new Well19937c(1), new RunRecorder(2));
  }

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

  private static Instant at(double seconds) {
    return Instant.EPOCH.plusMillis(Math.round(seconds * 1000));
  }

  /**
   * One replica at the start on node gpu-0; at t=0 two more on new nodes gpu-1, gpu-2 (Ready at
   * 180); at t=200 three more under a 4-GPU limit: vllm-3 gets the last node gpu-3 (in flight),
   * vllm-4 and vllm-5 nothing.
   */
  private static Fleet limitedFleet() {
    Fleet fleet = fleet(cluster(4));
    fleet.scaleTo(3, 0);
    runUntil(fleet, 200);
    fleet.scaleTo(6, 200);
    runUntil(fleet, 210);
    return fleet;
  }

  private static NodeClaimState readyClaim(String name, double created, double ready, int bound) {
    return NodeClaimState.fromFields(
        name,
        Map.of(NodeClaimState.NODEPOOL_LABEL, "gpu"),
        new NodeClassRef("karpenter.k8s.aws", "EC2NodeClass", "default"),
        at(created),
        null,
        Map.of(GPU, "1"),
        Map.of(GPU, "1", "cpu", "26"),
        Map.of(GPU, "1", "cpu", "25"),
        name,
        List.of(
            Condition.fromFields("c", "Launched", "True", null, null, at(created)),
            Condition.fromFields("c", "Registered", "True", null, null, at(ready)),
            Condition.fromFields("c", "Initialized", "True", null, null, at(ready))),
        bound);
  }

  private static PendingPod unschedulable(String name, double created) {
    return new PendingPod(
        NS,
        name,
        KarpenterView.WORKLOAD,
        1,
        at(created),
        Optional.of(
            Condition.fromFields(
                "c",
                "PodScheduled",
                "False",
                "Unschedulable",
                "0/4 nodes are available: 4 Insufficient nvidia.com/gpu.",
                at(created))),
        Optional.of("gpu"));
  }

  /** The cluster of {@link #limitedFleet()} at t=210, written as the controller reads it. */
  private static ClusterSupply handWritten() {
    List<NodeClaimState> claims = new ArrayList<>();
    claims.add(readyClaim("gpu-0", 0, 0, 1));
    claims.add(readyClaim("gpu-1", 0, 180, 1));
    claims.add(readyClaim("gpu-2", 0, 180, 1));
    claims.add(
        NodeClaimState.fromFields(
            "gpu-3",
            Map.of(NodeClaimState.NODEPOOL_LABEL, "gpu"),
            new NodeClassRef("karpenter.k8s.aws", "EC2NodeClass", "default"),
            at(200),
            null,
            Map.of(GPU, "1"),
            Map.of(GPU, "1"),
            Map.of(GPU, "1"),
            "",
            List.of(
                Condition.fromFields("c", "Launched", "True", null, null, at(200)),
                Condition.fromFields("c", "Registered", "Unknown", null, null, at(200))),
            0));
    return new ClusterSupply(
        at(210),
        true,
        List.of(NodePoolState.fromFields("gpu", Map.of(GPU, "4"), Map.of(GPU, "4"), List.of())),
        claims,
        List.of(
            unschedulable("vllm-3", 200),
            unschedulable("vllm-4", 200),
            unschedulable("vllm-5", 200)),
        List.of(
            SupplyEvent.from(
                    "Nominated",
                    "Pod",
                    NS,
                    "vllm-3",
                    "Pod should schedule on: nodeclaim/gpu-3",
                    at(200))
                .orElseThrow()));
  }

  @Test
  void theSupplyFedToForesightIsWhatTheAnalyzerDerivesFromTheEquivalentKarpenterObjects() {
    Fleet fleet = limitedFleet();
    NodeSupply fed = new KarpenterView().look(fleet, 210).supply();
    NodeSupply expected =
        new NodeSupplyAnalyzer()
            .analyze(
                handWritten(),
                List.of(new WorkloadPlacement(KarpenterView.WORKLOAD, 1, Set.of("gpu"))))
            .forWorkload(KarpenterView.WORKLOAD);

    assertThat(fed).isEqualTo(expected);
    // And what that means, by hand: three pods wait, one on the claim in flight; the pool is full.
    assertThat(fed.observed()).isEqualTo(NodeSupply.Observed.KARPENTER);
    assertThat(fed.pendingPods()).isEqualTo(3);
    assertThat(fed.coveredPods()).isEqualTo(1);
    assertThat(fed.gpusInFlight()).isEqualTo(1);
    assertThat(fed.headroomGpus()).isEqualTo(OptionalInt.of(0));
    assertThat(fed.freeGpusPerNode()).isEmpty();
    assertThat(fed.maxBackableReplicas(fleet.desiredReplicas())).isEqualTo(4);
    assertThat(fed.uncoveredPods()).isEqualTo(fleet.unbackedPending());
  }

  @Test
  void aFreeGpuOnAReadyNodeIsAFreeSlotAndAPoolWithoutLimitNeverCaps() {
    Fleet fleet = fleet(cluster(SimulationConfig.UNLIMITED));
    fleet.scaleTo(2, 0);
    runUntil(fleet, 400);
    fleet.scaleTo(1, 400); // the newest replica leaves; its node idles for 60 s
    NodeSupply supply = new KarpenterView().look(fleet, 410).supply();
    assertThat(supply.freeGpusPerNode()).containsExactly(1);
    assertThat(supply.needsNewNodes(1)).isFalse();
    assertThat(supply.needsNewNodes(2)).isTrue();
    assertThat(supply.headroomGpus()).isEmpty();
    assertThat(supply.maxBackableReplicas(1)).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void nodeProvisioningsAreReportedOnceEachAsTheirClaimsInitialize() {
    Fleet fleet = fleet(cluster(SimulationConfig.UNLIMITED));
    KarpenterView view = new KarpenterView();
    assertThat(view.look(fleet, 0).nodeProvisionings()).isEmpty(); // the initial node: no sample
    fleet.scaleTo(3, 0);
    runUntil(fleet, 15);
    fleet.scaleTo(4, 15);
    runUntil(fleet, 190);
    assertThat(view.look(fleet, 190).nodeProvisionings())
        .containsExactly(Duration.ofSeconds(180), Duration.ofSeconds(180));
    runUntil(fleet, 200);
    assertThat(view.look(fleet, 200).nodeProvisionings())
        .containsExactly(Duration.ofSeconds(180)); // the claim of t=15, Initialized at 195
    assertThat(view.look(fleet, 215).nodeProvisionings()).isEmpty();
  }
}
