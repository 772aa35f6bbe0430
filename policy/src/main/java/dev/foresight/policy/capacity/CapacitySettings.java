package dev.foresight.policy.capacity;

import java.util.Objects;

/**
 * How a {@link CapacityEstimator} learns. Usually derived from a validated {@code PredictionSpec}.
 *
 * @param prior the capacity assumed until {@code minSamples} qualifying observations exist (from a
 *     load test of one replica)
 * @param quantile the level of the learned estimate, in (0, 1)
 * @param minSamples qualifying observations needed before learned values replace the prior
 * @param window how many recent qualifying observations are kept
 * @param maxQueuePerReplica an observation qualifies only if at most this many requests per replica
 *     were waiting
 */
public record CapacitySettings(
    Capacity prior, double quantile, int minSamples, int window, double maxQueuePerReplica) {

  public CapacitySettings {
    Objects.requireNonNull(prior, "prior");
    if (!(prior.requestsPerSecond() > 0)
        || !(quantile > 0 && quantile < 1)
        || minSamples < 1
        || window < minSamples
        || !(maxQueuePerReplica >= 0)) {
      throw new IllegalArgumentException(
          "invalid capacity settings (validate with PredictionSpec.problems()): " + this);
    }
  }
}
