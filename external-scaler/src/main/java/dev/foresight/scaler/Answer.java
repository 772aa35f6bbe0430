package dev.foresight.scaler;

import dev.foresight.policy.StoredDecision;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the scaler answers for one workload at one instant, derived from the latest stored decision.
 *
 * <p>Safe answers when there is no decision yet (start-up, a workload just added): {@code active =
 * true}, so that KEDA neither scales the workload to zero nor deactivates it, and no replica count
 * at all, so that {@code GetMetrics} fails with {@code UNAVAILABLE} and the HPA keeps the current
 * count (an HPA whose only metric cannot be read does not rescale). A stale decision (older than
 * the stale limit: the controller has stopped deciding) is still answered with its desired count,
 * the last thing Foresight decided, which holds that count rather than inventing a new one; but it
 * is always active, because stale data must never take a workload to zero or keep it there.
 *
 * @param freshness whether the decision exists and is fresh
 * @param desiredReplicas the decided replica count; empty when there is no decision
 * @param active what IsActive answers
 * @param age age of the decision; zero when there is none
 */
public record Answer(
    Freshness freshness, Optional<Integer> desiredReplicas, boolean active, Duration age) {

  /** Whether there is a decision, and whether it is fresh. */
  public enum Freshness {
    FRESH,
    STALE,
    NONE
  }

  /**
   * The answer for {@code latest} at {@code now}, where decisions older than {@code staleAfter} are
   * stale.
   */
  static Answer of(Optional<StoredDecision> latest, Instant now, Duration staleAfter) {
    if (latest.isEmpty()) {
      return new Answer(Freshness.NONE, Optional.empty(), true, Duration.ZERO);
    }
    StoredDecision stored = latest.get();
    Duration age = stored.age(now);
    Freshness freshness = age.compareTo(staleAfter) > 0 ? Freshness.STALE : Freshness.FRESH;
    boolean active = stored.decision().active() || freshness == Freshness.STALE;
    return new Answer(freshness, Optional.of(stored.decision().desiredReplicas()), active, age);
  }
}
