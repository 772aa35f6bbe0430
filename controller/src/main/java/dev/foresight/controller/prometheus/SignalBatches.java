package dev.foresight.controller.prometheus;

import dev.foresight.controller.metrics.MetricsReading;
import dev.foresight.controller.metrics.SignalQuery;
import dev.foresight.controller.metrics.SignalRead;
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
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/**
 * One tick's preset signal queries, run in batches: per signal, the queries of up to {@link
 * #MAX_MEMBERS} (by default) workloads go to Prometheus as one request, and each workload gets back
 * exactly the series its own query would have returned.
 *
 * <p>The batched expression is the union of each member's own value-and-newest query ({@link
 * PrometheusMetricsSource#combined}), each tagged with its member number:
 *
 * <pre>
 * (label_replace((q0), "foresight_member", "0", "", "")) or (label_replace((q1), ...)) or ...
 * </pre>
 *
 * Prometheus evaluates every member's selector and aggregation as before, so sums, averages, rates
 * and {@code histogram_quantile} are the server's own arithmetic and a pod belongs to exactly the
 * workloads whose selectors match it. (Re-aggregating one {@code sum by (namespace, pod)} per
 * signal on this side could not reproduce {@code histogram_quantile} nor overlapping pod
 * selectors.) The union is built as a balanced tree, so that Prometheus's {@code or} does not grow
 * quadratically.
 *
 * <p>Per member the answer goes through the same {@link SampleRules} as an unbatched read: no
 * series is empty for that member only; NaN, infinities and staleness are judged per member with
 * its own limit. When the request fails, every member's signal fails with that error (and is
 * audited as such by the loop), except a {@link PrometheusException.Kind#BAD_QUERY}: then each
 * member runs its own query, so that one broken selector fails only its own workload. Only preset
 * queries ({@link SignalQuery#batchable()}) are batched; custom PromQL always runs on its own.
 */
final class SignalBatches implements TickReads {

  /** Most queries in one request: bounds the request size and what one failure holds. */
  static final int MAX_MEMBERS = 250;

  static final String MEMBER = "foresight_member";

  private final PrometheusMetricsSource source;
  private final Instant at;
  private final Map<SignalQuery, Batch> batchOf = new HashMap<>();
  private final List<Batch> batches = new ArrayList<>();

  private SignalBatches(PrometheusMetricsSource source, Instant at) {
    this.source = source;
    this.at = at;
  }

  /** Groups the batchable queries of {@code all} by signal and starts one request per batch. */
  static SignalBatches start(
      PrometheusMetricsSource source,
      Collection<WorkloadQueries> all,
      Instant at,
      PromQl prometheus,
      ExecutorService executor,
      int maxMembers) {
    SignalBatches tick = new SignalBatches(source, at);
    Map<Signal, LinkedHashMap<SignalQuery, Boolean>> bySignal = new EnumMap<>(Signal.class);
    for (WorkloadQueries w : all) {
      w.signals()
          .forEach(
              (signal, q) -> {
                if (q.batchable() && q.newestSampleTime().isPresent()) {
                  bySignal.computeIfAbsent(signal, s -> new LinkedHashMap<>()).put(q, true);
                }
              });
    }
    for (LinkedHashMap<SignalQuery, Boolean> queries : bySignal.values()) {
      List<SignalQuery> members = new ArrayList<>();
      for (SignalQuery q : queries.keySet()) {
        members.add(q);
        if (members.size() == maxMembers) {
          tick.add(new Batch(members));
          members = new ArrayList<>();
        }
      }
      if (!members.isEmpty()) {
        tick.add(new Batch(members));
      }
    }
    for (Batch b : tick.batches) {
      b.start(prometheus, at, executor);
    }
    return tick;
  }

  private void add(Batch b) {
    batches.add(b);
    for (SignalQuery q : b.members) {
      batchOf.put(q, b);
    }
  }

  @Override
  public CompletableFuture<Void> ready(WorkloadQueries queries) {
    List<CompletableFuture<Void>> waits = new ArrayList<>(queries.signals().size());
    for (SignalQuery q : queries.signals().values()) {
      Batch b = batchOf.get(q);
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
          Batch b = batchOf.get(q);
          if (b == null || !b.done.isDone()) {
            return source.readSignal(signal, q, at, maxAge);
          }
          return b.read(signal, q, at, maxAge, source);
        });
  }

  @Override
  public void close() {
    for (Batch b : batches) {
      b.stop();
    }
  }

  /** One request for up to {@link #MAX_MEMBERS} queries of one signal. */
  static final class Batch {
    final List<SignalQuery> members;
    private final Map<SignalQuery, Integer> numbers;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile Future<?> running;
    // Written before done completes, read after: done's completion publishes them.
    private List<QueryResult.Vector> values;
    private List<QueryResult.Vector> newest;
    private QueryResult other;
    private PrometheusException failure;

    Batch(List<SignalQuery> members) {
      this.members = List.copyOf(members);
      this.numbers = new HashMap<>(members.size() * 2);
      for (int i = 0; i < members.size(); i++) {
        numbers.put(members.get(i), i);
      }
    }

    void start(PromQl prometheus, Instant at, ExecutorService executor) {
      try {
        running = executor.submit(() -> fetch(prometheus, at));
      } catch (RejectedExecutionException e) {
        failure =
            new PrometheusException(
                PrometheusException.Kind.INTERRUPTED, "the loop is shutting down", e);
        done.complete(null);
      }
    }

    void stop() {
      Future<?> f = running;
      if (f != null && !done.isDone()) {
        f.cancel(true);
      }
    }

    private void fetch(PromQl prometheus, Instant at) {
      try {
        split(prometheus.instant(expression(members), at));
      } catch (PrometheusException e) {
        failure = e;
      } catch (RuntimeException e) {
        failure =
            new PrometheusException(PrometheusException.Kind.BAD_RESPONSE, String.valueOf(e), e);
      } finally {
        done.complete(null);
      }
    }

    /** Hands each member the samples tagged with its number, without the batch's own labels. */
    private void split(QueryResult result) {
      if (!(result instanceof QueryResult.Vector vector)) {
        other = result; // not what a union of vectors yields; every member sees it as is
        return;
      }
      List<List<QueryResult.Sample>> v = new ArrayList<>(members.size());
      List<List<QueryResult.Sample>> n = new ArrayList<>(members.size());
      for (int i = 0; i < members.size(); i++) {
        v.add(new ArrayList<>(1));
        n.add(new ArrayList<>(1));
      }
      for (QueryResult.Sample s : vector.samples()) {
        int member = memberOf(s.labels().get(MEMBER));
        if (member < 0) {
          continue;
        }
        Map<String, String> labels = new HashMap<>(s.labels());
        labels.remove(MEMBER);
        String part = labels.remove(PrometheusMetricsSource.PART);
        (PrometheusMetricsSource.NEWEST.equals(part) ? n : v)
            .get(member)
            .add(new QueryResult.Sample(labels, s.at(), s.value()));
      }
      List<QueryResult.Vector> values = new ArrayList<>(members.size());
      List<QueryResult.Vector> newest = new ArrayList<>(members.size());
      for (int i = 0; i < members.size(); i++) {
        values.add(new QueryResult.Vector(v.get(i)));
        newest.add(new QueryResult.Vector(n.get(i)));
      }
      this.values = values;
      this.newest = newest;
    }

    private int memberOf(String label) {
      if (label == null) {
        return -1;
      }
      try {
        int i = Integer.parseInt(label);
        return i >= 0 && i < members.size() ? i : -1;
      } catch (NumberFormatException e) {
        return -1;
      }
    }

    SignalRead read(
        Signal signal, SignalQuery q, Instant at, Duration maxAge, PrometheusMetricsSource source) {
      if (failure != null) {
        return failure.kind() == PrometheusException.Kind.BAD_QUERY
            ? source.readSignal(signal, q, at, maxAge)
            : SampleRules.failed(signal, failure);
      }
      if (other != null) {
        return SampleRules.interpret(signal, other, Optional.empty(), at, maxAge);
      }
      int i = numbers.get(q);
      return SampleRules.interpret(signal, values.get(i), Optional.of(newest.get(i)), at, maxAge);
    }
  }

  /** The union of the members' queries, each tagged with its number, as a balanced tree. */
  static String expression(List<SignalQuery> members) {
    StringBuilder out = new StringBuilder(members.size() * 400);
    union(members, 0, members.size(), out);
    return out.toString();
  }

  private static void union(List<SignalQuery> members, int from, int to, StringBuilder out) {
    if (to - from == 1) {
      out.append("label_replace((")
          .append(PrometheusMetricsSource.combined(members.get(from)))
          .append("), \"")
          .append(MEMBER)
          .append("\", \"")
          .append(from)
          .append("\", \"\", \"\")");
      return;
    }
    int mid = (from + to) >>> 1;
    out.append('(');
    union(members, from, mid, out);
    out.append(") or (");
    union(members, mid, to, out);
    out.append(')');
  }
}
