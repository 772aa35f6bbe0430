package dev.foresight.policy.guard;

import dev.foresight.policy.GpuReading;
import dev.foresight.policy.GuardRailEffect;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What the DCGM readings of one observation say, before they are applied to a recommendation.
 *
 * @param unhealthyPods pods with at least one GPU that has new XID errors (when that rail is on) or
 *     is hotter than the limit, sorted; each counts once however many of its GPUs are unhealthy
 * @param unhealthyEffects one {@link GuardRailEffect.Effect#UNHEALTHY_REPLICA} per unhealthy GPU
 *     and cause
 * @param lowHeadroom GPUs whose free framebuffer is below the headroom limit
 * @param meanUtilization mean {@code DCGM_FI_DEV_GPU_UTIL} over GPUs with a finite reading,
 *     percent; empty when there is none
 */
public record GpuAssessment(
    List<String> unhealthyPods,
    List<GuardRailEffect> unhealthyEffects,
    List<GpuReading> lowHeadroom,
    OptionalDouble meanUtilization) {

  public GpuAssessment {
    unhealthyPods = List.copyOf(unhealthyPods);
    unhealthyEffects = List.copyOf(unhealthyEffects);
    lowHeadroom = List.copyOf(lowHeadroom);
    Objects.requireNonNull(meanUtilization, "meanUtilization");
  }

  /** Replicas that do not count as capacity. */
  public int unhealthyReplicas() {
    return unhealthyPods.size();
  }
}
