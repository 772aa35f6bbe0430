package dev.foresight.sim.policy;

import dev.foresight.policy.Observation;
import dev.foresight.policy.Reason;
import java.time.Duration;
import java.util.Optional;

/**
 * An autoscaler under test: every {@link #interval()} it sees what production would show it and
 * answers the replica count the scale target should have. Implementations keep their own memory
 * (stabilization windows, cooldowns) and read time only from the observation.
 */
public interface ScalingPolicy {
  /** Time between evaluations (for example HPA's 15 s sync period). */
  Duration interval();

  /**
   * The desired replica count.
   *
   * @param observation the newest delivered metrics, with {@code currentReplicas} as the scale
   *     target's {@code spec.replicas} and {@code readyReplicas} as its Ready pods; with node
   *     supply only when {@link #observesNodeSupply()}
   */
  int evaluate(Observation observation);

  /**
   * True when the autoscaler reads node supply (NodeClaims, NodePool limits, Pending pods) as
   * Foresight's controller does; HPA and KEDA do not, so they see none.
   */
  default boolean observesNodeSupply() {
    return false;
  }

  /** The reason of the newest decision, for autoscalers that give one. */
  default Optional<Reason> lastReason() {
    return Optional.empty();
  }
}
