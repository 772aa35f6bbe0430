package dev.foresight.controller.metrics;

import dev.foresight.policy.WorkloadRef;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The reads of one loop tick. Queries that many workloads share are started when the tick begins
 * ({@link MetricsSource#startTick}); each workload is read once the shared queries it depends on
 * have answered, so a slow shared query delays only the workloads that need it.
 */
public interface TickReads extends AutoCloseable {

  /**
   * Completes, normally, once every shared query {@code queries} depends on has answered or failed;
   * already complete when it depends on none.
   */
  CompletableFuture<Void> ready(WorkloadQueries queries);

  /**
   * Reads one workload at the tick's instant, from the shared answers where there are some and with
   * its own queries otherwise; the same contract as {@link MetricsSource#read}.
   */
  MetricsReading read(WorkloadRef workload, WorkloadQueries queries, Duration maxAge);

  /** Stops shared queries still running (the tick is over). */
  @Override
  void close();
}
