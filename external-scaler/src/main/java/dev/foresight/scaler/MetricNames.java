package dev.foresight.scaler;

import dev.foresight.policy.WorkloadRef;

/**
 * The external metric name of a workload: {@code foresight-<namespace>-<policy>}. Stable for as
 * long as the workload's namespace and policy name are, which is what KEDA and the HPA need: KEDA
 * stores it (prefixed with {@code sN-}) in the HPA it creates and asks for it by that name
 * afterwards.
 */
public final class MetricNames {

  private MetricNames() {}

  public static String of(WorkloadRef workload) {
    return "foresight-" + workload.namespace() + "-" + workload.policy();
  }
}
