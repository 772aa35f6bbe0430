package dev.foresight.policy.supply;

import static dev.foresight.policy.supply.V1Fixtures.POOL;
import static dev.foresight.policy.supply.V1Fixtures.T0;
import static dev.foresight.policy.supply.V1Fixtures.deleting;
import static dev.foresight.policy.supply.V1Fixtures.initialized;
import static dev.foresight.policy.supply.V1Fixtures.launchFailing;
import static dev.foresight.policy.supply.V1Fixtures.launching;
import static dev.foresight.policy.supply.V1Fixtures.pool;
import static dev.foresight.policy.supply.V1Fixtures.registered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;

import dev.foresight.policy.WorkloadRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeSupplyAnalyzerTest {

  static final WorkloadRef LLAMA = WorkloadRef.deployment("llm", "vllm-llama");
  static final WorkloadRef OTHER = WorkloadRef.deployment("llm", "vllm-mistral");
  static final Instant POD_CREATED = T0.plusSeconds(300);
  static final String CLAIM = "gpu-l4-x7k2q";
  static final Instant CLAIM_CREATED = POD_CREATED.plusSeconds(1);
  static final Instant NOMINATED_AT = POD_CREATED.plusSeconds(2);

  /** Three g6.12xlarge nodes, every GPU taken: 12 GPUs in status.resources. */
  static List<NodeClaimState> fullNodes() {
    Instant hourAgo = T0.minus(Duration.ofHours(1));
    return List.of(
        initialized("gpu-l4-a1b2c", 4, 4, hourAgo),
        initialized("gpu-l4-d3e4f", 4, 4, hourAgo),
        initialized("gpu-l4-g5h6i", 4, 4, hourAgo));
  }

  static List<NodeClaimState> with(List<NodeClaimState> base, NodeClaimState... more) {
    List<NodeClaimState> all = new ArrayList<>(base);
    all.addAll(List.of(more));
    return all;
  }

  static PendingPod pod(WorkloadRef owner, String name) {
    return PendingPod.unschedulable(
        owner,
        name,
        1,
        POD_CREATED,
        POD_CREATED,
        "0/3 nodes are available: 3 Insufficient nvidia.com/gpu.");
  }

  static SupplyEvent nominated(String pod) {
    return SupplyEvent.from(
            "Nominated",
            "Pod",
            "llm",
            pod,
            "Pod should schedule on: nodeclaim/" + CLAIM,
            NOMINATED_AT)
        .orElseThrow();
  }

  static SupplyEvent nominatedToNode(String pod, String node) {
    return SupplyEvent.from(
            "Nominated", "Pod", "llm", pod, "Pod should schedule on: node/" + node, NOMINATED_AT)
        .orElseThrow();
  }

  static SupplyEvent ca(String reason, String pod, Instant at) {
    return SupplyEvent.from(reason, "Pod", "llm", pod, "pod triggered scale-up", at).orElseThrow();
  }

  /**
   * What one scenario must produce for {@link #LLAMA} (1 GPU per replica) and its pool.
   *
   * @param current the workload's spec.replicas
   * @param headroom pool headroom, null when unlimited
   */
  record Expect(
      int current,
      int pending,
      int covered,
      int gpusInFlight,
      Integer headroom,
      int stockouts,
      boolean blocked,
      int maxBackable) {}

  static Arguments row(String name, ClusterSupply snapshot, Expect expect) {
    return Arguments.of(named(name, snapshot), expect);
  }

  static Stream<Arguments> scenarios() {
    Instant at = T0.plus(Duration.ofMinutes(10));
    String p1 = "vllm-llama-7d9c5-x1";
    return Stream.of(
        row(
            "launching: pod nominated to a claim not launched yet is covered; its GPU is"
                + " subtracted from headroom on top of status.resources",
            new ClusterSupply(
                at,
                true,
                List.of(pool("16", 12)),
                with(fullNodes(), launching(CLAIM, 1, CLAIM_CREATED)),
                List.of(pod(LLAMA, p1)),
                List.of(nominated(p1))),
            // headroom 16 − 12 − 1 = 3; backable 12 scheduled + 1 on the way + 0 free + 3
            new Expect(13, 1, 1, 1, 3, 0, false, 16)),
        row(
            "registered: launched claim is already in status.resources, not subtracted twice",
            new ClusterSupply(
                at,
                true,
                List.of(pool("16", 13)),
                with(fullNodes(), registered(CLAIM, 1, CLAIM_CREATED)),
                List.of(pod(LLAMA, p1)),
                List.of(nominated(p1))),
            new Expect(13, 1, 1, 1, 3, 0, false, 16)),
        row(
            "initialized: node ready, pod about to bind, still covered; nothing in flight",
            new ClusterSupply(
                at,
                true,
                List.of(pool("16", 13)),
                with(fullNodes(), initialized(CLAIM, 1, 0, CLAIM_CREATED)),
                List.of(pod(LLAMA, p1)),
                List.of(nominated(p1))),
            new Expect(13, 1, 1, 0, 3, 0, false, 16)),
        row(
            "launch failing: Launched=False is still in flight until Karpenter's timeout",
            new ClusterSupply(
                at,
                true,
                List.of(pool("16", 12)),
                with(fullNodes(), launchFailing(CLAIM, 1, CLAIM_CREATED)),
                List.of(pod(LLAMA, p1)),
                List.of(nominated(p1))),
            new Expect(13, 1, 1, 1, 3, 0, false, 16)),
        row(
            "failed with InsufficientCapacity: claim deleted, pod uncovered, stockout blocks"
                + " headroom",
            new ClusterSupply(
                at,
                true,
                List.of(pool("16", 12)),
                fullNodes(),
                List.of(pod(LLAMA, p1)),
                List.of(
                    nominated(p1),
                    SupplyEvent.from(
                            "InsufficientCapacityError",
                            "NodeClaim",
                            "",
                            CLAIM,
                            "NodeClaim "
                                + CLAIM
                                + " event: creating instance, insufficient capacity",
                            NOMINATED_AT.plusSeconds(20))
                        .orElseThrow())),
            // 12 scheduled + 0 + 0 free + 0 (blocked)
            new Expect(13, 1, 0, 0, 4, 1, true, 12)),
        row(
            "insufficient capacity while the claim is still listed with a deletionTimestamp",
            new ClusterSupply(
                at,
                true,
                List.of(pool("16", 12)),
                with(fullNodes(), deleting(CLAIM, 1, CLAIM_CREATED, NOMINATED_AT.plusSeconds(20))),
                List.of(pod(LLAMA, p1)),
                List.of(
                    nominated(p1),
                    SupplyEvent.insufficientCapacity(CLAIM, NOMINATED_AT.plusSeconds(20)))),
            new Expect(13, 1, 0, 0, 4, 1, true, 12)),
        row(
            "re-nominated in the same second as the nomination to a claim that is now gone",
            new ClusterSupply(
                at,
                true,
                List.of(pool("16", 12)),
                with(fullNodes(), launching("gpu-l4-z9y8w", 1, NOMINATED_AT)),
                List.of(pod(LLAMA, p1)),
                List.of(
                    nominated(p1), SupplyEvent.nominated("llm", p1, "gpu-l4-z9y8w", NOMINATED_AT))),
            new Expect(13, 1, 1, 1, 3, 0, false, 16)),
        row(
            "stockout older than the window is not recent; headroom counts again",
            new ClusterSupply(
                at,
                true,
                List.of(pool("16", 12)),
                fullNodes(),
                List.of(pod(LLAMA, p1)),
                List.of(SupplyEvent.insufficientCapacity(CLAIM, at.minus(Duration.ofMinutes(6))))),
            new Expect(13, 1, 0, 0, 4, 0, false, 16)),
        row(
            "limit reached: status.resources at the limit, three pods nobody covers",
            new ClusterSupply(
                at,
                true,
                List.of(pool("16", 16)),
                with(fullNodes(), initialized("gpu-l4-j7k8l", 4, 4, T0)),
                List.of(pod(LLAMA, p1), pod(LLAMA, "vllm-llama-7d9c5-x2"), pod(LLAMA, "x3")),
                List.of()),
            new Expect(19, 3, 0, 0, 0, 0, false, 16)),
        row(
            "limit lowered under what exists: negative headroom counts as none",
            new ClusterSupply(
                at, true, List.of(pool("8", 12)), fullNodes(), List.of(pod(LLAMA, p1)), List.of()),
            new Expect(13, 1, 0, 0, 0, 0, false, 12)),
        row(
            "free GPUs on an initialized node back replicas; one replica cannot span nodes",
            new ClusterSupply(
                at,
                true,
                List.of(pool("16", 16)),
                with(fullNodes(), initialized("gpu-l4-j7k8l", 4, 1, T0)),
                List.of(),
                List.of()),
            // 13 scheduled + 3 free (3 spare GPUs on one node) + 0 headroom
            new Expect(13, 0, 0, 0, 0, 0, false, 16)),
        row(
            "nominated to an existing Karpenter node: covered, and the GPU it takes is not"
                + " counted as spare again",
            new ClusterSupply(
                at,
                true,
                List.of(pool("16", 16)),
                with(fullNodes(), initialized("gpu-l4-j7k8l", 4, 3, T0)),
                List.of(pod(LLAMA, p1)),
                List.of(nominatedToNode(p1, V1Fixtures.nodeName("gpu-l4-j7k8l")))),
            // 13 scheduled + 1 covered + floor((4 − 3 − 1) / 1) + 0 headroom
            new Expect(14, 1, 1, 0, 0, 0, false, 14)),
        row(
            "nominated to a node Karpenter does not manage: covered",
            new ClusterSupply(
                at,
                true,
                List.of(pool("16", 12)),
                fullNodes(),
                List.of(pod(LLAMA, p1)),
                List.of(nominatedToNode(p1, "static-gpu-1"))),
            new Expect(13, 1, 1, 0, 4, 0, false, 17)),
        row(
            "NodePool without a GPU limit: nothing caps",
            new ClusterSupply(
                at, true, List.of(pool(null, 12)), fullNodes(), List.of(pod(LLAMA, p1)), List.of()),
            new Expect(13, 1, 0, 0, null, 0, false, Integer.MAX_VALUE)),
        row(
            "no Karpenter at all: pods are counted, nothing caps",
            ClusterSupply.withoutKarpenter(at, List.of(pod(LLAMA, p1)), List.of()),
            new Expect(13, 1, 0, 0, null, 0, false, Integer.MAX_VALUE)),
        row(
            "cluster-autoscaler TriggeredScaleUp covers the pod",
            ClusterSupply.withoutKarpenter(
                at,
                List.of(pod(LLAMA, p1)),
                List.of(ca("TriggeredScaleUp", p1, at.minus(Duration.ofMinutes(2))))),
            new Expect(13, 1, 1, 0, null, 0, false, Integer.MAX_VALUE)),
        row(
            "cluster-autoscaler TriggeredScaleUp older than 15 min covers nothing",
            ClusterSupply.withoutKarpenter(
                at,
                List.of(pod(LLAMA, p1)),
                List.of(ca("TriggeredScaleUp", p1, at.minus(Duration.ofMinutes(16))))),
            new Expect(13, 1, 0, 0, null, 0, false, Integer.MAX_VALUE)),
        row(
            "cluster-autoscaler NotTriggerScaleUp after a scale-up: blocked at what is scheduled",
            ClusterSupply.withoutKarpenter(
                at,
                List.of(pod(LLAMA, p1), pod(LLAMA, "x2")),
                List.of(
                    ca("TriggeredScaleUp", p1, at.minus(Duration.ofMinutes(3))),
                    ca("NotTriggerScaleUp", p1, at.minus(Duration.ofMinutes(1))))),
            new Expect(14, 2, 0, 0, null, 0, true, 12)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void workloadSupply(ClusterSupply snapshot, Expect expect) {
    SupplyReport report =
        new NodeSupplyAnalyzer().analyze(snapshot, List.of(WorkloadPlacement.of(LLAMA, 1)));
    NodeSupply s = report.forWorkload(LLAMA);

    assertThat(s.pendingPods()).as("pending").isEqualTo(expect.pending());
    assertThat(s.coveredPods()).as("covered").isEqualTo(expect.covered());
    assertThat(s.uncoveredPods()).as("unbacked").isEqualTo(expect.pending() - expect.covered());
    assertThat(s.gpusInFlight()).as("GPUs in flight").isEqualTo(expect.gpusInFlight());
    assertThat(s.headroomGpus())
        .as("headroom")
        .isEqualTo(
            expect.headroom() == null ? OptionalInt.empty() : OptionalInt.of(expect.headroom()));
    assertThat(s.recentStockouts()).as("stockouts").isEqualTo(expect.stockouts());
    assertThat(s.blocked()).as("blocked").isEqualTo(expect.blocked());
    assertThat(s.maxBackableReplicas(expect.current()))
        .as("max backable: %s", s.backingArithmetic(expect.current()))
        .isEqualTo(expect.maxBackable());
    if (snapshot.karpenterObserved()) {
      NodePoolSupply p = report.nodePools().get(POOL);
      assertThat(p.gpusInFlight()).isEqualTo(expect.gpusInFlight());
      assertThat(p.stockouts()).isEqualTo(expect.stockouts());
    }
  }

  @Test
  void poolReportsClaimsInFlightLaunchFailuresAndHeadroomArithmetic() {
    Instant at = T0.plus(Duration.ofMinutes(10));
    ClusterSupply snapshot =
        new ClusterSupply(
            at,
            true,
            List.of(pool("16", 13)),
            with(
                fullNodes(),
                launching("gpu-l4-aaaa1", 1, T0),
                launchFailing("gpu-l4-bbbb2", 1, T0),
                registered("gpu-l4-cccc3", 1, T0)),
            List.of(),
            List.of());
    NodePoolSupply p = new NodeSupplyAnalyzer().analyze(snapshot, List.of()).nodePools().get(POOL);

    assertThat(p.claimsInFlight()).isEqualTo(3);
    assertThat(p.gpusInFlight()).isEqualTo(3);
    // launching and launch-failing claims have no status.capacity: not yet in status.resources
    assertThat(p.gpusInFlightUncounted()).isEqualTo(2);
    assertThat(p.headroomGpus()).isEqualTo(OptionalInt.of(16 - 13 - 2));
    assertThat(p.launchFailures()).isEqualTo(1);
    // in-flight claims nobody was nominated to are spare capacity on its way
    assertThat(p.freeGpusPerNode()).containsExactly(1, 1, 1);
  }

  @Test
  void provisioningSamplesAreCreationToInitializedAndReachedOnce() {
    Instant at = T0.plus(Duration.ofMinutes(10));
    ClusterSupply before =
        new ClusterSupply(at, true, List.of(pool("16", 12)), fullNodes(), List.of(), List.of());
    ClusterSupply after =
        new ClusterSupply(
            at.plusSeconds(30),
            true,
            List.of(pool("16", 13)),
            with(fullNodes(), initialized(CLAIM, 1, 0, CLAIM_CREATED)),
            List.of(),
            List.of());
    NodeSupplyAnalyzer analyzer = new NodeSupplyAnalyzer();
    SupplyReport first = analyzer.analyze(before, List.of());
    SupplyReport second = analyzer.analyze(after, List.of());

    assertThat(second.provisioning()).hasSize(4);
    assertThat(second.newSince(first))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.nodeClaim()).isEqualTo(CLAIM);
              assertThat(s.nodePool()).isEqualTo(POOL);
              assertThat(s.duration()).isEqualTo(V1Fixtures.INITIALIZE);
              assertThat(s.seconds()).isEqualTo(180.0);
            });
    assertThat(second.newSince(second)).isEmpty();
  }

  @Test
  void workloadsAreSeparatedAndPinnedPoolsRespected() {
    Instant at = T0.plus(Duration.ofMinutes(10));
    NodePoolState h100 = NodePoolState.limited("gpu-h100", 8, 8);
    ClusterSupply snapshot =
        new ClusterSupply(
            at,
            true,
            List.of(pool("16", 12), h100),
            with(fullNodes(), launching(CLAIM, 1, CLAIM_CREATED)),
            List.of(pod(LLAMA, "vllm-llama-1"), pod(OTHER, "vllm-mistral-1")),
            List.of(nominated("vllm-llama-1")));
    SupplyReport report =
        new NodeSupplyAnalyzer()
            .analyze(
                snapshot,
                List.of(
                    WorkloadPlacement.of(LLAMA, 1),
                    new WorkloadPlacement(OTHER, 2, Set.of("gpu-h100"))));

    NodeSupply llama = report.forWorkload(LLAMA);
    assertThat(llama.nodePools()).containsExactly(POOL);
    assertThat(llama.coveredPods()).isEqualTo(1);
    NodeSupply mistral = report.forWorkload(OTHER);
    assertThat(mistral.nodePools()).containsExactly("gpu-h100");
    assertThat(mistral.pendingPods()).isEqualTo(1);
    assertThat(mistral.uncoveredPods()).isEqualTo(1);
    assertThat(mistral.headroomGpus()).isEqualTo(OptionalInt.of(0));
    assertThat(mistral.maxBackableReplicas(4)).isEqualTo(3);

    NodeSupply unlisted =
        new NodeSupplyAnalyzer()
            .analyze(snapshot, List.of(new WorkloadPlacement(OTHER, 2, Set.of("gpu-a100"))))
            .forWorkload(OTHER);
    assertThat(unlisted.maxBackableReplicas(4))
        .as("a pool not in the snapshot is unknown and does not cap")
        .isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void podsNotMarkedUnschedulableDoNotWaitForSupply() {
    PendingPod pulling =
        new PendingPod(
            "llm",
            "vllm-llama-pulling",
            LLAMA,
            1,
            T0,
            Optional.of(Condition.isTrue(PendingPod.POD_SCHEDULED, T0)),
            Optional.empty());
    PendingPod gated =
        new PendingPod(
            "llm",
            "vllm-llama-gated",
            LLAMA,
            1,
            T0,
            Optional.of(
                Condition.isFalse(PendingPod.POD_SCHEDULED, "SchedulingGated", "gated", T0)),
            Optional.empty());
    SupplyReport report =
        new NodeSupplyAnalyzer()
            .analyze(
                ClusterSupply.withoutKarpenter(T0, List.of(pulling, gated), List.of()),
                List.of(WorkloadPlacement.of(LLAMA, 1)));
    assertThat(report.forWorkload(LLAMA).pendingPods()).isZero();
  }

  @Test
  void scaleUpNeedsANewNodeOnlyBeyondTheFreeSlots() {
    Instant at = T0.plus(Duration.ofMinutes(10));
    ClusterSupply snapshot =
        new ClusterSupply(
            at,
            true,
            List.of(pool("16", 16)),
            with(fullNodes(), initialized("gpu-l4-j7k8l", 4, 0, T0)),
            List.of(),
            List.of());
    NodeSupply twoGpu =
        new NodeSupplyAnalyzer()
            .analyze(snapshot, List.of(WorkloadPlacement.of(LLAMA, 2)))
            .forWorkload(LLAMA);
    assertThat(twoGpu.freeReplicaSlots()).isEqualTo(2);
    assertThat(twoGpu.needsNewNodes(2)).isFalse();
    assertThat(twoGpu.needsNewNodes(3)).isTrue();
    assertThat(twoGpu.needsNewNodes(0)).isFalse();

    NodeSupply noKarpenter =
        new NodeSupplyAnalyzer()
            .analyze(
                ClusterSupply.withoutKarpenter(at, List.of(), List.of()),
                List.of(WorkloadPlacement.of(LLAMA, 1)))
            .forWorkload(LLAMA);
    assertThat(noKarpenter.needsNewNodes(1)).as("free GPUs unknown: assume a node").isTrue();
    assertThat(NodeSupply.unconstrained(LLAMA, 0).needsNewNodes(5)).isFalse();
  }

  @Test
  void unknownWorkloadIsUnconstrained() {
    SupplyReport report =
        new NodeSupplyAnalyzer()
            .analyze(ClusterSupply.withoutKarpenter(T0, List.of(), List.of()), List.of());
    assertThat(report.forWorkload(LLAMA).maxBackableReplicas(1, 5)).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void duplicateObjectsAndBadWindowsAreRejected() {
    ClusterSupply twice =
        new ClusterSupply(
            T0,
            true,
            List.of(pool("16", 12)),
            with(fullNodes(), fullNodes().get(0)),
            List.of(),
            List.of());
    assertThatThrownBy(() -> new NodeSupplyAnalyzer().analyze(twice, List.of()))
        .hasMessageContaining("nodeclaim/gpu-l4-a1b2c listed twice");
    assertThatThrownBy(() -> new NodeSupplyAnalyzer(Duration.ZERO, Duration.ofMinutes(1)))
        .hasMessageContaining("stockoutWindow");
    assertThatThrownBy(
            () ->
                new ClusterSupply(
                    T0, false, List.of(pool("16", 12)), List.of(), List.of(), List.of()))
        .hasMessageContaining("karpenterObserved is false");
  }
}
