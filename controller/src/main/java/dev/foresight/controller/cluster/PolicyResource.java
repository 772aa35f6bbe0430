package dev.foresight.controller.cluster;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.foresight.policy.WorkloadRef;
import java.util.Objects;

/**
 * A {@code ScalingPolicy} custom resource as read from the API: its identity, its scale target and
 * its spec as JSON (handed to {@link dev.foresight.controller.crd.ScalingPolicyKeys} and the policy
 * parser, which report bad values by key).
 *
 * @param ref the governed workload
 * @param targetApiVersion {@code spec.targetRef.apiVersion} ({@code apps/v1} when omitted)
 * @param generation {@code metadata.generation}, for {@code status.observedGeneration}
 * @param spec {@code spec} as JSON text
 */
public record PolicyResource(
    WorkloadRef ref, String targetApiVersion, long generation, String spec) {

  public PolicyResource {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(targetApiVersion, "targetApiVersion");
    Objects.requireNonNull(spec, "spec");
  }

  /** Reads a ScalingPolicy; fails with the field named when its identity or target is missing. */
  public static PolicyResource of(JsonObject object) {
    String ns = Fields.string("scalingpolicy", object, "metadata.namespace");
    String name = Fields.string("scalingpolicy", object, "metadata.name");
    if (ns == null || ns.isEmpty() || name == null || name.isEmpty()) {
      throw new InvalidObjectException(
          "scalingpolicy",
          ns == null || ns.isEmpty() ? "metadata.namespace" : "metadata.name",
          ns + "/" + name,
          "a namespace and a name");
    }
    String where = "scalingpolicy/" + ns + "/" + name;
    String kind = Fields.string(where, object, "spec.targetRef.kind");
    String target = Fields.string(where, object, "spec.targetRef.name");
    if (kind == null || kind.isEmpty()) {
      throw new InvalidObjectException(
          where, "spec.targetRef.kind", String.valueOf(kind), "a kind");
    }
    if (target == null || target.isEmpty()) {
      throw new InvalidObjectException(
          where, "spec.targetRef.name", String.valueOf(target), "a name");
    }
    String apiVersion = Fields.string(where, object, "spec.targetRef.apiVersion");
    String generation = Fields.string(where, object, "metadata.generation");
    JsonElement specField = Fields.at(object, "spec");
    if (specField != null && !specField.isJsonObject()) {
      throw new InvalidObjectException(where, "spec", specField.toString(), "an object");
    }
    JsonObject spec = specField == null ? new JsonObject() : specField.getAsJsonObject();
    long observed;
    try {
      observed = generation == null ? 0 : Long.parseLong(generation);
    } catch (NumberFormatException e) {
      throw new InvalidObjectException(where, "metadata.generation", generation, "an integer");
    }
    WorkloadRef ref;
    try {
      ref = new WorkloadRef(ns, name, kind, target);
    } catch (IllegalArgumentException e) {
      throw new InvalidObjectException(where, "metadata", ns + "/" + name, e.getMessage());
    }
    return new PolicyResource(
        ref,
        apiVersion == null || apiVersion.isEmpty() ? "apps/v1" : apiVersion,
        observed,
        spec.toString());
  }
}
