package dev.foresight.policy.supply;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What Foresight reads of one Karpenter {@code karpenter.sh/v1} NodePool (cluster-scoped).
 *
 * <pre>
 * name          metadata.name
 * gpuLimit      spec.limits["nvidia.com/gpu"]      (empty: no GPU limit)
 * gpusInUse     status.resources["nvidia.com/gpu"] (0 when absent)
 * conditions    status.conditions (Ready, NodeRegistrationHealthy, ...; reported, not used in
 *               the arithmetic)
 * </pre>
 *
 * <p>{@code status.resources} is written by Karpenter's NodePool counter from its cluster state:
 * the capacity of every node and every launched NodeClaim of the pool, refreshed every few seconds.
 *
 * @param name NodePool name
 * @param gpuLimit the pool's GPU limit, if it has one
 * @param gpusInUse GPUs of the pool's launched claims and nodes
 * @param conditions status conditions
 */
public record NodePoolState(
    String name, OptionalInt gpuLimit, int gpusInUse, List<Condition> conditions) {

  public NodePoolState {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(gpuLimit, "gpuLimit");
    conditions = List.copyOf(conditions);
    gpuLimit.ifPresent(
        l -> {
          if (l < 0) {
            throw new InvalidSupplyInputException(
                "nodepool/" + name + ".spec.limits[nvidia.com/gpu]", Integer.toString(l), ">= 0");
          }
        });
    if (gpusInUse < 0) {
      throw new InvalidSupplyInputException(
          "nodepool/" + name + ".status.resources[nvidia.com/gpu]",
          Integer.toString(gpusInUse),
          ">= 0");
    }
  }

  /**
   * Builds the state from the NodePool's fields as a dynamic client reads them.
   *
   * @param name {@code metadata.name}
   * @param limits {@code spec.limits} (null or without {@code nvidia.com/gpu}: no GPU limit)
   * @param resources {@code status.resources} (null: nothing provisioned yet)
   * @param conditions {@code status.conditions}
   */
  public static NodePoolState fromFields(
      String name,
      Map<String, String> limits,
      Map<String, String> resources,
      List<Condition> conditions) {
    String field = "nodepool/" + name;
    OptionalInt limit =
        limits != null && limits.containsKey(GpuQuantity.NVIDIA_GPU)
            ? OptionalInt.of(GpuQuantity.in(field + ".spec.limits", limits))
            : OptionalInt.empty();
    return new NodePoolState(
        name, limit, GpuQuantity.in(field + ".status.resources", resources), conditions);
  }

  /** A pool with a GPU limit. */
  public static NodePoolState limited(String name, int gpuLimit, int gpusInUse) {
    return new NodePoolState(name, OptionalInt.of(gpuLimit), gpusInUse, List.of());
  }

  /** A pool without a GPU limit. */
  public static NodePoolState unlimited(String name, int gpusInUse) {
    return new NodePoolState(name, OptionalInt.empty(), gpusInUse, List.of());
  }
}
