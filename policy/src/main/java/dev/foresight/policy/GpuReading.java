package dev.foresight.policy;

import java.util.Objects;

/**
 * DCGM readings of one GPU serving the workload, as the DCGM exporter reports them.
 *
 * @param pod the pod the GPU is allocated to; a replica with any unhealthy GPU is unhealthy
 * @param gpu the GPU's identifier (DCGM's {@code gpu} or {@code UUID} label)
 * @param utilizationPercent {@code DCGM_FI_DEV_GPU_UTIL}, 0-100
 * @param framebufferUsedMiB {@code DCGM_FI_DEV_FB_USED}, MiB
 * @param framebufferFreeMiB {@code DCGM_FI_DEV_FB_FREE}, MiB
 * @param temperatureCelsius {@code DCGM_FI_DEV_GPU_TEMP}, degrees Celsius
 * @param xidErrorsInWindow XID errors counted in the guard-rail window ({@code
 *     DCGM_FI_DEV_XID_ERRORS} changes)
 */
public record GpuReading(
    String pod,
    String gpu,
    double utilizationPercent,
    double framebufferUsedMiB,
    double framebufferFreeMiB,
    double temperatureCelsius,
    long xidErrorsInWindow) {

  public GpuReading {
    Objects.requireNonNull(pod, "pod");
    Objects.requireNonNull(gpu, "gpu");
    if (xidErrorsInWindow < 0) {
      throw new IllegalArgumentException("xidErrorsInWindow must not be negative");
    }
  }

  /**
   * Free framebuffer as a fraction of the total (used + free); NaN when the total is unknown or
   * zero.
   */
  public double framebufferFreeFraction() {
    double total = framebufferUsedMiB + framebufferFreeMiB;
    return total > 0 ? framebufferFreeMiB / total : Double.NaN;
  }
}
