package dev.foresight.controller.cluster;

import com.google.gson.JsonObject;
import dev.foresight.policy.supply.InvalidSupplyInputException;
import dev.foresight.policy.supply.NodeClaimState;
import dev.foresight.policy.supply.NodeClassRef;
import dev.foresight.policy.supply.NodePoolState;
import java.util.Map;

/**
 * Karpenter {@code karpenter.sh/v1} NodePools and NodeClaims, as the dynamic client reads them,
 * turned into the supply analysis's values. Pure.
 */
public final class KarpenterObjects {

  private KarpenterObjects() {}

  /** A NodePool: {@code spec.limits}, {@code status.resources}, {@code status.conditions}. */
  public static NodePoolState nodePool(JsonObject np) {
    String name = Fields.string("nodepool", np, "metadata.name");
    String where = "nodepool/" + name;
    try {
      return NodePoolState.fromFields(
          name,
          Fields.stringMap(where, np, "spec.limits"),
          Fields.stringMap(where, np, "status.resources"),
          Fields.conditions(where, np, "status.conditions"));
    } catch (InvalidSupplyInputException e) {
      throw new InvalidObjectException(where, e.field(), e.value(), e.expected());
    }
  }

  /**
   * A NodeClaim.
   *
   * @param gpusBound GPUs requested by pods bound to its node (from the pods the controller sees)
   */
  public static NodeClaimState nodeClaim(JsonObject nc, int gpusBound) {
    String name = Fields.string("nodeclaim", nc, "metadata.name");
    String where = "nodeclaim/" + name;
    Map<String, String> labels = Fields.stringMap(where, nc, "metadata.labels");
    java.time.Instant created = Fields.time(where, nc, "metadata.creationTimestamp");
    if (created == null) {
      throw new InvalidObjectException(where, "metadata.creationTimestamp", "null", "a time");
    }
    NodeClassRef ref =
        new NodeClassRef(
            orEmpty(Fields.string(where, nc, "spec.nodeClassRef.group")),
            orEmpty(Fields.string(where, nc, "spec.nodeClassRef.kind")),
            orEmpty(Fields.string(where, nc, "spec.nodeClassRef.name")));
    try {
      return NodeClaimState.fromFields(
          name,
          labels,
          ref,
          created,
          Fields.time(where, nc, "metadata.deletionTimestamp"),
          Fields.stringMap(where, nc, "spec.resources.requests"),
          Fields.stringMap(where, nc, "status.capacity"),
          Fields.stringMap(where, nc, "status.allocatable"),
          Fields.string(where, nc, "status.nodeName"),
          Fields.conditions(where, nc, "status.conditions"),
          gpusBound);
    } catch (InvalidSupplyInputException e) {
      throw new InvalidObjectException(where, e.field(), e.value(), e.expected());
    }
  }

  /** {@code status.nodeName} of a NodeClaim, or empty. */
  public static String nodeName(JsonObject nc) {
    return orEmpty(Fields.string("nodeclaim", nc, "status.nodeName"));
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
