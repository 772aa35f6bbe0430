package dev.foresight.controller.loop;

import dev.foresight.policy.Decision;
import dev.foresight.policy.DecisionEngine;
import dev.foresight.policy.Evaluation;
import dev.foresight.policy.Observation;
import dev.foresight.policy.PolicySpec;
import dev.foresight.policy.PolicyState;
import dev.foresight.policy.WorkloadRef;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The {@link DecisionMaker} backed by the policy module's {@link DecisionEngine}: it owns each
 * workload's {@link PolicyState}, passing it in and keeping what comes back, so that the engine
 * stays pure and a decision can be replayed from (spec, observation, state).
 *
 * <p>Decisions and {@link #seed seeds} of one workload are serialized on the map entry, so a state
 * rebuilt from history on another thread is never lost to a decision made at the same time.
 */
public final class EngineDecisionMaker implements DecisionMaker {

  private final Map<WorkloadRef, PolicyState> states = new ConcurrentHashMap<>();

  @Override
  public Decision decide(WorkloadRef workload, PolicySpec spec, Observation observation) {
    Decision[] decision = new Decision[1];
    states.compute(
        workload,
        (w, state) -> {
          Evaluation e =
              DecisionEngine.decide(
                  spec, observation, state == null ? PolicyState.initial() : state);
          decision[0] = e.decision();
          return e.state();
        });
    return decision[0];
  }

  /**
   * Replaces the state of {@code workload} with {@code change} applied to it (to the initial state
   * when it has none yet), atomically with respect to {@link #decide}.
   *
   * @return the state installed
   */
  public PolicyState seed(WorkloadRef workload, UnaryOperator<PolicyState> change) {
    return states.compute(
        workload, (w, state) -> change.apply(state == null ? PolicyState.initial() : state));
  }

  @Override
  public void forget(WorkloadRef workload) {
    states.remove(workload);
  }
}
