package dev.foresight.policy.supply;

import dev.foresight.policy.WorkloadRef;
import java.util.Objects;
import java.util.Set;

/**
 * Where a governed workload's replicas go, read from its pod template.
 *
 * <pre>
 * gpusPerReplica  sum of spec.template.spec.containers[*].resources.requests["nvidia.com/gpu"]
 * nodePools       spec.template.spec.nodeSelector["karpenter.sh/nodepool"], or the values of a
 *                 required node affinity term on that key; empty when the template does not pin
 *                 a pool
 * </pre>
 *
 * <p>When {@code nodePools} is empty the analyzer uses the pools of the workload's nominated
 * NodeClaims, and failing that every NodePool: more pools means more headroom, so a guess never
 * caps harder than the truth would.
 *
 * @param workload the governed workload
 * @param gpusPerReplica GPUs one replica requests (0: the workload needs no GPUs)
 * @param nodePools the NodePools its pods may land on
 */
public record WorkloadPlacement(WorkloadRef workload, int gpusPerReplica, Set<String> nodePools) {

  public WorkloadPlacement {
    Objects.requireNonNull(workload, "workload");
    nodePools = Set.copyOf(nodePools);
    if (gpusPerReplica < 0) {
      throw new InvalidSupplyInputException(
          workload + " GPUs per replica", Integer.toString(gpusPerReplica), ">= 0");
    }
  }

  /** A workload pinned to nothing. */
  public static WorkloadPlacement of(WorkloadRef workload, int gpusPerReplica) {
    return new WorkloadPlacement(workload, gpusPerReplica, Set.of());
  }
}
