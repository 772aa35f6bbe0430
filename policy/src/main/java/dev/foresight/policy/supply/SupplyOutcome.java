package dev.foresight.policy.supply;

import dev.foresight.policy.Limit;
import dev.foresight.policy.Reason;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What node supply made of a recommendation.
 *
 * @param replicas the replica count after the supply rule
 * @param reason {@link Reason#NODE_SUPPLY_CAPPED} or {@link Reason#HOLD_NODE_SUPPLY_IN_FLIGHT} when
 *     supply changed the count, else empty
 * @param limit {@link Limit#NODE_SUPPLY} when supply changed the count, else empty
 * @param message the rule and its numbers, e.g. {@code capped 14 → 9: 6 scheduled + …}
 * @param maxBackable what nodes and headroom can back ({@code Integer.MAX_VALUE}: unbounded)
 * @param standingAsk the recommendation behind the replicas still waiting for nodes; pass it to the
 *     next call (empty once nothing is pending)
 */
public record SupplyOutcome(
    int replicas,
    Optional<Reason> reason,
    Optional<Limit> limit,
    String message,
    int maxBackable,
    OptionalInt standingAsk) {

  public SupplyOutcome {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(limit, "limit");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(standingAsk, "standingAsk");
    if (replicas < 0) {
      throw new IllegalArgumentException("replicas " + replicas + " < 0");
    }
    if (reason.isPresent() != limit.isPresent()) {
      throw new IllegalArgumentException("reason and limit go together: " + reason + " " + limit);
    }
  }

  /** True when supply changed the recommendation. */
  public boolean constrained() {
    return reason.isPresent();
  }
}
