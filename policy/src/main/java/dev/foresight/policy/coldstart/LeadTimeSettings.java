package dev.foresight.policy.coldstart;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link LeadTimeEstimator} learns. Usually derived from a validated {@code PredictionSpec}.
 *
 * @param podStartupPrior pod start-up time assumed until {@code minSamples} were observed
 * @param nodeProvisioningPrior node provisioning time assumed until {@code minSamples} were
 *     observed; zero where nodes are never provisioned on demand
 * @param quantile the level of the estimate, in (0, 1); 0.9 by default
 * @param window how many recent start-ups of each kind are kept
 * @param minSamples start-ups needed before the learned value replaces the prior, at most {@code
 *     window}
 */
public record LeadTimeSettings(
    Duration podStartupPrior,
    Duration nodeProvisioningPrior,
    double quantile,
    int window,
    int minSamples) {

  public LeadTimeSettings {
    Objects.requireNonNull(podStartupPrior, "podStartupPrior");
    Objects.requireNonNull(nodeProvisioningPrior, "nodeProvisioningPrior");
    if (podStartupPrior.isNegative()
        || nodeProvisioningPrior.isNegative()
        || !(quantile > 0 && quantile < 1)
        || window < 1
        || minSamples < 1
        || minSamples > window) {
      throw new IllegalArgumentException(
          "invalid lead-time settings (validate with PredictionSpec.problems()): " + this);
    }
  }
}
