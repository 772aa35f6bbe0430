package dev.foresight.sim.policy;

import dev.foresight.policy.GpuReading;
import dev.foresight.policy.Observation;
import java.time.Duration;
import java.util.List;

/**
 * The common baseline: an HPA on DCGM GPU utilization ({@code DCGM_FI_DEV_GPU_UTIL} as a Pods
 * metric through a metrics adapter), target average 75%, HPA's default behavior, 15 s sync.
 *
 * <p>Every GPU of a Running pod reports a value, so no pod is "missing"; a starting pod holds its
 * GPU at 0% and is counted (HPA's unready-pod handling applies to CPU only). Pending pods have no
 * GPU and are ignored. Because vLLM keeps the GPU busy whenever any batch runs, the metric sits
 * near 100% at almost any load: the policy scales up readily and scales down only when replicas
 * idle. The readings are those of the newest delivered scrape, as a metrics adapter serves them.
 */
public final class HpaGpuUtilizationPolicy implements ScalingPolicy {
  public static final String NAME = "hpa-gpu";

  /** Target average GPU utilization, percent. */
  public static final double TARGET_PERCENT = 75;

  private final HpaController hpa;

  public HpaGpuUtilizationPolicy(int minReplicas, int maxReplicas) {
    this.hpa = HpaController.withDefaultBehavior(minReplicas, maxReplicas);
  }

  static ScalingPolicy create(PolicyEnvironment env) {
    return new HpaGpuUtilizationPolicy(env.config().minReplicas(), env.config().maxReplicas());
  }

  @Override
  public Duration interval() {
    return Duration.ofSeconds(15);
  }

  @Override
  public int evaluate(Observation o) {
    List<GpuReading> gpus = o.gpus();
    double[] values = new double[gpus.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = gpus.get(i).utilizationPercent();
    }
    return hpa.reconcile(
        o.at(),
        o.currentReplicas(),
        HpaAlgorithm.plainMetricReplicas(
            o.currentReplicas(), values, 0, TARGET_PERCENT, HpaAlgorithm.DEFAULT_TOLERANCE));
  }
}
