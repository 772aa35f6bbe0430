package dev.foresight.policy;

/**
 * Whether the workload met its service-level objective over the interval an {@link Observation}
 * describes. Only an interval known to have met it teaches the capacity learner what one replica
 * sustains.
 */
public enum SloStatus {
  /** Every latency/TTFT objective held (for example TTFT p95 at or below its objective). */
  MET,
  /** Some objective was missed. */
  MISSED,
  /**
   * Not reported by the observer. The engine then judges by the policy's own latency targets: met
   * when the policy targets TTFT p95 or latency p95 and every such reading is fresh and at or below
   * its target; otherwise not known, and nothing is learned.
   */
  UNKNOWN
}
