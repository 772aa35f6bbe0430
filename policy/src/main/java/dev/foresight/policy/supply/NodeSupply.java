package dev.foresight.policy.supply;

import dev.foresight.policy.WorkloadRef;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Node supply as one workload sees it: how many of its pods wait for nodes, how many of those nodes
 * are coming, and how many more replicas the nodes and the NodePool limits can hold.
 *
 * <p>Usage, in the decision engine, after its own recommendation:
 *
 * <pre>{@code
 * NodeSupply supply = report.forWorkload(workload);
 * SupplyOutcome out = SupplyConstraint.apply(recommended, current, supply, standingAsk);
 * }</pre>
 *
 * @param workload the workload
 * @param observed how much is known about supply
 * @param nodePools the NodePools counted for it (empty without Karpenter)
 * @param gpusPerReplica GPUs one replica requests
 * @param pendingPods its unschedulable pods
 * @param coveredPods of those, pods nominated to a live NodeClaim or node, or for which
 *     cluster-autoscaler triggered a scale-up
 * @param gpusInFlight GPUs of in-flight NodeClaims in its NodePools
 * @param headroomGpus GPU headroom summed over its NodePools, each clamped at zero; empty when any
 *     of them has no GPU limit, or when supply is not observed
 * @param freeGpusPerNode spare GPUs per node or in-flight claim in its NodePools
 * @param recentStockouts InsufficientCapacityError Events in its NodePools within the window
 * @param blocked true when the evidence says new nodes are not coming: a recent stockout while pods
 *     wait uncovered, or cluster-autoscaler's NotTriggerScaleUp as the latest word on one of its
 *     pods. Blocked supply counts no NodePool headroom.
 */
public record NodeSupply(
    WorkloadRef workload,
    Observed observed,
    Set<String> nodePools,
    int gpusPerReplica,
    int pendingPods,
    int coveredPods,
    int gpusInFlight,
    OptionalInt headroomGpus,
    List<Integer> freeGpusPerNode,
    int recentStockouts,
    boolean blocked) {

  /** How much is known about node supply. */
  public enum Observed {
    /** Karpenter NodeClaims and NodePools were read: capacity, in-flight claims and limits. */
    KARPENTER,
    /** Karpenter is absent; only cluster-autoscaler Events and pod conditions are known. */
    EVENTS_ONLY
  }

  public NodeSupply {
    Objects.requireNonNull(workload, "workload");
    Objects.requireNonNull(observed, "observed");
    nodePools = Set.copyOf(nodePools);
    Objects.requireNonNull(headroomGpus, "headroomGpus");
    freeGpusPerNode = List.copyOf(freeGpusPerNode);
    if (coveredPods < 0 || coveredPods > pendingPods) {
      throw new IllegalArgumentException(
          workload + ": covered pods " + coveredPods + " not within 0.." + pendingPods);
    }
    if (gpusPerReplica < 0) {
      throw new IllegalArgumentException(workload + ": gpusPerReplica " + gpusPerReplica + " < 0");
    }
  }

  /** Nothing known about supply and nothing pending: the constraint never binds. */
  public static NodeSupply unconstrained(WorkloadRef workload, int gpusPerReplica) {
    return new NodeSupply(
        workload,
        Observed.EVENTS_ONLY,
        Set.of(),
        gpusPerReplica,
        0,
        0,
        0,
        OptionalInt.empty(),
        List.of(),
        0,
        false);
  }

  /**
   * Pending pods that nothing covers: the "fake scaling" ({@code foresight_pending_pods_unbacked}).
   */
  public int uncoveredPods() {
    return pendingPods - coveredPods;
  }

  /** True when every pending pod is covered by capacity on its way, and there is at least one. */
  public boolean pendingCoveredByInFlight() {
    return pendingPods > 0 && coveredPods == pendingPods;
  }

  /**
   * Replicas of this workload that fit on spare GPUs of existing nodes and in-flight claims,
   * without a new node: {@code Σ_n floor(freeGpus_n / gpusPerReplica)}; {@code Integer.MAX_VALUE}
   * when a replica needs no GPU.
   */
  public int freeReplicaSlots() {
    if (gpusPerReplica == 0) {
      return Integer.MAX_VALUE;
    }
    long slots = 0;
    for (int gpus : freeGpusPerNode) {
      slots += gpus / gpusPerReplica;
    }
    return (int) Math.min(Integer.MAX_VALUE, slots);
  }

  /**
   * True when {@code additionalReplicas} more replicas need a node that does not exist yet, so the
   * lead time of that scale-up includes node provisioning. Without Karpenter the free GPUs are
   * unknown and any scale-up of a GPU workload is assumed to need a node: a longer lead time only
   * makes the forecast look further ahead.
   */
  public boolean needsNewNodes(int additionalReplicas) {
    if (additionalReplicas <= 0 || gpusPerReplica == 0) {
      return false;
    }
    if (observed == Observed.EVENTS_ONLY) {
      return true;
    }
    return additionalReplicas > freeReplicaSlots();
  }

  /** {@link #maxBackableReplicas(int, int)} with this workload's own GPUs per replica. */
  public int maxBackableReplicas(int currentReplicas) {
    return maxBackableReplicas(gpusPerReplica, currentReplicas);
  }

  /**
   * How many replicas current nodes, nodes on their way and NodePool headroom can back, for
   * replicas of {@code g} GPUs each, {@code Integer.MAX_VALUE} when nothing limits it.
   *
   * <pre>
   * scheduled = max(0, currentReplicas − pendingPods)            replicas with a node
   * onTheWay  = coveredPods                                      nominated to a coming node
   * free      = Σ_n floor(freeGpus_n / g)                        spare GPUs, per node: a replica
   *                                                              cannot span nodes
   * headroom  = floor(headroomGpus / g), 0 when blocked          nodes Karpenter may still add
   * backable  = scheduled + onTheWay + free + headroom
   * </pre>
   *
   * Unbounded ({@code Integer.MAX_VALUE}) when {@code g = 0}, or when the headroom is unlimited and
   * supply is not blocked (a pool without a GPU limit, or no Karpenter at all). New nodes' sizes
   * are unknown, so {@code headroom} assumes GPUs pack perfectly; every other term is exact or an
   * overestimate, so the cap errs towards allowing growth.
   *
   * @param g GPUs per replica
   * @param currentReplicas replicas desired now ({@code spec.replicas}), pending ones included
   */
  public int maxBackableReplicas(int g, int currentReplicas) {
    if (g < 0 || currentReplicas < 0) {
      throw new IllegalArgumentException(
          "gpusPerReplica " + g + " and currentReplicas " + currentReplicas + " must be >= 0");
    }
    if (g == 0) {
      return Integer.MAX_VALUE;
    }
    if (!blocked && headroomGpus.isEmpty()) {
      return Integer.MAX_VALUE;
    }
    long scheduled = Math.max(0, currentReplicas - pendingPods);
    long free = 0;
    for (int gpus : freeGpusPerNode) {
      free += gpus / g;
    }
    long headroom = blocked ? 0 : headroomGpus.getAsInt() / g;
    return (int) Math.min(Integer.MAX_VALUE, scheduled + coveredPods + free + headroom);
  }

  /** The arithmetic of {@link #maxBackableReplicas(int, int)} in words and numbers. */
  public String backingArithmetic(int currentReplicas) {
    int g = gpusPerReplica;
    if (g == 0) {
      return "replicas need no GPUs";
    }
    if (!blocked && headroomGpus.isEmpty()) {
      return observed == Observed.KARPENTER
          ? "NodePools " + sorted() + " have no GPU limit"
          : "node supply not observed (no Karpenter)";
    }
    long scheduled = Math.max(0, currentReplicas - pendingPods);
    long free = 0;
    int freeGpus = 0;
    for (int gpus : freeGpusPerNode) {
      free += gpus / g;
      freeGpus += gpus;
    }
    String headroomPart =
        blocked
            ? "0 from headroom (blocked: "
                + (recentStockouts > 0
                    ? recentStockouts + " recent stockout(s)"
                    : "cluster-autoscaler will not scale up")
                + ")"
            : headroomGpus.getAsInt() / g
                + " from headroom (floor("
                + headroomGpus.getAsInt()
                + " GPUs / "
                + g
                + "))";
    return scheduled
        + " scheduled + "
        + coveredPods
        + " pending and covered + "
        + free
        + " on free GPUs ("
        + freeGpus
        + " spare on "
        + freeGpusPerNode.size()
        + " nodes) + "
        + headroomPart
        + " = "
        + maxBackableReplicas(g, currentReplicas)
        + " replicas of "
        + g
        + " GPU(s)";
  }

  private String sorted() {
    return nodePools.stream().sorted().toList().toString();
  }
}
