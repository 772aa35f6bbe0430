package dev.foresight.controller.audit;

import dev.foresight.policy.WorkloadRef;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a decision is audited: metrics, history for {@code /decisions}, and one JSON log
 * line (logger {@code foresight.decisions}) when the decision changed.
 */
public final class DecisionAudit {

  private static final Logger DECISIONS = LoggerFactory.getLogger("foresight.decisions");

  private final AuditMetrics metrics;
  private final DecisionHistory history;
  private final DecisionJson json;

  public DecisionAudit(AuditMetrics metrics, DecisionHistory history, DecisionJson json) {
    this.metrics = metrics;
    this.history = history;
    this.json = json;
  }

  /**
   * Audits {@code r}.
   *
   * @return the JSON line logged, when the decision changed from the previous one
   */
  public Optional<String> record(AuditRecord r) {
    metrics.record(r);
    Optional<AuditRecord> previous = history.add(r);
    if (r.changedFrom(previous.map(AuditRecord::decision).orElse(null))) {
      String line = json.line(r);
      DECISIONS.info(line);
      return Optional.of(line);
    }
    return Optional.empty();
  }

  public void error(WorkloadRef workload, ErrorType type) {
    metrics.error(workload, type);
  }

  /** Errors of {@code type} counted for {@code workload} so far. */
  public double errors(WorkloadRef workload, ErrorType type) {
    return metrics.errors(workload, type);
  }

  public void loopDuration(Duration d) {
    metrics.loopDuration(d);
  }

  public void remove(WorkloadRef workload) {
    metrics.remove(workload);
    history.remove(workload);
  }
}
