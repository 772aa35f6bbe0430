package dev.foresight.policy;

/**
 * Thresholds of the DCGM guard-rails.
 *
 * @param maxTemperatureCelsius a GPU hotter than this makes its replica unhealthy
 * @param xidErrorsMakeUnhealthy whether new XID errors in the window make the replica unhealthy
 * @param minFramebufferFreeFraction free framebuffer below this fraction of the total, on any GPU,
 *     blocks scale-down
 * @param lowUtilizationPercent mean GPU utilization below this, with an empty queue, may permit a
 *     scale-down; 0 turns the rule off
 */
public record GuardRailSpec(
    double maxTemperatureCelsius,
    boolean xidErrorsMakeUnhealthy,
    double minFramebufferFreeFraction,
    double lowUtilizationPercent) {

  /** 87 °C (below the slowdown threshold of data-centre GPUs), XID on, 5% framebuffer, 10% util. */
  public static GuardRailSpec defaults() {
    return new GuardRailSpec(87.0, true, 0.05, 10.0);
  }
}
