package dev.foresight.policy.supply;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One node provisioning time: a NodeClaim from creation to {@code Initialized=True}.
 *
 * @param nodeClaim the claim's name (a stable key: the same claim is seen in every snapshot)
 * @param nodePool its NodePool
 * @param createdAt {@code metadata.creationTimestamp}
 * @param initializedAt {@code Initialized.lastTransitionTime}
 */
public record ProvisioningSample(
    String nodeClaim, String nodePool, Instant createdAt, Instant initializedAt) {

  public ProvisioningSample {
    Objects.requireNonNull(nodeClaim, "nodeClaim");
    Objects.requireNonNull(nodePool, "nodePool");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(initializedAt, "initializedAt");
    if (initializedAt.isBefore(createdAt)) {
      throw new IllegalArgumentException(
          "nodeclaim/" + nodeClaim + " initialized at " + initializedAt + " before " + createdAt);
    }
  }

  /** {@code initializedAt − createdAt}. */
  public Duration duration() {
    return Duration.between(createdAt, initializedAt);
  }

  /** The duration in seconds, for {@code foresight_node_provisioning_seconds}. */
  public double seconds() {
    return duration().toNanos() / 1e9;
  }
}
