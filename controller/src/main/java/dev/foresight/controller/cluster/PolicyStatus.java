package dev.foresight.controller.cluster;

import dev.foresight.policy.Decision;
import dev.foresight.policy.Reason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code status} of a ScalingPolicy rendered from one {@link Decision}: the printer columns'
 * fields ({@code desiredReplicas}, {@code currentReplicas}, {@code reason}), the last decision's
 * summary and four conditions. Pure: the previous conditions are an input so that a condition's
 * {@code lastTransitionTime} moves only when its status changes.
 *
 * <ul>
 *   <li>{@code Ready}: the policy is valid and decisions are being made;
 *   <li>{@code Active}: the decision is active (the workload is not idle at zero);
 *   <li>{@code Stale}: some signal was missing or stale, so some proposal was dropped;
 *   <li>{@code Fallback}: no signal was usable, so the count is held where it is (never lowered).
 * </ul>
 */
public final class PolicyStatus {

  private PolicyStatus() {}

  /** One condition as the API stores it (metav1.Condition). */
  public record StatusCondition(
      String type, String status, String reason, String message, Instant lastTransitionTime) {}

  /**
   * The status object (to be sent as a JSON merge patch of {@code /status}).
   *
   * @param previous the conditions currently on the resource, by type (empty on first write)
   */
  public static Map<String, Object> of(
      Decision d, long observedGeneration, Map<String, StatusCondition> previous) {
    boolean stale =
        d.reason() == Reason.HOLD_NO_USABLE_SIGNAL || d.reason() == Reason.HOLD_PARTIAL_SIGNALS;
    boolean fallback = d.reason() == Reason.HOLD_NO_USABLE_SIGNAL;
    String reason = camel(d.reason());
    List<StatusCondition> conditions = new ArrayList<>();
    conditions.add(condition(previous, "Ready", true, "DecisionMade", "policy is valid", d.at()));
    conditions.add(
        condition(
            previous,
            "Active",
            d.active(),
            d.active() ? "Active" : "IdleAtZero",
            d.active() ? "scaling on signals" : "idle at zero replicas",
            d.at()));
    conditions.add(
        condition(
            previous,
            "Stale",
            stale,
            stale ? reason : "SignalsFresh",
            stale ? d.message() : "every signal is fresh",
            d.at()));
    conditions.add(
        condition(
            previous,
            "Fallback",
            fallback,
            fallback ? reason : "SignalsUsable",
            fallback ? "no usable signal: holding " + d.currentReplicas() + " replicas" : "",
            d.at()));
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("observedGeneration", observedGeneration);
    status.put("desiredReplicas", d.desiredReplicas());
    status.put("currentReplicas", d.currentReplicas());
    status.put("reason", reason);
    status.put("message", d.message());
    status.put("lastDecisionTime", d.at().toString());
    List<Map<String, Object>> list = new ArrayList<>();
    for (StatusCondition c : conditions) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", c.type());
      m.put("status", c.status());
      m.put("reason", c.reason());
      m.put("message", c.message());
      m.put("lastTransitionTime", c.lastTransitionTime().toString());
      m.put("observedGeneration", observedGeneration);
      list.add(m);
    }
    status.put("conditions", list);
    return status;
  }

  /** The status when the policy cannot be parsed: Ready=False, reason InvalidSpec, the problems. */
  public static Map<String, Object> invalid(
      String problem, Instant at, long observedGeneration, Map<String, StatusCondition> previous) {
    StatusCondition ready =
        condition(previous, "Ready", false, InvalidPolicies.REASON, problem, at);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", ready.type());
    m.put("status", ready.status());
    m.put("reason", ready.reason());
    m.put("message", ready.message());
    m.put("lastTransitionTime", ready.lastTransitionTime().toString());
    m.put("observedGeneration", observedGeneration);
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("observedGeneration", observedGeneration);
    status.put("reason", InvalidPolicies.REASON);
    status.put("message", problem);
    status.put("conditions", List.of(m));
    return status;
  }

  private static StatusCondition condition(
      Map<String, StatusCondition> previous,
      String type,
      boolean holds,
      String reason,
      String message,
      Instant at) {
    String status = holds ? "True" : "False";
    StatusCondition old = previous.get(type);
    Instant since = old != null && old.status().equals(status) ? old.lastTransitionTime() : at;
    return new StatusCondition(type, status, reason, message, since);
  }

  /** {@code HOLD_NO_USABLE_SIGNAL} → {@code HoldNoUsableSignal} (a condition reason's form). */
  static String camel(Reason r) {
    StringBuilder b = new StringBuilder();
    for (String part : r.name().split("_")) {
      b.append(part.charAt(0)).append(part.substring(1).toLowerCase(java.util.Locale.ROOT));
    }
    return b.toString();
  }
}
