package dev.foresight.sim.policy;

import dev.foresight.policy.Observation;
import java.time.Duration;

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
   *     target's {@code spec.replicas} and {@code readyReplicas} as its Ready pods
   */
  int evaluate(Observation observation);
}
