package dev.foresight.controller.prometheus;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A signal's history at a fixed step, as a forecaster consumes it: {@code values[i]} is the value
 * at {@code start + i * step}; NaN where Prometheus had no point (a gap, never a zero).
 *
 * @param start time of the first slot
 * @param step spacing of the slots
 * @param values one value per slot, NaN for a gap
 */
public record History(Instant start, Duration step, double[] values) {

  public History {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(step, "step");
    values = values.clone();
    if (step.isNegative() || step.isZero()) {
      throw new IllegalArgumentException("step must be positive: " + step);
    }
  }

  @Override
  public double[] values() {
    return values.clone();
  }

  /** Slots that hold a value. */
  public int present() {
    return (int) Arrays.stream(values).filter(v -> !Double.isNaN(v)).count();
  }

  /** Slots without a value. */
  public int gaps() {
    return values.length - present();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof History h
        && start.equals(h.start)
        && step.equals(h.step)
        && Arrays.equals(values, h.values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(start, step, Arrays.hashCode(values));
  }

  @Override
  public String toString() {
    return "History[start="
        + start
        + ", step="
        + step
        + ", slots="
        + values.length
        + ", gaps="
        + gaps()
        + "]";
  }
}
