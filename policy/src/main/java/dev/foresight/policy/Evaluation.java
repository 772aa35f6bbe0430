package dev.foresight.policy;

import java.util.Objects;

/**
 * The result of one {@link DecisionEngine#decide} call: the decision and the policy state to pass
 * to the next call for the same workload.
 *
 * @param decision what to do now, with every reason behind it
 * @param state the policy's memory after this decision
 */
public record Evaluation(Decision decision, PolicyState state) {

  public Evaluation {
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(state, "state");
  }
}
