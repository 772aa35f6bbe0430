package dev.foresight.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The latest decision for one workload as the servers read it.
 *
 * @param workload the workload
 * @param decision the latest decision
 * @param spec the policy spec the decision was made under (targets, bounds), so that readers can
 *     report targets without another lookup
 */
public record StoredDecision(WorkloadRef workload, Decision decision, PolicySpec spec) {

  public StoredDecision {
    Objects.requireNonNull(workload, "workload");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(spec, "spec");
  }

  /** How old the decision is at {@code now}; zero if {@code now} is before the decision. */
  public Duration age(Instant now) {
    Duration age = Duration.between(decision.at(), now);
    return age.isNegative() ? Duration.ZERO : age;
  }
}
