package dev.foresight.controller.metrics;

import dev.foresight.policy.WorkloadRef;
import java.time.Duration;
import java.time.Instant;

/**
 * Reads one workload's signals, GPU readings and (optionally) replica counts at one instant.
 * Prometheus is behind the real one ({@link
 * dev.foresight.controller.prometheus.PrometheusMetricsSource}); {@link FakeMetricsSource} serves
 * unit tests.
 *
 * <p>Implementations never throw for a failed or empty query: they report it in the {@link
 * SignalRead}, so that one bad signal removes only its own proposal.
 */
public interface MetricsSource {

  /**
   * Reads {@code queries} as of {@code at}; a sample older than {@code maxAge} is stale.
   *
   * @param workload the workload, for logs and fakes
   */
  MetricsReading read(WorkloadRef workload, WorkloadQueries queries, Instant at, Duration maxAge);
}
