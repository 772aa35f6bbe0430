package dev.foresight.policy.supply;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One snapshot of everything node supply is computed from, taken by the controller at {@code at}.
 * Immutable; the instant is an input, so an analysis can be replayed exactly.
 *
 * @param at the instant of the snapshot; windows (recent stockouts) end here
 * @param karpenterObserved true when the {@code karpenter.sh/v1} NodeClaim and NodePool resources
 *     exist and were read; false when Karpenter is not installed (then only cluster-autoscaler
 *     Events can say anything about supply)
 * @param nodePools every NodePool
 * @param nodeClaims every NodeClaim, including those being deleted
 * @param pendingPods the Pending pods of governed workloads
 * @param events supply Events (see {@link SupplyEvent#from})
 */
public record ClusterSupply(
    Instant at,
    boolean karpenterObserved,
    List<NodePoolState> nodePools,
    List<NodeClaimState> nodeClaims,
    List<PendingPod> pendingPods,
    List<SupplyEvent> events) {

  public ClusterSupply {
    Objects.requireNonNull(at, "at");
    nodePools = List.copyOf(nodePools);
    nodeClaims = List.copyOf(nodeClaims);
    pendingPods = List.copyOf(pendingPods);
    events = List.copyOf(events);
    if (!karpenterObserved && (!nodePools.isEmpty() || !nodeClaims.isEmpty())) {
      throw new IllegalArgumentException(
          "karpenterObserved is false but "
              + nodePools.size()
              + " NodePools and "
              + nodeClaims.size()
              + " NodeClaims were given");
    }
  }

  /** A snapshot of a cluster without Karpenter: only pods and (cluster-autoscaler) Events. */
  public static ClusterSupply withoutKarpenter(
      Instant at, List<PendingPod> pendingPods, List<SupplyEvent> events) {
    return new ClusterSupply(at, false, List.of(), List.of(), pendingPods, events);
  }
}
