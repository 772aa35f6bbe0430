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
 * @param kvCacheUsage mean KV-cache usage of the ready replicas, a fraction in [0, 1]; {@code NaN}
 *     when not observed
 */
public record CapacityObservation(
    int readyReplicas,
    LoadSample load,
    boolean sloMet,
    double queuedRequests,
    double kvCacheUsage) {

  /** An observation without a KV-cache reading: only a queue can show the replicas were busy. */
  public CapacityObservation(
      int readyReplicas, LoadSample load, boolean sloMet, double queuedRequests) {
    this(readyReplicas, load, sloMet, queuedRequests, Double.NaN);
  }

  public CapacityObservation {
    Objects.requireNonNull(load, "load");
    if (readyReplicas < 0) {
      throw new InvalidSampleException("readyReplicas", readyReplicas, "0 or more");
    }
    if (!(queuedRequests >= 0) || Double.isInfinite(queuedRequests)) {
      throw new InvalidSampleException(
          "queuedRequests", queuedRequests, "a finite count of 0 or more");
    }
    if (!Double.isNaN(kvCacheUsage) && !(kvCacheUsage >= 0 && kvCacheUsage <= 1)) {
      throw new InvalidSampleException(
          "kvCacheUsage", kvCacheUsage, "a fraction in [0, 1], or NaN when not observed");
    }
  }
}
