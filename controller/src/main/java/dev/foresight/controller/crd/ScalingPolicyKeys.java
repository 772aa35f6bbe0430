package dev.foresight.controller.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps the structured {@code spec.policy} of a {@code ScalingPolicy} resource onto the flat keys
 * that {@link dev.foresight.policy.PolicySpecParser} reads, so that the custom resource, KEDA
 * trigger metadata and the standalone file all end in the same typed {@link
 * dev.foresight.policy.PolicySpec}:
 *
 * <ul>
 *   <li>{@code minReplicas}, {@code maxReplicas}, {@code tolerance}, {@code idleBeforeScaleToZero},
 *       {@code maxSignalAge} keep their names;
 *   <li>{@code targets.<signal>} becomes {@code target.<signal>};
 *   <li>{@code behavior.<dir>.stabilizationWindowSeconds} and {@code selectPolicy} become {@code
 *       <dir>.…}; {@code behavior.<dir>.policies[]} becomes {@code <dir>.policies} = {@code
 *       Type=value/periods,…};
 *   <li>{@code guardRails.<field>} keeps its name.
 * </ul>
 *
 * <p>Unknown fields are passed through under their dotted path, so that the parser reports them.
 */
public final class ScalingPolicyKeys {

  private ScalingPolicyKeys() {}

  /** The flat keys of {@code policy} (the resource's {@code spec.policy}). */
  public static Map<String, String> flatten(JsonNode policy) {
    Map<String, String> flat = new LinkedHashMap<>();
    if (policy == null || !policy.isObject()) {
      return flat;
    }
    Iterator<Map.Entry<String, JsonNode>> it = policy.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      JsonNode v = e.getValue();
      switch (key) {
        case "targets" ->
            v.fields()
                .forEachRemaining(t -> flat.put("target." + t.getKey(), t.getValue().asText()));
        case "behavior" ->
            v.fields()
                .forEachRemaining(
                    dir ->
                        dir.getValue()
                            .fields()
                            .forEachRemaining(
                                f -> {
                                  String k = dir.getKey() + "." + f.getKey();
                                  flat.put(
                                      k,
                                      f.getKey().equals("policies")
                                          ? policies(f.getValue())
                                          : f.getValue().asText());
                                }));
        case "guardRails" ->
            v.fields()
                .forEachRemaining(g -> flat.put("guardRails." + g.getKey(), g.getValue().asText()));
        default -> flat.put(key, v.isValueNode() ? v.asText() : v.toString());
      }
    }
    return flat;
  }

  /** {@code [{type: Pods, value: 4, periodSeconds: 15}]} → {@code Pods=4/15s}. */
  private static String policies(JsonNode list) {
    List<String> parts = new ArrayList<>();
    for (JsonNode p : list) {
      parts.add(
          p.path("type").asText()
              + "="
              + p.path("value").asText()
              + "/"
              + p.path("periodSeconds").asText()
              + "s");
    }
    return String.join(",", parts);
  }
}
