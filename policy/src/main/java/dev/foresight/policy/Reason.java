package dev.foresight.policy;

/**
 * The one reason that best explains a decision. The full story is in the {@link Decision}'s
 * proposals, guard-rail effects and limit; this is the summary that goes on a metric label and in a
 * status condition.
 */
public enum Reason {
  /** Usable signals ask for more replicas than there are. */
  SCALE_UP,
  /** Usable signals ask for fewer replicas, and every signal was usable. */
  SCALE_DOWN,
  /** Usable signals ask for the current count. */
  STEADY,
  /** The change asked for is within the tolerance band; the count holds. */
  WITHIN_TOLERANCE,
  /** No signal was usable; the count holds. */
  HOLD_NO_USABLE_SIGNAL,
  /** Some signals were unusable and the usable ones asked to scale down; the count holds. */
  HOLD_PARTIAL_SIGNALS,
  /** A higher recommendation within the scale-down stabilization window holds the count up. */
  HOLD_STABILIZATION,
  /** A GPU guard-rail blocked a scale-down. */
  HOLD_GUARD_RAIL,
  /** Unhealthy GPUs do not count as capacity; replicas were added to compensate. */
  GUARD_RAIL_COMPENSATION,
  /** A scale-up or scale-down rate policy limited the change. */
  RATE_LIMITED,
  /** The count was raised to the minimum. */
  BOUNDED_MIN,
  /** The count was capped at the maximum. */
  BOUNDED_MAX,
  /** The workload was idle for the idle period and min is 0: scaled to zero. */
  SCALE_TO_ZERO,
  /** The workload is at zero and stays there: nothing is waiting or arriving. */
  IDLE_AT_ZERO,
  /** The workload was at zero and work arrived. */
  WAKE_FROM_ZERO,
  /** The forecast load one lead time ahead needs more replicas than the reactive signals. */
  PREDICTIVE_SCALE_UP,
  /** A scale-down was held because the forecast needs the replicas again within the lead time. */
  HOLD_PREDICTED_LOAD,
  /** The count was capped at what current nodes plus node-pool headroom can back. */
  NODE_SUPPLY_CAPPED,
  /** Pending pods are already covered by in-flight nodes; no duplicate scale-up was asked. */
  HOLD_NODE_SUPPLY_IN_FLIGHT
}
