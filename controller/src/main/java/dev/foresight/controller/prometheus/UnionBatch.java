package dev.foresight.controller.prometheus;

import dev.foresight.controller.metrics.SignalQuery;
import dev.foresight.controller.metrics.SignalRead;
import dev.foresight.policy.Signal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Any preset queries of one signal as one request: the union of each member's own value-and-newest
 * query ({@link PrometheusMetricsSource#combined}), each tagged with its member number:
 *
 * <pre>
 * (label_replace((q0), "foresight_member", "0", "", "")) or (label_replace((q1), ...)) or ...
 * </pre>
 *
 * Prometheus evaluates every member's selector and aggregation as before, so sums, averages, rates
 * and {@code histogram_quantile} are the server's own arithmetic and overlapping selectors need no
 * care. It costs Prometheus one selector evaluation per member, which is why queries that {@link
 * GroupedBatch} can answer go there instead. The union is built as a balanced tree, so that
 * Prometheus's {@code or} does not grow quadratically.
 */
final class UnionBatch extends BatchedRequest {

  static final String MEMBER = "foresight_member";

  private final Map<SignalQuery, Integer> numbers;
  // Written before done completes, read after: done's completion publishes them.
  private List<QueryResult.Vector> values;
  private List<QueryResult.Vector> newest;
  private QueryResult other;

  UnionBatch(List<SignalQuery> members) {
    super(members);
    this.numbers = new HashMap<>(members.size() * 2);
    for (int i = 0; i < members.size(); i++) {
      numbers.put(members.get(i), i);
    }
  }

  @Override
  String expression() {
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

  /** Hands each member the samples tagged with its number, without the batch's own labels. */
  @Override
  void accept(QueryResult result) {
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

  @Override
  SignalRead answer(
      Signal signal,
      SignalQuery query,
      Instant at,
      Duration maxAge,
      PrometheusMetricsSource source) {
    if (other != null) {
      return SampleRules.interpret(signal, other, Optional.empty(), at, maxAge);
    }
    int i = numbers.get(query);
    return SampleRules.interpret(signal, values.get(i), Optional.of(newest.get(i)), at, maxAge);
  }
}
