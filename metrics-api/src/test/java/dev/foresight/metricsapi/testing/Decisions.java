package dev.foresight.metricsapi.testing;

import dev.foresight.policy.Decision;
import dev.foresight.policy.PolicySpec;
import dev.foresight.policy.Proposal;
import dev.foresight.policy.Reason;
import dev.foresight.policy.Signal;
import dev.foresight.policy.StoredDecision;
import dev.foresight.policy.WorkloadRef;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Decisions as the controller would store them, for tests. */
public final class Decisions {

  private Decisions() {}

  /** A policy with targets for queue (4 waiting per replica) and KV cache (0.8). */
  public static PolicySpec spec() {
    return PolicySpec.builder()
        .target(Signal.QUEUE, 4)
        .target(Signal.KV_CACHE, 0.8)
        .minReplicas(1)
        .maxReplicas(20)
        .build();
  }

  /** A proposal that was used. */
  public static Proposal used(Signal s, double value, double target, int replicas) {
    return new Proposal(s, Proposal.Status.USED, value, target, replicas, "test");
  }

  /** A proposal that could not be made. */
  public static Proposal unusable(Signal s, Proposal.Status status, double target) {
    return new Proposal(s, status, Double.NaN, target, 0, "test: " + status);
  }

  /** A decision for {@code workload} at {@code at} with {@code desired} replicas. */
  public static StoredDecision stored(
      WorkloadRef workload, Instant at, int desired, List<Proposal> proposals) {
    Decision d =
        new Decision(
            at,
            3,
            3,
            desired,
            desired,
            proposals,
            Optional.of(Signal.QUEUE),
            Optional.empty(),
            List.of(),
            Optional.empty(),
            desired > 3 ? Reason.SCALE_UP : Reason.STEADY,
            "test decision",
            true);
    return new StoredDecision(workload, d, spec());
  }

  /** The usual decision: queue 37 waiting asks for 10, KV cache 0.73456 asks for 3; desired 10. */
  public static StoredDecision typical(WorkloadRef workload, Instant at) {
    return stored(
        workload,
        at,
        10,
        List.of(used(Signal.QUEUE, 37, 4, 10), used(Signal.KV_CACHE, 0.73456, 0.8, 3)));
  }
}
