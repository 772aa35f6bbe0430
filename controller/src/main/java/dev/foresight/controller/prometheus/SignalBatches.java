package dev.foresight.controller.prometheus;

import dev.foresight.controller.metrics.MetricsReading;
import dev.foresight.controller.metrics.SignalQuery;
import dev.foresight.controller.metrics.TickReads;
import dev.foresight.controller.metrics.WorkloadQueries;
import dev.foresight.policy.Signal;
import dev.foresight.policy.WorkloadRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * One tick's preset signal queries, run in batches, each workload getting back exactly what its own
 * query would have returned:
 *
 * <ul>
 *   <li>a plain sum, mean or rate of one metric ({@link SignalQuery#aggregate}) over a selector
 *       that {@link LabelMatchers} can read: one {@link GroupedBatch} per metric for every such
 *       workload, which costs Prometheus one evaluation of the metric, not one per workload;
 *   <li>any other preset query (quantiles, fallbacks between metrics, selectors with other regular
 *       expressions): {@link UnionBatch}es of up to {@link #MAX_MEMBERS} (by default) workloads per
 *       signal, which Prometheus evaluates member by member.
 * </ul>
 *
 * <p>Per member the answer goes through the same {@link SampleRules} as an unbatched read: no
 * series is empty for that member only; NaN, infinities and staleness are judged per member with
 * its own limit. Failures are handled by {@link BatchedRequest}. Custom PromQL ({@link
 * SignalQuery#batchable()} false) always runs on its own.
 */
final class SignalBatches implements TickReads {

  /** Most queries in one request: bounds the request size and what one failure holds. */
  static final int MAX_MEMBERS = 250;

  private final PrometheusMetricsSource source;
  private final Instant at;
  private final Map<SignalQuery, BatchedRequest> batchOf = new HashMap<>();
  private final List<BatchedRequest> batches = new ArrayList<>();

  private SignalBatches(PrometheusMetricsSource source, Instant at) {
    this.source = source;
    this.at = at;
  }

  /** Groups the batchable queries of {@code all} and starts one request per batch. */
  static SignalBatches start(
      PrometheusMetricsSource source,
      Collection<WorkloadQueries> all,
      Instant at,
      PromQl prometheus,
      ExecutorService executor,
      int maxMembers) {
    SignalBatches tick = new SignalBatches(source, at);
    Map<SeriesAggregate.Shape, Map<SignalQuery, LabelMatchers>> grouped = new LinkedHashMap<>();
    Map<Signal, LinkedHashMap<SignalQuery, Boolean>> bySignal = new EnumMap<>(Signal.class);
    for (WorkloadQueries w : all) {
      w.signals()
          .forEach(
              (signal, q) -> {
                if (!q.batchable() || q.newestSampleTime().isEmpty()) {
                  return;
                }
                Optional<LabelMatchers> selector = groupable(q);
                if (selector.isPresent()) {
                  grouped
                      .computeIfAbsent(
                          q.aggregate().orElseThrow().shape(), s -> new LinkedHashMap<>())
                      .put(q, selector.get());
                } else {
                  bySignal.computeIfAbsent(signal, s -> new LinkedHashMap<>()).put(q, true);
                }
              });
    }
    grouped.forEach((shape, members) -> tick.add(new GroupedBatch(shape, members)));
    for (LinkedHashMap<SignalQuery, Boolean> queries : bySignal.values()) {
      List<SignalQuery> members = new ArrayList<>();
      for (SignalQuery q : queries.keySet()) {
        members.add(q);
        if (members.size() == maxMembers) {
          tick.add(new UnionBatch(members));
          members = new ArrayList<>();
        }
      }
      if (!members.isEmpty()) {
        tick.add(new UnionBatch(members));
      }
    }
    for (BatchedRequest b : tick.batches) {
      b.start(prometheus, at, executor);
    }
    return tick;
  }

  /**
   * The selector's matchers when {@code q} can go into a {@link GroupedBatch}: it has parts and a
   * selector that can be read here, naming none of the labels the batches add.
   */
  static Optional<LabelMatchers> groupable(SignalQuery q) {
    return q.aggregate()
        .flatMap(a -> LabelMatchers.parse(a.selector()))
        .filter(m -> m.labelNames().stream().noneMatch(l -> l.startsWith("foresight_")));
  }

  private void add(BatchedRequest b) {
    batches.add(b);
    for (SignalQuery q : b.members) {
      batchOf.put(q, b);
    }
  }

  @Override
  public CompletableFuture<Void> ready(WorkloadQueries queries) {
    List<CompletableFuture<Void>> waits = new ArrayList<>(queries.signals().size());
    for (SignalQuery q : queries.signals().values()) {
      BatchedRequest b = batchOf.get(q);
      if (b != null && !b.done.isDone()) {
        waits.add(b.done);
      }
    }
    return switch (waits.size()) {
      case 0 -> CompletableFuture.completedFuture(null);
      case 1 -> waits.get(0);
      default -> CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new));
    };
  }

  @Override
  public MetricsReading read(WorkloadRef workload, WorkloadQueries queries, Duration maxAge) {
    return source.read(
        queries,
        at,
        (signal, q) -> {
          BatchedRequest b = batchOf.get(q);
          if (b == null || !b.done.isDone()) {
            return source.readSignal(signal, q, at, maxAge);
          }
          return b.read(signal, q, at, maxAge, source);
        });
  }

  @Override
  public void close() {
    for (BatchedRequest b : batches) {
      b.stop();
    }
  }
}
