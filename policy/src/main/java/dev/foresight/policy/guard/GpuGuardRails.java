package dev.foresight.policy.guard;

import dev.foresight.policy.GpuReading;
import dev.foresight.policy.GuardRailEffect;
import dev.foresight.policy.GuardRailEffect.Effect;
import dev.foresight.policy.GuardRailEffect.Rail;
import dev.foresight.policy.GuardRailSpec;
import dev.foresight.policy.signal.Numbers;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.TreeSet;

/**
 * The DCGM guard-rails: reads per-GPU readings against {@link GuardRailSpec} thresholds.
 *
 * <ul>
 *   <li>XID errors: a GPU with {@code xidErrorsInWindow > 0} (when {@code xidErrorsMakeUnhealthy})
 *       makes its pod unhealthy.
 *   <li>Temperature: a GPU with {@code temperatureCelsius > maxTemperatureCelsius} makes its pod
 *       unhealthy. A NaN temperature is no reading, not a fault.
 *   <li>Framebuffer headroom: a GPU with {@code free / (used + free) < minFramebufferFreeFraction}
 *       (MiB / MiB) has low headroom; the engine then vetoes any scale-down, since the remaining
 *       replicas would take over load they have no memory for.
 *   <li>Utilization: only the mean over GPUs, in percent, is reported here; it never asks for more
 *       replicas (it is pegged near 100% during any large batch). The engine uses sustained low
 *       utilization with an empty queue to permit a scale-down.
 * </ul>
 */
public final class GpuGuardRails {

  private GpuGuardRails() {}

  /** What {@code gpus} say under {@code spec}. */
  public static GpuAssessment assess(GuardRailSpec spec, List<GpuReading> gpus) {
    if (gpus.isEmpty()) {
      return new GpuAssessment(List.of(), List.of(), List.of(), OptionalDouble.empty());
    }
    TreeSet<String> unhealthyPods = new TreeSet<>();
    List<GuardRailEffect> effects = new ArrayList<>();
    List<GpuReading> lowHeadroom = new ArrayList<>();
    double utilizationSum = 0;
    int utilizationCount = 0;
    for (GpuReading gpu : gpus) {
      if (spec.xidErrorsMakeUnhealthy() && gpu.xidErrorsInWindow() > 0) {
        unhealthyPods.add(gpu.pod());
        effects.add(
            new GuardRailEffect(
                Rail.XID_ERRORS,
                Effect.UNHEALTHY_REPLICA,
                gpu.pod(),
                "GPU "
                    + gpu.gpu()
                    + " of pod "
                    + gpu.pod()
                    + " had "
                    + gpu.xidErrorsInWindow()
                    + " XID errors in the window: replica not counted as capacity"));
      }
      if (gpu.temperatureCelsius() > spec.maxTemperatureCelsius()) {
        unhealthyPods.add(gpu.pod());
        effects.add(
            new GuardRailEffect(
                Rail.TEMPERATURE,
                Effect.UNHEALTHY_REPLICA,
                gpu.pod(),
                "GPU "
                    + gpu.gpu()
                    + " of pod "
                    + gpu.pod()
                    + " at "
                    + Numbers.text(gpu.temperatureCelsius())
                    + " °C, above the limit "
                    + Numbers.text(spec.maxTemperatureCelsius())
                    + " °C: replica not counted as capacity"));
      }
      double free = gpu.framebufferFreeFraction();
      if (free < spec.minFramebufferFreeFraction()) {
        lowHeadroom.add(gpu);
      }
      if (Double.isFinite(gpu.utilizationPercent())) {
        utilizationSum += gpu.utilizationPercent();
        utilizationCount++;
      }
    }
    return new GpuAssessment(
        List.copyOf(unhealthyPods),
        effects,
        lowHeadroom,
        utilizationCount == 0
            ? OptionalDouble.empty()
            : OptionalDouble.of(utilizationSum / utilizationCount));
  }

  /**
   * The effect of low framebuffer headroom vetoing a scale-down from {@code from} to {@code to}.
   */
  public static GuardRailEffect vetoScaleDown(
      GuardRailSpec spec, List<GpuReading> lowHeadroom, int from, int to) {
    GpuReading worst = lowHeadroom.get(0);
    for (GpuReading gpu : lowHeadroom) {
      if (gpu.framebufferFreeFraction() < worst.framebufferFreeFraction()) {
        worst = gpu;
      }
    }
    return new GuardRailEffect(
        Rail.FRAMEBUFFER_HEADROOM,
        Effect.VETO_SCALE_DOWN,
        lowHeadroom.size() == 1 ? worst.pod() : "workload",
        lowHeadroom.size()
            + " GPU(s) below framebuffer headroom "
            + Numbers.text(spec.minFramebufferFreeFraction())
            + " (lowest: GPU "
            + worst.gpu()
            + " of pod "
            + worst.pod()
            + " with "
            + Numbers.text(worst.framebufferFreeFraction())
            + " free): scale-down "
            + from
            + " → "
            + to
            + " vetoed");
  }

  /**
   * The effect of unhealthy replicas (found by {@code rail}) capping a scale-down: {@code need}
   * healthy replicas plus {@code unhealthy} unhealthy ones stay instead of {@code signalsAsked}.
   */
  public static GuardRailEffect capScaleDown(Rail rail, int signalsAsked, int need, int unhealthy) {
    return new GuardRailEffect(
        rail,
        Effect.CAP_SCALE_DOWN,
        "workload",
        "scale-down to "
            + signalsAsked
            + " capped at "
            + (need + unhealthy)
            + " = "
            + need
            + " needed + "
            + unhealthy
            + " unhealthy, so no needed healthy capacity is removed");
  }

  /** The effect of sustained low utilization permitting a scale-down to {@code to}. */
  public static GuardRailEffect permitScaleDown(
      GuardRailSpec spec, double meanUtilization, String sustainedFor, int from, int to) {
    return new GuardRailEffect(
        Rail.LOW_UTILIZATION,
        Effect.PERMIT_SCALE_DOWN,
        "workload",
        "mean GPU utilization "
            + Numbers.text(meanUtilization)
            + "% below "
            + Numbers.text(spec.lowUtilizationPercent())
            + "% with an empty queue for "
            + sustainedFor
            + ": tolerance waived, scale-down "
            + from
            + " → "
            + to
            + " permitted");
  }
}
