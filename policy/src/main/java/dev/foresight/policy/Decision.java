package dev.foresight.policy;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one evaluation of one workload, with every reason behind it. This one value is
 * what the audit metrics, the JSON decision log, the status conditions, the KEDA scaler, the
 * external metrics API and the simulator all render; nothing downstream re-derives reasons.
 *
 * @param at the observation instant the decision was made for
 * @param currentReplicas replicas desired on the target when observed
 * @param readyReplicas replicas Ready when observed
 * @param recommendedReplicas what the signals, guard-rails and prediction asked for, before
 *     behavior rules and bounds
 * @param desiredReplicas the decision: the replica count the target should have
 * @param proposals one proposal per signal with a target, in {@link Signal} order
 * @param winningSignal the signal whose proposal set the recommendation, if any
 * @param limit the behavior rule or bound that changed the recommendation, if any
 * @param guardRails every guard-rail that vetoed, capped, permitted or compensated
 * @param prediction the predictive proposal, when prediction is enabled
 * @param reason the one reason that best explains the decision
 * @param message a readable sentence with the numbers behind the reason
 * @param active whether the workload is active: what KEDA's IsActive answers
 */
public record Decision(
    Instant at,
    int currentReplicas,
    int readyReplicas,
    int recommendedReplicas,
    int desiredReplicas,
    List<Proposal> proposals,
    Optional<Signal> winningSignal,
    Optional<Limit> limit,
    List<GuardRailEffect> guardRails,
    Optional<Prediction> prediction,
    Reason reason,
    String message,
    boolean active) {

  public Decision {
    Objects.requireNonNull(at, "at");
    proposals = List.copyOf(proposals);
    Objects.requireNonNull(winningSignal, "winningSignal");
    Objects.requireNonNull(limit, "limit");
    guardRails = List.copyOf(guardRails);
    Objects.requireNonNull(prediction, "prediction");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
    if (desiredReplicas < 0 || recommendedReplicas < 0) {
      throw new IllegalArgumentException("replica counts must not be negative");
    }
  }

  /** The proposal of {@code signal}, if the policy has a target for it. */
  public Optional<Proposal> proposal(Signal signal) {
    return proposals.stream().filter(p -> p.signal() == signal).findFirst();
  }

  /** True when the decision keeps the current count. */
  public boolean holds() {
    return desiredReplicas == currentReplicas;
  }
}
