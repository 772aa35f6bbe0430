package dev.foresight.controller.metrics;

import java.util.Objects;

/**
 * The PromQL that reads the DCGM exporter's per-GPU gauges of one workload's pods. Each query
 * yields one series per GPU; series are joined on {@code podLabel} and {@code gpuLabel}.
 *
 * @param utilizationPercent {@code DCGM_FI_DEV_GPU_UTIL}, percent
 * @param framebufferUsedMiB {@code DCGM_FI_DEV_FB_USED}, MiB
 * @param framebufferFreeMiB {@code DCGM_FI_DEV_FB_FREE}, MiB
 * @param temperatureCelsius {@code DCGM_FI_DEV_GPU_TEMP}, degrees Celsius
 * @param xidErrorsInWindow new XID errors in the window: {@code changes(DCGM_FI_DEV_XID_ERRORS[w])}
 *     (the gauge holds the last XID code, so each change is a new error)
 * @param podLabel label naming the pod the GPU is allocated to (DCGM's {@code pod})
 * @param gpuLabel label identifying the GPU ({@code UUID}, else {@code gpu})
 */
public record GpuQueries(
    String utilizationPercent,
    String framebufferUsedMiB,
    String framebufferFreeMiB,
    String temperatureCelsius,
    String xidErrorsInWindow,
    String podLabel,
    String gpuLabel) {

  public GpuQueries {
    Objects.requireNonNull(utilizationPercent, "utilizationPercent");
    Objects.requireNonNull(framebufferUsedMiB, "framebufferUsedMiB");
    Objects.requireNonNull(framebufferFreeMiB, "framebufferFreeMiB");
    Objects.requireNonNull(temperatureCelsius, "temperatureCelsius");
    Objects.requireNonNull(xidErrorsInWindow, "xidErrorsInWindow");
    Objects.requireNonNull(podLabel, "podLabel");
    Objects.requireNonNull(gpuLabel, "gpuLabel");
  }
}
