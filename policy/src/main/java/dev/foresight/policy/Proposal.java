package dev.foresight.policy;

import java.util.Objects;

/**
 * What one signal asked for in one decision, or why it asked for nothing.
 *
 * @param signal the signal
 * @param status whether the signal was used, and if not, why
 * @param value the observed value (NaN when missing)
 * @param target the configured target for the signal (NaN when none)
 * @param replicas replicas the signal asks for; meaningful only when {@link #usable()}
 * @param arithmetic the calculation in words and numbers, e.g. {@code ceil(37 waiting / 4 per
 *     replica) = 10}, or why it was skipped
 */
public record Proposal(
    Signal signal, Status status, double value, double target, int replicas, String arithmetic) {

  /** Whether a signal took part in the decision. */
  public enum Status {
    /** The signal proposed a replica count. */
    USED,
    /** The signal was not delivered. */
    MISSING,
    /** The newest sample is older than the staleness limit. */
    STALE,
    /** The sample is NaN. */
    NAN,
    /** The sample is positive or negative infinity. */
    INFINITE,
    /** The sample is outside the signal's domain (for example a negative queue length). */
    OUT_OF_RANGE
  }

  public Proposal {
    Objects.requireNonNull(signal, "signal");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(arithmetic, "arithmetic");
  }

  /** True when the proposal counts towards the decision. */
  public boolean usable() {
    return status == Status.USED;
  }
}
