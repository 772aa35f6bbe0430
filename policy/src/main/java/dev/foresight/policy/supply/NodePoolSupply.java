package dev.foresight.policy.supply;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Node supply of one NodePool at one instant.
 *
 * <p>GPU headroom under the pool's limit, in GPUs:
 *
 * <pre>
 * headroom = spec.limits[gpu] − status.resources[gpu] − Σ gpus(c) over in-flight claims c without status.capacity
 * </pre>
 *
 * Karpenter's counter already counts a claim in {@code status.resources} once its capacity is known
 * (at launch), so only claims not launched yet are subtracted on top; counting launched ones again
 * would make the pool look fuller than Karpenter thinks it is. {@code gpus(c)} is the claim's
 * allocatable GPUs, or the GPUs it was requested for before launch. Headroom can be negative when
 * the limit was lowered under what exists; {@link #headroomGpus()} reports it as found.
 *
 * @param name the NodePool
 * @param gpuLimit {@code spec.limits[nvidia.com/gpu]}, empty when unlimited
 * @param gpusInUse {@code status.resources[nvidia.com/gpu]}
 * @param claimsInFlight NodeClaims launching, registering or initializing
 * @param gpusInFlight GPUs those claims bring
 * @param gpusInFlightUncounted GPUs of in-flight claims not yet in {@code status.resources}
 * @param headroomGpus GPUs Karpenter may still add under the limit; empty when unlimited
 * @param pendingPods unschedulable pods attributed to this pool
 * @param coveredPods of those, pods nominated to a live NodeClaim or node of this pool
 * @param freeGpusPerNode spare GPUs per node or in-flight claim (allocatable − bound − nominated),
 *     only nodes with at least one spare GPU
 * @param launchFailures in-flight claims whose launch is failing ({@code Launched=False})
 * @param stockouts InsufficientCapacityError Events within the window
 * @param lastStockout the newest of them
 */
public record NodePoolSupply(
    String name,
    OptionalInt gpuLimit,
    int gpusInUse,
    int claimsInFlight,
    int gpusInFlight,
    int gpusInFlightUncounted,
    OptionalInt headroomGpus,
    int pendingPods,
    int coveredPods,
    List<Integer> freeGpusPerNode,
    int launchFailures,
    int stockouts,
    Optional<Instant> lastStockout) {

  public NodePoolSupply {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(gpuLimit, "gpuLimit");
    Objects.requireNonNull(headroomGpus, "headroomGpus");
    freeGpusPerNode = List.copyOf(freeGpusPerNode);
    Objects.requireNonNull(lastStockout, "lastStockout");
  }

  /** Pending pods of this pool that no in-flight claim or node covers. */
  public int uncoveredPods() {
    return pendingPods - coveredPods;
  }

  /** Headroom clamped at zero: what {@code foresight_nodepool_gpu_headroom} exports. */
  public OptionalInt usableHeadroomGpus() {
    return headroomGpus.isPresent()
        ? OptionalInt.of(Math.max(0, headroomGpus.getAsInt()))
        : OptionalInt.empty();
  }
}
