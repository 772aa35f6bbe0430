package dev.foresight.policy.capacity;

import java.util.Objects;

/**
 * The capacity per replica in use now.
 *
 * @param perReplica the capacity: learned per dimension where enough samples exist, the prior
 *     otherwise
 * @param learned whether the request-rate capacity is learned (false: the prior)
 * @param samples qualifying observations in the window
 */
public record CapacityEstimate(Capacity perReplica, boolean learned, int samples) {

  public CapacityEstimate {
    Objects.requireNonNull(perReplica, "perReplica");
  }
}
