package dev.foresight.scaler;

import dev.foresight.policy.PolicySpec;
import dev.foresight.policy.WorkloadRef;

/**
 * Where inline policies written in a ScaledObject's trigger metadata go. The scaler never evaluates
 * a policy itself: it hands the parsed spec to the controller through this port and answers from
 * the decisions the controller then stores.
 *
 * <p>Called when a ScaledObject with an inline policy is first seen and again whenever its metadata
 * changes; implementations must be idempotent, thread-safe and must not block.
 */
@FunctionalInterface
public interface InlinePolicyRegistry {

  /** Starts or updates governing {@code workload} by {@code spec}. */
  void register(WorkloadRef workload, PolicySpec spec);

  /** A registry that drops everything: for a scaler serving only policy references. */
  InlinePolicyRegistry NONE = (workload, spec) -> {};
}
