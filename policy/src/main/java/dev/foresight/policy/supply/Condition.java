package dev.foresight.policy.supply;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a {@code status.conditions} list ({@code metav1.Condition} shape, as Karpenter's
 * NodeClaims and NodePools and core Pods write it).
 *
 * @param type the condition type, e.g. {@code Launched}, {@code Registered}, {@code Initialized},
 *     {@code PodScheduled}
 * @param status True, False or Unknown
 * @param reason CamelCase reason, empty when absent (e.g. {@code LaunchFailed}, {@code
 *     Unschedulable})
 * @param message readable detail, empty when absent
 * @param lastTransitionTime when the status last changed
 */
public record Condition(
    String type,
    ConditionStatus status,
    String reason,
    String message,
    Instant lastTransitionTime) {

  public Condition {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(status, "status");
    reason = reason == null ? "" : reason;
    message = message == null ? "" : message;
    Objects.requireNonNull(lastTransitionTime, "lastTransitionTime");
  }

  /**
   * Builds a condition from its fields as the API server writes them.
   *
   * @param field the conditions list's path, for errors, e.g. {@code nodeclaim/x.status.conditions}
   * @param type {@code type}
   * @param status {@code status}: True, False or Unknown
   * @param reason {@code reason}, or null
   * @param message {@code message}, or null
   * @param lastTransitionTime {@code lastTransitionTime}
   */
  public static Condition fromFields(
      String field,
      String type,
      String status,
      String reason,
      String message,
      Instant lastTransitionTime) {
    if (type == null || type.isEmpty()) {
      throw new InvalidSupplyInputException(field + "[].type", String.valueOf(type), "a type");
    }
    if (lastTransitionTime == null) {
      throw new InvalidSupplyInputException(
          field + "[type=" + type + "].lastTransitionTime", "null", "an RFC 3339 time");
    }
    return new Condition(
        type,
        ConditionStatus.parse(field + "[type=" + type + "].status", status),
        reason,
        message,
        lastTransitionTime);
  }

  /** A condition that is True, with no reason. */
  public static Condition isTrue(String type, Instant at) {
    return new Condition(type, ConditionStatus.TRUE, "", "", at);
  }

  /** A condition that is False for {@code reason}. */
  public static Condition isFalse(String type, String reason, String message, Instant at) {
    return new Condition(type, ConditionStatus.FALSE, reason, message, at);
  }

  /** A condition whose status is Unknown, as Karpenter writes conditions it has not reached yet. */
  public static Condition unknown(String type, Instant at) {
    return new Condition(type, ConditionStatus.UNKNOWN, "", "", at);
  }

  /** True when the status is True. */
  public boolean holds() {
    return status == ConditionStatus.TRUE;
  }
}
