package dev.foresight.policy.supply;

import dev.foresight.policy.WorkloadRef;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A Pod of a governed workload in phase {@code Pending}.
 *
 * <pre>
 * namespace, name    metadata.namespace, metadata.name
 * owner              the workload its ownerReferences lead to (Pod → ReplicaSet → Deployment)
 * gpus               sum of containers[*].resources.requests["nvidia.com/gpu"] (limits when no
 *                    request: for extended resources the request defaults to the limit)
 * createdAt          metadata.creationTimestamp
 * scheduled          status.conditions[type=PodScheduled]; empty when the scheduler has not
 *                    looked at the pod yet
 * nodePoolSelector   spec.nodeSelector["karpenter.sh/nodepool"], when the pod is pinned to a pool
 * </pre>
 *
 * <p>Only pods the scheduler found no room for ({@code PodScheduled=False}, reason {@code
 * Unschedulable}) wait for node supply; a Pending pod that is already scheduled is pulling its
 * image and waits for nothing Foresight can help with.
 *
 * @param namespace namespace
 * @param name pod name
 * @param owner the governed workload
 * @param gpus GPUs the pod requests
 * @param createdAt creation instant
 * @param scheduled the PodScheduled condition, if set
 * @param nodePoolSelector the NodePool the pod is pinned to, if any
 */
public record PendingPod(
    String namespace,
    String name,
    WorkloadRef owner,
    int gpus,
    Instant createdAt,
    Optional<Condition> scheduled,
    Optional<String> nodePoolSelector) {

  /** The pod condition type the scheduler sets. */
  public static final String POD_SCHEDULED = "PodScheduled";

  /** The PodScheduled=False reason for pods the scheduler found no node for. */
  public static final String UNSCHEDULABLE = "Unschedulable";

  public PendingPod {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(scheduled, "scheduled");
    Objects.requireNonNull(nodePoolSelector, "nodePoolSelector");
    if (gpus < 0) {
      throw new InvalidSupplyInputException(
          "pod/" + namespace + "/" + name + " GPU requests", Integer.toString(gpus), ">= 0");
    }
    scheduled.ifPresent(
        c -> {
          if (!c.type().equals(POD_SCHEDULED)) {
            throw new InvalidSupplyInputException(
                "pod/" + namespace + "/" + name + " scheduled condition type",
                c.type(),
                POD_SCHEDULED);
          }
        });
  }

  /**
   * A pod the scheduler marked unschedulable at {@code since}.
   *
   * @param message the scheduler's message, e.g. {@code 0/12 nodes are available: 12 Insufficient
   *     nvidia.com/gpu.}
   */
  public static PendingPod unschedulable(
      WorkloadRef owner, String name, int gpus, Instant createdAt, Instant since, String message) {
    return new PendingPod(
        owner.namespace(),
        name,
        owner,
        gpus,
        createdAt,
        Optional.of(Condition.isFalse(POD_SCHEDULED, UNSCHEDULABLE, message, since)),
        Optional.empty());
  }

  /** True when the scheduler found no node for the pod: it waits for node supply. */
  public boolean unschedulable() {
    return scheduled
        .map(c -> c.status() == ConditionStatus.FALSE && c.reason().equals(UNSCHEDULABLE))
        .orElse(false);
  }

  /** {@code namespace/name}. */
  public String key() {
    return namespace + "/" + name;
  }
}
