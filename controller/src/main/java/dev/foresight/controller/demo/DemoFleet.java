package dev.foresight.controller.demo;

import dev.foresight.policy.WorkloadRef;
import dev.foresight.sim.LiveFleet;

/**
 * One governed workload's simulated fleet and how it is exposed.
 *
 * @param ref the workload Foresight governs
 * @param fleet its replicas
 * @param deployment the scale target's name; pods are {@code <deployment>-<n>}
 * @param path the HTTP path of its metrics, {@code /fleets/<index>/metrics}
 */
record DemoFleet(WorkloadRef ref, LiveFleet fleet, String deployment, String path) {

  String exposition(double speed) {
    return fleet.exposition(ref.namespace(), deployment, deployment + "-", speed);
  }
}
