package dev.foresight.controller.metrics;

import dev.foresight.policy.Signal;
import dev.foresight.policy.WorkloadRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link MetricsSource} whose readings the test sets per workload: fixed values, a delay (to play
 * a slow Prometheus) or a thrown exception (to play a bug). A workload without readings gets every
 * queried signal {@link SignalRead.Outcome#EMPTY}.
 */
public final class FakeMetricsSource implements MetricsSource {

  private final Map<WorkloadRef, MetricsReading> readings = new ConcurrentHashMap<>();
  private final Map<WorkloadRef, Duration> delays = new ConcurrentHashMap<>();
  private final Map<WorkloadRef, RuntimeException> failures = new ConcurrentHashMap<>();
  private final Map<WorkloadRef, AtomicInteger> calls = new ConcurrentHashMap<>();

  /** Serves {@code values} as fresh OK reads for {@code workload}. */
  public FakeMetricsSource set(WorkloadRef workload, Map<Signal, Double> values) {
    List<SignalRead> reads = new ArrayList<>();
    values.forEach(
        (signal, v) ->
            reads.add(
                new SignalRead(
                    signal, SignalRead.Outcome.OK, v, Duration.ZERO, Optional.empty(), "fake")));
    return set(
        workload,
        new MetricsReading(
            reads, List.of(), Optional.empty(), OptionalInt.empty(), OptionalInt.empty()));
  }

  /** Serves {@code reading} for {@code workload}. */
  public FakeMetricsSource set(WorkloadRef workload, MetricsReading reading) {
    readings.put(workload, reading);
    return this;
  }

  /** Makes every read of {@code workload} take {@code delay} first. */
  public FakeMetricsSource delay(WorkloadRef workload, Duration delay) {
    delays.put(workload, delay);
    return this;
  }

  /** Makes every read of {@code workload} throw {@code failure}. */
  public FakeMetricsSource fail(WorkloadRef workload, RuntimeException failure) {
    failures.put(workload, failure);
    return this;
  }

  /** How often {@code workload} was read. */
  public int calls(WorkloadRef workload) {
    AtomicInteger n = calls.get(workload);
    return n == null ? 0 : n.get();
  }

  @Override
  public MetricsReading read(
      WorkloadRef workload, WorkloadQueries queries, Instant at, Duration maxAge) {
    calls.computeIfAbsent(workload, w -> new AtomicInteger()).incrementAndGet();
    Duration delay = delays.get(workload);
    if (delay != null) {
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while playing a slow read", e);
      }
    }
    RuntimeException failure = failures.get(workload);
    if (failure != null) {
      throw failure;
    }
    MetricsReading r = readings.get(workload);
    if (r != null) {
      return r;
    }
    List<SignalRead> empty = new ArrayList<>();
    for (Signal s : queries.signals().keySet()) {
      empty.add(
          new SignalRead(
              s, SignalRead.Outcome.EMPTY, Double.NaN, Duration.ZERO, Optional.empty(), "no data"));
    }
    return new MetricsReading(
        empty, List.of(), Optional.empty(), OptionalInt.empty(), OptionalInt.empty());
  }
}
