package dev.foresight.policy.capacity;

import dev.foresight.policy.forecast.InvalidSampleException;
import dev.foresight.policy.forecast.LoadSample;
import java.util.Objects;

/**
 * What the workload served in one interval and whether it stayed within its SLO.
 *
 * @param readyReplicas replicas Ready and serving
 * @param load the load served, summed over replicas
 * @param sloMet whether every latency/TTFT target held in the interval
 * @param queuedRequests requests waiting for a batch slot, summed over replicas
 */
public record CapacityObservation(
    int readyReplicas, LoadSample load, boolean sloMet, double queuedRequests) {

  public CapacityObservation {
    Objects.requireNonNull(load, "load");
    if (readyReplicas < 0) {
      throw new InvalidSampleException("readyReplicas", readyReplicas, "0 or more");
    }
    if (!(queuedRequests >= 0) || Double.isInfinite(queuedRequests)) {
      throw new InvalidSampleException(
          "queuedRequests", queuedRequests, "a finite count of 0 or more");
    }
  }
}
