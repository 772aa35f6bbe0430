package dev.foresight.scaler;

import dev.foresight.policy.PolicySpec;
import dev.foresight.policy.WorkloadRef;

/**
 * Where inline policies written in a ScaledObject's trigger metadata go. The scaler never evaluates
 * a policy itself: it hands the parsed spec to the controller through this port and answers from
 * the decisions the controller then stores.
 *
 * <p>{@link #register} is called when a ScaledObject with an inline policy is first seen and again
 * whenever its metadata changes; {@link #touch} on every later request about it and on every
 * heartbeat of an open stream. KEDA never says that a ScaledObject was deleted, so a registry may
 * stop governing an inline policy nobody has asked about for a while; {@code touch} then answers
 * false and the scaler registers it again. Implementations must be idempotent, thread-safe and must
 * not block; {@code touch} sits on the request path.
 */
@FunctionalInterface
public interface InlinePolicyRegistry {

  /** Starts or updates governing {@code workload} by {@code spec}. */
  void register(WorkloadRef workload, PolicySpec spec);

  /**
   * Notes that KEDA still asks about {@code workload}.
   *
   * @return false when the registry does not govern {@code workload} as an inline policy (any
   *     more), so that the caller registers it again
   */
  default boolean touch(WorkloadRef workload) {
    return true;
  }

  /** A registry that drops everything: for a scaler serving only policy references. */
  InlinePolicyRegistry NONE = (workload, spec) -> {};
}
