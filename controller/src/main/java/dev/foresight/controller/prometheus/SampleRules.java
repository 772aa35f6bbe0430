package dev.foresight.controller.prometheus;

import dev.foresight.controller.metrics.SignalRead;
import dev.foresight.controller.metrics.SignalRead.Outcome;
import dev.foresight.policy.Signal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The explicit rules that turn a query's result into a {@link SignalRead}:
 *
 * <ol>
 *   <li>no series (empty vector) → {@link Outcome#EMPTY}: the signal is absent, never zero;
 *   <li>more than one series → {@link Outcome#AMBIGUOUS}: the query must aggregate to one;
 *   <li>a range result (matrix) or a string → {@link Outcome#AMBIGUOUS};
 *   <li>NaN → {@link Outcome#NAN}; +Inf or -Inf → {@link Outcome#INFINITE};
 *   <li>the newest raw sample older than {@code maxAge} → {@link Outcome#STALE};
 *   <li>otherwise {@link Outcome#OK}.
 * </ol>
 *
 * <p>Age: Prometheus stamps an instant query's samples with the evaluation time, not the scrape
 * time, so the age comes from a second query, {@code max(timestamp(raw selector))}: age = {@code
 * at} − newest raw sample time, floored at zero. When that query has no answer the age is unknown
 * and counts as zero; Prometheus's own 5-minute lookback then bounds it.
 */
public final class SampleRules {

  private SampleRules() {}

  /**
   * Applies the rules.
   *
   * @param value the value query's result
   * @param newestSampleTime the newest-sample-time query's result, if it was run
   * @param at the observation instant the queries were evaluated at
   * @param maxAge the staleness limit
   */
  public static SignalRead interpret(
      Signal signal,
      QueryResult value,
      Optional<QueryResult> newestSampleTime,
      Instant at,
      Duration maxAge) {
    double v;
    if (value instanceof QueryResult.Scalar s) {
      v = s.value();
    } else if (value instanceof QueryResult.Vector vec) {
      if (vec.samples().isEmpty()) {
        return read(signal, Outcome.EMPTY, Double.NaN, Duration.ZERO, "no series");
      }
      if (vec.samples().size() > 1) {
        return read(
            signal,
            Outcome.AMBIGUOUS,
            Double.NaN,
            Duration.ZERO,
            vec.samples().size() + " series where one was expected; aggregate the query");
      }
      v = vec.samples().get(0).value();
    } else {
      return read(
          signal,
          Outcome.AMBIGUOUS,
          Double.NaN,
          Duration.ZERO,
          "expected an instant vector or scalar, got " + value.getClass().getSimpleName());
    }
    Optional<Instant> newest = newestSampleTime.flatMap(SampleRules::newest);
    Duration age = newest.map(t -> Duration.between(t, at)).orElse(Duration.ZERO);
    if (age.isNegative()) {
      age = Duration.ZERO;
    }
    String ageText = newest.isPresent() ? "age " + age.toMillis() + " ms" : "age unknown";
    if (Double.isNaN(v)) {
      return read(signal, Outcome.NAN, v, age, "NaN, " + ageText);
    }
    if (Double.isInfinite(v)) {
      return read(signal, Outcome.INFINITE, v, age, v + ", " + ageText);
    }
    if (age.compareTo(maxAge) > 0) {
      return read(
          signal,
          Outcome.STALE,
          v,
          age,
          ageText + " exceeds the limit of " + maxAge.toMillis() + " ms");
    }
    return read(signal, Outcome.OK, v, age, ageText);
  }

  /** The failure rule: the signal is absent and the error's kind is recorded. */
  public static SignalRead failed(Signal signal, PrometheusException e) {
    return new SignalRead(
        signal,
        Outcome.FAILED,
        Double.NaN,
        Duration.ZERO,
        Optional.of(e.kind()),
        String.valueOf(e.getMessage()));
  }

  private static Optional<Instant> newest(QueryResult r) {
    double seconds;
    if (r instanceof QueryResult.Scalar s) {
      seconds = s.value();
    } else if (r instanceof QueryResult.Vector v && v.samples().size() == 1) {
      seconds = v.samples().get(0).value();
    } else {
      return Optional.empty();
    }
    if (!Double.isFinite(seconds)) {
      return Optional.empty();
    }
    return Optional.of(Instant.ofEpochMilli(Math.round(seconds * 1000)));
  }

  private static SignalRead read(
      Signal signal, Outcome outcome, double value, Duration age, String detail) {
    return new SignalRead(signal, outcome, value, age, Optional.empty(), detail);
  }
}
