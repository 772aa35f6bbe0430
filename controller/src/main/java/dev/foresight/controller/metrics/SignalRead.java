package dev.foresight.controller.metrics;

import dev.foresight.controller.prometheus.PrometheusException;
import dev.foresight.policy.Reading;
import dev.foresight.policy.Signal;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What reading one signal gave, with the rule that applied. Only {@link Outcome#delivers()
 * delivering} outcomes put a {@link Reading} into the observation; the policy then decides what a
 * NaN, infinite or stale reading means (it never scales down on them).
 *
 * @param signal the signal
 * @param outcome which rule applied
 * @param value the sample (NaN when none)
 * @param age time from the newest raw sample to the observation instant (zero when unknown)
 * @param error the failure's kind, for {@link Outcome#FAILED}
 * @param detail readable detail: the query's error, the series count, the age
 */
public record SignalRead(
    Signal signal,
    Outcome outcome,
    double value,
    Duration age,
    Optional<PrometheusException.Kind> error,
    String detail) {

  /** The typed rules for a query's result. */
  public enum Outcome {
    /** One finite sample, fresh. */
    OK(true),
    /** No series: the metric is not exported, not scraped, or marked stale by Prometheus. */
    EMPTY(false),
    /** The sample is NaN (for example a quantile over no requests). */
    NAN(true),
    /** The sample is +Inf or -Inf. */
    INFINITE(true),
    /** One sample, older than the staleness limit. */
    STALE(true),
    /** More than one series where one was expected: the query does not aggregate. */
    AMBIGUOUS(false),
    /** The query failed; {@link SignalRead#error()} says how. */
    FAILED(false);

    private final boolean delivers;

    Outcome(boolean delivers) {
      this.delivers = delivers;
    }

    /** Whether the outcome delivers a reading to the policy. */
    public boolean delivers() {
      return delivers;
    }
  }

  public SignalRead {
    Objects.requireNonNull(signal, "signal");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(age, "age");
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(detail, "detail");
  }

  /** The reading the policy sees, when the outcome delivers one. */
  public Optional<Reading> reading() {
    return outcome.delivers() ? Optional.of(new Reading(value, age)) : Optional.empty();
  }
}
