package dev.foresight.controller.metrics;

import dev.foresight.controller.prometheus.SeriesAggregate;
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
 * @param batchable whether the query may run inside one request together with other workloads'
 *     queries: true only for preset queries, whose PromQL is known to parse and to yield an instant
 *     vector. Custom PromQL runs on its own, so that a broken or scalar query fails only its
 *     workload.
 * @param aggregate the same query in parts, when it is a plain sum, mean or rate of one metric over
 *     the workload's series: then one request can answer it for many workloads at less cost to
 *     Prometheus
 */
public record SignalQuery(
    String value,
    Optional<String> newestSampleTime,
    boolean batchable,
    Optional<SeriesAggregate> aggregate) {

  public SignalQuery {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(newestSampleTime, "newestSampleTime");
    Objects.requireNonNull(aggregate, "aggregate");
    if (aggregate.isPresent() && !batchable) {
      throw new IllegalArgumentException("only a preset's query has parts");
    }
    if (value.isBlank()) {
      throw new IllegalArgumentException("a signal query must not be blank");
    }
  }

  /** A query run on its own (custom PromQL). */
  public SignalQuery(String value, Optional<String> newestSampleTime) {
    this(value, newestSampleTime, false, Optional.empty());
  }

  public static SignalQuery of(String value) {
    return new SignalQuery(value, Optional.empty());
  }

  /** A preset's query, which may run batched with other workloads' queries of the same signal. */
  public static SignalQuery preset(String value, String newestSampleTime) {
    return new SignalQuery(value, Optional.of(newestSampleTime), true, Optional.empty());
  }

  /** A preset's query that is a plain aggregation, with its parts. */
  public static SignalQuery preset(
      String value, String newestSampleTime, SeriesAggregate aggregate) {
    return new SignalQuery(value, Optional.of(newestSampleTime), true, Optional.of(aggregate));
  }
}
