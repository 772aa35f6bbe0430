package dev.foresight.scaler;

import dev.foresight.policy.WorkloadRef;
import java.util.Objects;

/**
 * The workload one ScaledObject trigger is about, and the metric it is served under.
 *
 * @param workload the governed workload
 * @param metricName the external metric name, see {@link MetricNames}
 */
record Subject(WorkloadRef workload, String metricName) {
  Subject {
    Objects.requireNonNull(workload, "workload");
    Objects.requireNonNull(metricName, "metricName");
  }

  static Subject of(WorkloadRef workload) {
    return new Subject(workload, MetricNames.of(workload));
  }
}
