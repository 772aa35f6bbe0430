package dev.foresight.controller.history;

import dev.foresight.policy.WorkloadRef;
import java.time.Instant;
import java.util.Objects;

/**
 * What one history rebuild did for one workload; rendered as a log line, a metric and on {@code
 * /decisions}.
 *
 * @param workload the workload
 * @param result what happened
 * @param points history points that held a request rate (at the range-query step)
 * @param samples forecaster samples built from them (at the forecaster's interval)
 * @param at when the rebuild finished
 * @param message the detail: the error, or why the state was kept
 */
public record SeedOutcome(
    WorkloadRef workload, Result result, int points, int samples, Instant at, String message) {

  /** What a rebuild did. */
  public enum Result {
    /** The forecaster was replaced by one rebuilt from history. */
    SEEDED,
    /** The running forecaster had already seen at least as many samples; it was kept. */
    KEPT,
    /** Prometheus had no request-rate point in the lookback: the state stays fresh. */
    EMPTY,
    /** The policy reads no request rate, so there is nothing to rebuild from. */
    NO_QUERY,
    /** A range query failed: the state stays fresh. */
    FAILED,
    /** The round's timeout passed first: the state stays fresh. */
    TIMED_OUT;

    /** The label value, e.g. {@code timed_out}. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public SeedOutcome {
    Objects.requireNonNull(workload, "workload");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(message, "message");
  }
}
