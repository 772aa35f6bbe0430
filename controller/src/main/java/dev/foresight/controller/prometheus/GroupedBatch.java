package dev.foresight.controller.prometheus;

import dev.foresight.controller.config.Durations;
import dev.foresight.controller.metrics.SignalQuery;
import dev.foresight.controller.metrics.SignalRead;
import dev.foresight.policy.Signal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Many workloads' queries of one {@link SeriesAggregate.Shape} as one request that aggregates the
 * metric by the labels their selectors name, e.g. for vLLM's queue:
 *
 * <pre>
 * label_replace(sum by (namespace, pod) (vllm:num_requests_waiting{namespace=~"a|b"}), "foresight_part", "value0", "", "")
 * or label_replace(max by (namespace, pod) (timestamp(vllm:num_requests_waiting{namespace=~"a|b"})), "foresight_part", "newest0", "", "")
 * </pre>
 *
 * Each workload then adds up the groups its selector picks ({@link LabelMatchers}). A sum of group
 * sums is the sum, a mean is the sum of sums over the sum of counts, and a selector only names
 * labels the groups keep, so each workload reads what its own query reads, overlapping selectors
 * included, up to the order of floating-point additions. Prometheus evaluates each metric once per
 * tick instead of once per workload: for 1,000 workloads about 25 ms instead of 400 ms.
 *
 * <p>With several metric names (a deprecated one after the current), a workload takes the first
 * that has a group for it, as {@code sum(a{sel}) or sum(b{sel})} does; its newest sample is the
 * newest of every name's. A group whose match only Prometheus can tell ({@link
 * LabelMatchers.Match#UNKNOWN}) sends that workload to its own query.
 */
final class GroupedBatch extends BatchedRequest {

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final String VALUE = "value";
  private static final String COUNT = "count";

  private final SeriesAggregate.Shape shape;
  private final Map<SignalQuery, LabelMatchers> matchers;
  private final List<String> by;

  /** One aggregated group: its labels and, per part, its value if the part has it. */
  private static final class Group {
    final Map<String, String> labels;
    final double[] values;
    final boolean[] present;

    Group(Map<String, String> labels, int parts) {
      this.labels = labels;
      this.values = new double[parts];
      this.present = new boolean[parts];
    }
  }

  // Written before done completes, read after: done's completion publishes them.
  private List<Group> groups = List.of();
  private Map<String, NavigableMap<String, List<Group>>> byLabelValue = Map.of();
  private Instant answeredAt;
  private boolean unusable;

  /**
   * @param matchers each member's parsed selector; every member's aggregate has {@code shape}
   */
  GroupedBatch(SeriesAggregate.Shape shape, Map<SignalQuery, LabelMatchers> matchers) {
    super(List.copyOf(matchers.keySet()));
    this.shape = shape;
    this.matchers = Map.copyOf(matchers);
    Set<String> names = new TreeSet<>();
    matchers.values().forEach(m -> names.addAll(m.labelNames()));
    this.by = List.copyOf(names);
  }

  /** Parts per metric name: value, newest, and for a mean the count. */
  private int partsPerMetric() {
    return shape.op() == SeriesAggregate.Op.AVG ? 3 : 2;
  }

  private int valuePart(int metric) {
    return metric * partsPerMetric();
  }

  private int newestPart(int metric) {
    return metric * partsPerMetric() + 1;
  }

  private int countPart(int metric) {
    return metric * partsPerMetric() + 2;
  }

  private String partName(int part) {
    int metric = part / partsPerMetric();
    return switch (part % partsPerMetric()) {
      case 0 -> VALUE + metric;
      case 1 -> PrometheusMetricsSource.NEWEST + metric;
      default -> COUNT + metric;
    };
  }

  @Override
  String expression() {
    String grouping = " by (" + String.join(", ", by) + ") ";
    String matchers = matchersOf(shape.extraMatchers(), namespaceFilter());
    List<String> parts = new ArrayList<>();
    for (int k = 0; k < shape.metrics().size(); k++) {
      String series =
          matchers.isEmpty() ? shape.metrics().get(k) : shape.metrics().get(k) + matchers;
      String value =
          shape.op() == SeriesAggregate.Op.RATE
              ? "sum" + grouping + "(rate(" + series + "[" + windowText() + "]))"
              : "sum" + grouping + "(" + series + ")";
      parts.add(tagged(value, partName(valuePart(k))));
      parts.add(tagged("max" + grouping + "(timestamp(" + series + "))", partName(newestPart(k))));
      if (shape.op() == SeriesAggregate.Op.AVG) {
        parts.add(tagged("count" + grouping + "(" + series + ")", partName(countPart(k))));
      }
    }
    return String.join(" or ", parts);
  }

  private String windowText() {
    return Durations.format(shape.window());
  }

  private static String tagged(String expression, String part) {
    return "label_replace("
        + expression
        + ", \""
        + PrometheusMetricsSource.PART
        + "\", \""
        + part
        + "\", \"\", \"\")";
  }

  private static String matchersOf(String extra, String namespaces) {
    String inside =
        extra.isEmpty() ? namespaces : namespaces.isEmpty() ? extra : extra + "," + namespaces;
    return inside.isEmpty() ? "" : "{" + inside + "}";
  }

  /**
   * {@code namespace=~"a|b"} when every member names its namespace by equality, so Prometheus reads
   * only those namespaces' series; empty otherwise. Namespaces are DNS labels, so they need no
   * escaping in a regex.
   */
  private String namespaceFilter() {
    Set<String> namespaces = new TreeSet<>();
    for (LabelMatchers m : matchers.values()) {
      Optional<String> ns = m.equalityOn("namespace");
      if (ns.isEmpty() || !DNS_LABEL.matcher(ns.get()).matches()) {
        return "";
      }
      namespaces.add(ns.get());
    }
    return namespaces.size() == 1
        ? "namespace=\"" + namespaces.iterator().next() + "\""
        : "namespace=~\"" + String.join("|", namespaces) + "\"";
  }

  @Override
  void accept(QueryResult result) {
    if (!(result instanceof QueryResult.Vector vector)) {
      unusable = true; // not what a union of aggregations yields: each member asks on its own
      return;
    }
    int parts = partsPerMetric() * shape.metrics().size();
    Map<String, Integer> partNumbers = new HashMap<>();
    for (int p = 0; p < parts; p++) {
      partNumbers.put(partName(p), p);
    }
    Map<Map<String, String>, Group> table = new HashMap<>();
    for (QueryResult.Sample s : vector.samples()) {
      Map<String, String> labels = new HashMap<>(s.labels());
      Integer part = partNumbers.get(labels.remove(PrometheusMetricsSource.PART));
      if (part == null) {
        continue;
      }
      Group g = table.computeIfAbsent(Map.copyOf(labels), l -> new Group(l, parts));
      g.values[part] = s.value();
      g.present[part] = true;
      if (answeredAt == null) {
        answeredAt = s.at();
      }
    }
    Map<String, NavigableMap<String, List<Group>>> index = new HashMap<>();
    for (String label : by) {
      NavigableMap<String, List<Group>> values = new TreeMap<>();
      for (Group g : table.values()) {
        values.computeIfAbsent(g.labels.getOrDefault(label, ""), v -> new ArrayList<>()).add(g);
      }
      index.put(label, values);
    }
    this.groups = List.copyOf(table.values());
    this.byLabelValue = index;
  }

  @Override
  SignalRead answer(
      Signal signal,
      SignalQuery query,
      Instant at,
      Duration maxAge,
      PrometheusMetricsSource source) {
    if (unusable) {
      return source.readSignal(signal, query, at, maxAge);
    }
    LabelMatchers selector = matchers.get(query);
    List<Group> picked = new ArrayList<>();
    for (Group g : candidates(selector)) {
      switch (selector.test(g.labels)) {
        case YES -> picked.add(g);
        case NO -> {}
        case UNKNOWN -> {
          return source.readSignal(signal, query, at, maxAge);
        }
      }
    }
    Instant stamp = answeredAt == null ? at : answeredAt;
    Optional<Double> value = Optional.empty();
    for (int k = 0; k < shape.metrics().size() && value.isEmpty(); k++) {
      value = fold(picked, k);
    }
    return SampleRules.interpret(
        signal, oneOrNone(value, stamp), Optional.of(oneOrNone(newest(picked), stamp)), at, maxAge);
  }

  /** What an aggregation without grouping answers: one unlabelled sample, or none. */
  private static QueryResult.Vector oneOrNone(Optional<Double> value, Instant at) {
    return new QueryResult.Vector(
        value.map(v -> List.of(new QueryResult.Sample(Map.of(), at, v))).orElse(List.of()));
  }

  /** The sum (or mean) of metric {@code k} over the picked groups; empty if none has it. */
  private Optional<Double> fold(List<Group> picked, int k) {
    boolean any = false;
    double sum = 0;
    double count = 0;
    for (Group g : picked) {
      if (g.present[valuePart(k)]) {
        any = true;
        sum += g.values[valuePart(k)];
        if (shape.op() == SeriesAggregate.Op.AVG && g.present[countPart(k)]) {
          count += g.values[countPart(k)];
        }
      }
    }
    if (!any) {
      return Optional.empty();
    }
    return Optional.of(shape.op() == SeriesAggregate.Op.AVG ? sum / count : sum);
  }

  private Optional<Double> newest(List<Group> picked) {
    double newest = Double.NEGATIVE_INFINITY;
    boolean any = false;
    for (Group g : picked) {
      for (int k = 0; k < shape.metrics().size(); k++) {
        if (g.present[newestPart(k)]) {
          any = true;
          newest = Math.max(newest, g.values[newestPart(k)]);
        }
      }
    }
    return any ? Optional.of(newest) : Optional.empty();
  }

  /**
   * The groups that can match: those the most selective positive matcher picks by value or prefix
   * through the index, or every group when the selector has no positive matcher.
   */
  private static Collection<List<Group>> prefixed(
      NavigableMap<String, List<Group>> values, String prefix) {
    List<List<Group>> out = new ArrayList<>();
    for (Map.Entry<String, List<Group>> e : values.tailMap(prefix, true).entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        break; // sorted: every value with the prefix comes before the first without it
      }
      out.add(e.getValue());
    }
    return out;
  }

  private Collection<Group> candidates(LabelMatchers selector) {
    LabelMatchers.Matcher driving = null;
    int distinct = -1;
    for (LabelMatchers.Matcher m : selector.matchers()) {
      int d = byLabelValue.get(m.label()).size();
      if (!m.negated() && d > distinct) {
        driving = m;
        distinct = d;
      }
    }
    if (driving == null) {
      return groups;
    }
    NavigableMap<String, List<Group>> values = byLabelValue.get(driving.label());
    // In index order, so that the sums add up in the same order every tick.
    List<Group> out = new ArrayList<>();
    Map<Group, Boolean> seen = new IdentityHashMap<>();
    for (LabelMatchers.Alternative a : driving.alternatives()) {
      Collection<List<Group>> hits =
          a.restMinimum() < 0
              ? List.of(values.getOrDefault(a.literal(), List.of()))
              : prefixed(values, a.literal());
      for (List<Group> gs : hits) {
        for (Group g : gs) {
          if (seen.put(g, true) == null) {
            out.add(g);
          }
        }
      }
    }
    return out;
  }
}
