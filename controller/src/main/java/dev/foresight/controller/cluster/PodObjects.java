package dev.foresight.controller.cluster;

import dev.foresight.policy.WorkloadRef;
import dev.foresight.policy.supply.Condition;
import dev.foresight.policy.supply.GpuQuantity;
import dev.foresight.policy.supply.PendingPod;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/** Pods of governed workloads as the supply analysis and the replica count see them. Pure. */
public final class PodObjects {

  private PodObjects() {}

  /** GPUs ({@code nvidia.com/gpu}) the pod's containers request (limits when no request). */
  public static int gpus(V1Pod pod) {
    int total = 0;
    if (pod.getSpec() == null) {
      return 0;
    }
    for (V1Container c : pod.getSpec().getContainers()) {
      if (c.getResources() == null) {
        continue;
      }
      Quantity q = get(c.getResources().getRequests());
      if (q == null) {
        q = get(c.getResources().getLimits());
      }
      if (q != null) {
        BigDecimal n = q.getNumber();
        if (n.signum() < 0 || n.stripTrailingZeros().scale() > 0) {
          throw new InvalidObjectException(
              "pod/" + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName(),
              "spec.containers[" + c.getName() + "].resources.requests[nvidia.com/gpu]",
              q.toSuffixedString(),
              "a whole number of GPUs");
        }
        total += n.intValueExact();
      }
    }
    return total;
  }

  private static Quantity get(Map<String, Quantity> m) {
    return m == null ? null : m.get(GpuQuantity.NVIDIA_GPU);
  }

  /** True when {@code status.phase} is Pending. */
  public static boolean pending(V1Pod pod) {
    return pod.getStatus() != null && "Pending".equals(pod.getStatus().getPhase());
  }

  /** True when the pod is being deleted. */
  public static boolean terminating(V1Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() != null;
  }

  /**
   * A Pending pod of {@code owner} for the supply analysis, with its PodScheduled condition and the
   * NodePool it is pinned to ({@code nodeSelector[karpenter.sh/nodepool]}), if any.
   */
  public static Optional<PendingPod> pendingPod(V1Pod pod, WorkloadRef owner) {
    if (!pending(pod) || terminating(pod)) {
      return Optional.empty();
    }
    PodTimeline t = PodTimeline.of(pod);
    Optional<Condition> scheduled = Optional.empty();
    if (pod.getStatus().getConditions() != null) {
      for (V1PodCondition c : pod.getStatus().getConditions()) {
        if (PendingPod.POD_SCHEDULED.equals(c.getType())) {
          scheduled =
              Optional.of(
                  Condition.fromFields(
                      "pod/" + t.namespace() + "/" + t.name() + ".status.conditions",
                      c.getType(),
                      c.getStatus(),
                      c.getReason(),
                      c.getMessage(),
                      c.getLastTransitionTime() == null
                          ? t.created()
                          : c.getLastTransitionTime().toInstant()));
        }
      }
    }
    Map<String, String> selector = pod.getSpec() == null ? null : pod.getSpec().getNodeSelector();
    Optional<String> pool =
        selector == null
            ? Optional.empty()
            : Optional.ofNullable(
                selector.get(dev.foresight.policy.supply.NodeClaimState.NODEPOOL_LABEL));
    return Optional.of(
        new PendingPod(t.namespace(), t.name(), owner, gpus(pod), t.created(), scheduled, pool));
  }
}
