package dev.foresight.scaler;

import dev.foresight.policy.Decision;
import dev.foresight.policy.PolicySpec;
import dev.foresight.policy.Reason;
import dev.foresight.policy.Signal;
import dev.foresight.policy.StoredDecision;
import dev.foresight.policy.WorkloadRef;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Decisions as the controller would store them, for tests. */
final class Decisions {

  static final PolicySpec SPEC =
      PolicySpec.builder().target(Signal.QUEUE, 4).minReplicas(0).maxReplicas(100).build();

  private Decisions() {}

  static StoredDecision stored(WorkloadRef workload, int desired, boolean active, Instant at) {
    Decision decision =
        new Decision(
            at,
            desired,
            desired,
            desired,
            desired,
            List.of(),
            Optional.empty(),
            Optional.empty(),
            List.of(),
            Optional.empty(),
            Reason.STEADY,
            "steady at " + desired,
            active);
    return new StoredDecision(workload, decision, SPEC);
  }
}
