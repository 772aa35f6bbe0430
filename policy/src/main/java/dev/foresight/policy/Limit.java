package dev.foresight.policy;

/** A behavior rule or bound that changed the recommended count on its way to the desired count. */
public enum Limit {
  /** HPA-style tolerance: the change was too small to act on. */
  TOLERANCE,
  /** The scale-up stabilization window chose a lower recommendation. */
  SCALE_UP_STABILIZATION,
  /** The scale-down stabilization window chose a higher recommendation. */
  SCALE_DOWN_STABILIZATION,
  /** A scale-up rate policy (Pods or Percent per period). */
  SCALE_UP_RATE,
  /** A scale-down rate policy (Pods or Percent per period). */
  SCALE_DOWN_RATE,
  /** Scale-up is disabled ({@code selectPolicy: Disabled}). */
  SCALE_UP_DISABLED,
  /** Scale-down is disabled ({@code selectPolicy: Disabled}). */
  SCALE_DOWN_DISABLED,
  /** {@code minReplicas}. */
  MIN_REPLICAS,
  /** {@code maxReplicas}. */
  MAX_REPLICAS,
  /** Node supply: what current nodes plus node-pool headroom can back. */
  NODE_SUPPLY
}
