package dev.foresight.policy.coldstart;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a new replica takes to serve, as estimated now.
 *
 * @param podStartup a pod's own start-up, creation (or its node becoming initialized, whichever is
 *     later) to Ready: image pull, weight load, warm-up
 * @param nodeProvisioning node claim created to node initialized, when a node must be provisioned
 * @param podStartupLearned whether {@code podStartup} is learned (false: the prior)
 * @param nodeProvisioningLearned whether {@code nodeProvisioning} is learned (false: the prior)
 * @param podStartupSamples pod start-ups in the window
 * @param nodeProvisioningSamples node provisionings in the window
 */
public record LeadTime(
    Duration podStartup,
    Duration nodeProvisioning,
    boolean podStartupLearned,
    boolean nodeProvisioningLearned,
    int podStartupSamples,
    int nodeProvisioningSamples) {

  public LeadTime {
    Objects.requireNonNull(podStartup, "podStartup");
    Objects.requireNonNull(nodeProvisioning, "nodeProvisioning");
  }

  /**
   * Time from the decision to a serving replica: the pod start-up, plus node provisioning when the
   * new replica needs a new node.
   */
  public Duration total(boolean nodeNeeded) {
    return nodeNeeded ? podStartup.plus(nodeProvisioning) : podStartup;
  }
}
