package dev.foresight.controller.audit;

import dev.foresight.controller.metrics.SignalRead;
import dev.foresight.policy.Decision;
import dev.foresight.policy.Observation;
import dev.foresight.policy.WorkloadRef;
import java.util.List;
import java.util.Objects;

/**
 * One evaluation of one workload as the audit renders it: the decision and every input behind it.
 *
 * @param workload the workload
 * @param observation what the policy saw
 * @param decision what it decided
 * @param reads how each signal was read (outcome, age, error), in {@link
 *     dev.foresight.policy.Signal} order
 */
public record AuditRecord(
    WorkloadRef workload, Observation observation, Decision decision, List<SignalRead> reads) {

  public AuditRecord {
    Objects.requireNonNull(workload, "workload");
    Objects.requireNonNull(observation, "observation");
    Objects.requireNonNull(decision, "decision");
    reads = List.copyOf(reads);
  }

  /**
   * Whether this decision differs from {@code previous} in what it asks for or why: the desired
   * count, the reason, or the active flag.
   */
  public boolean changedFrom(Decision previous) {
    return previous == null
        || previous.desiredReplicas() != decision.desiredReplicas()
        || previous.reason() != decision.reason()
        || previous.active() != decision.active();
  }
}
