package dev.foresight.controller.loop;

import dev.foresight.policy.Decision;
import dev.foresight.policy.Observation;
import dev.foresight.policy.PolicySpec;
import dev.foresight.policy.WorkloadRef;

/**
 * Makes one workload's decision from one observation. The implementation owns each workload's
 * policy state (windows, forecaster, learned lead time) and is its only writer; the loop never
 * calls it concurrently for the same workload.
 */
public interface DecisionMaker {

  /** The decision for {@code observation} under {@code spec}; advances the workload's state. */
  Decision decide(WorkloadRef workload, PolicySpec spec, Observation observation);

  /** Drops the state of a workload that is no longer governed. */
  void forget(WorkloadRef workload);
}
