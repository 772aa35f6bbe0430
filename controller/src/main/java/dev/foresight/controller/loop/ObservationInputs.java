package dev.foresight.controller.loop;

import dev.foresight.policy.Observation;
import dev.foresight.policy.WorkloadRef;

/**
 * Adds what the loop does not read from Prometheus to a workload's observation, just before it is
 * decided: in cluster mode pod start-ups, node provisionings and node supply.
 */
@FunctionalInterface
public interface ObservationInputs {

  /** Nothing to add (standalone mode). */
  ObservationInputs NONE = (workload, observation) -> observation;

  /** {@code observation} with this source's inputs for {@code workload}. */
  Observation complete(WorkloadRef workload, Observation observation);
}
