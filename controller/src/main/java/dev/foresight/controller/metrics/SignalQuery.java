package dev.foresight.controller.metrics;

import java.util.Objects;
import java.util.Optional;

/**
 * The PromQL of one signal of one workload, rendered and ready to run.
 *
 * @param value an expression that yields one sample (a scalar, or a vector of one series): the
 *     signal's value
 * @param newestSampleTime an expression that yields the time, in seconds since the epoch, of the
 *     newest raw sample behind {@code value}, so that a stale value can be told from a fresh one;
 *     empty for custom PromQL without one (then the value's age counts as zero, bounded by
 *     Prometheus's own 5-minute lookback)
 */
public record SignalQuery(String value, Optional<String> newestSampleTime) {

  public SignalQuery {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(newestSampleTime, "newestSampleTime");
    if (value.isBlank()) {
      throw new IllegalArgumentException("a signal query must not be blank");
    }
  }

  public static SignalQuery of(String value) {
    return new SignalQuery(value, Optional.empty());
  }
}
