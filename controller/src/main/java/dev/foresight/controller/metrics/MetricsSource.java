package dev.foresight.controller.metrics;

import dev.foresight.policy.WorkloadRef;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;

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

  /**
   * Starts the reads of one tick at {@code at} for every workload's {@code queries}. Shared queries
   * run on the source's own threads, never on the loop's workers, so that workloads which share
   * nothing never queue behind them. The default shares nothing: each workload reads on its own.
   */
  default TickReads startTick(Collection<WorkloadQueries> queries, Instant at) {
    MetricsSource source = this;
    return new TickReads() {
      @Override
      public CompletableFuture<Void> ready(WorkloadQueries q) {
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public MetricsReading read(WorkloadRef workload, WorkloadQueries q, Duration maxAge) {
        return source.read(workload, q, at, maxAge);
      }

      @Override
      public void close() {}
    };
  }
}
