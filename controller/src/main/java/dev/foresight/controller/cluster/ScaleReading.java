package dev.foresight.controller.cluster;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the scale subresource ({@code autoscaling/v1 Scale}) says about a target: the replicas it
 * asks for, the replicas that exist and the label selector of its pods. Pure.
 *
 * @param specReplicas {@code spec.replicas}: the count an autoscaler sets and Foresight reports as
 *     current
 * @param statusReplicas {@code status.replicas}: pods that exist
 * @param selector {@code status.selector}, parsed (equality-based terms only)
 */
public record ScaleReading(int specReplicas, int statusReplicas, Map<String, String> selector) {

  public ScaleReading {
    selector = Map.copyOf(selector);
  }

  /**
   * Parses a Scale's fields.
   *
   * @param where the target, for errors
   * @param selector {@code status.selector} in the label-selector string form ({@code a=b,c=d})
   */
  public static ScaleReading of(
      String where, Integer specReplicas, Integer statusReplicas, String selector) {
    return new ScaleReading(
        specReplicas == null ? 0 : specReplicas,
        statusReplicas == null ? 0 : statusReplicas,
        parseSelector(where, selector));
  }

  /** {@code a=b,c==d} to a map; set-based terms ({@code in}, {@code !=}, {@code !k}) fail. */
  static Map<String, String> parseSelector(String where, String selector) {
    Map<String, String> out = new LinkedHashMap<>();
    if (selector == null || selector.isBlank()) {
      throw new InvalidObjectException(
          where, "scale.status.selector", String.valueOf(selector), "a label selector");
    }
    for (String term : selector.split(",")) {
      String t = term.trim();
      int eq = t.indexOf('=');
      if (eq <= 0 || t.contains("!=") || t.contains(" in ") || t.contains(" notin ")) {
        throw new InvalidObjectException(
            where, "scale.status.selector", selector, "equality terms key=value separated by ','");
      }
      String value = t.substring(t.startsWith("=", eq + 1) ? eq + 2 : eq + 1).trim();
      out.put(t.substring(0, eq).trim(), value);
    }
    return out;
  }

  /** True when {@code labels} match the selector. */
  public boolean selects(Map<String, String> labels) {
    if (labels == null) {
      return selector.isEmpty();
    }
    for (Map.Entry<String, String> e : selector.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
