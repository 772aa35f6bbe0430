package dev.foresight.policy.supply;

import dev.foresight.policy.WorkloadRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The result of one supply analysis: per NodePool, per workload, and the node provisioning times
 * seen. What the controller exports as metrics and hands to the decision engine.
 *
 * <p>Metrics, one value per row:
 *
 * <pre>
 * foresight_pending_pods{namespace,policy}            workloads().get(w).pendingPods()
 * foresight_pending_pods_covered{namespace,policy}    workloads().get(w).coveredPods()
 * foresight_pending_pods_unbacked{namespace,policy}   workloads().get(w).uncoveredPods()
 * foresight_nodepool_gpu_headroom{nodepool}           nodePools().get(p).usableHeadroomGpus()
 * foresight_node_provisioning_seconds{nodepool}       histogram of newSince(previous).seconds()
 * </pre>
 *
 * @param at the snapshot instant
 * @param karpenterObserved whether Karpenter's resources were read
 * @param nodePools supply per NodePool, by name
 * @param workloads supply per workload
 * @param provisioning provisioning times of every initialized NodeClaim in the snapshot, oldest
 *     first
 */
public record SupplyReport(
    Instant at,
    boolean karpenterObserved,
    Map<String, NodePoolSupply> nodePools,
    Map<WorkloadRef, NodeSupply> workloads,
    List<ProvisioningSample> provisioning) {

  public SupplyReport {
    Objects.requireNonNull(at, "at");
    nodePools = Map.copyOf(nodePools);
    workloads = Map.copyOf(workloads);
    provisioning = List.copyOf(provisioning);
  }

  /**
   * Supply for {@code workload}; a workload the analysis was not asked about and that has no
   * pending pods gets {@link NodeSupply#unconstrained}.
   */
  public NodeSupply forWorkload(WorkloadRef workload) {
    NodeSupply s = workloads.get(workload);
    return s != null ? s : NodeSupply.unconstrained(workload, 0);
  }

  /**
   * Provisioning samples of claims that were not initialized in {@code previous}: each claim
   * reaches the lead-time learner and the histogram exactly once, however late its Initialized
   * transition is seen.
   */
  public List<ProvisioningSample> newSince(SupplyReport previous) {
    java.util.Set<String> seen =
        previous.provisioning.stream()
            .map(ProvisioningSample::nodeClaim)
            .collect(java.util.stream.Collectors.toSet());
    return provisioning.stream().filter(s -> !seen.contains(s.nodeClaim())).toList();
  }
}
