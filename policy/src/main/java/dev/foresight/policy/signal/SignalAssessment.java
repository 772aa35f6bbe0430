package dev.foresight.policy.signal;

import dev.foresight.policy.Proposal;
import java.util.Objects;

/**
 * What one signal asks for, with the two facts the engine needs beyond the {@link Proposal}: how
 * the count was reached, and the count the load needs without the tolerance band.
 *
 * @param proposal the proposal as the decision reports it
 * @param kind how {@code proposal.replicas()} was reached
 * @param need replicas the load needs by the signal's formula, without the tolerance band (equal to
 *     {@code proposal.replicas()} for {@link Kind#CHANGE}, except for latency); 0 when unusable or
 *     deferring, and for a latency signal held by tolerance or held while replicas start (see
 *     {@link LatencyRule})
 */
public record SignalAssessment(Proposal proposal, Kind kind, int need) {

  /** How a signal's replica count was reached. */
  public enum Kind {
    /** The reading could not be used; see the proposal's status. */
    UNUSABLE,
    /** The formula's result, outside the tolerance band (or from zero replicas). */
    CHANGE,
    /** The ratio was within {@code 1 ± tolerance}: the current count is proposed. */
    TOLERANCE_HOLD,
    /**
     * A latency signal at or below its target: no pressure, so it asks for nothing and leaves the
     * count to the capacity signals (latency alone never scales down).
     */
    DEFERS
  }

  public SignalAssessment {
    Objects.requireNonNull(proposal, "proposal");
    Objects.requireNonNull(kind, "kind");
  }

  /** True when the signal took part in the decision. */
  public boolean usable() {
    return kind != Kind.UNUSABLE;
  }
}
