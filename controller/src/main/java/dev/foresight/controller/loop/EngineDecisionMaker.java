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

/**
 * The {@link DecisionMaker} backed by the policy module's {@link DecisionEngine}: it owns each
 * workload's {@link PolicyState}, passing it in and keeping what comes back, so that the engine
 * stays pure and a decision can be replayed from (spec, observation, state).
 */
public final class EngineDecisionMaker implements DecisionMaker {

  private final Map<WorkloadRef, PolicyState> states = new ConcurrentHashMap<>();

  @Override
  public Decision decide(WorkloadRef workload, PolicySpec spec, Observation observation) {
    PolicyState state = states.getOrDefault(workload, PolicyState.initial());
    Evaluation e = DecisionEngine.decide(spec, observation, state);
    states.put(workload, e.state());
    return e.decision();
  }

  @Override
  public void forget(WorkloadRef workload) {
    states.remove(workload);
  }
}
