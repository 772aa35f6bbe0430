package dev.foresight.controller.prometheus;

import dev.foresight.controller.metrics.SignalQuery;
import dev.foresight.policy.Signal;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The PromQL of one model server's metrics, by signal. Each signal's query aggregates the
 * workload's series to one value; where a server renamed a metric, the current name is tried first
 * and the deprecated one second ({@code a or b}).
 *
 * @param name the registry name, e.g. {@code vllm}
 * @param description what it reads, with the server's metric names
 * @param signals how each supported signal is queried
 */
public record Preset(String name, String description, Map<Signal, Template> signals) {

  /** Renders one signal's query for one workload. */
  @FunctionalInterface
  public interface Template {
    SignalQuery render(QueryContext context);
  }

  public Preset {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    EnumMap<Signal, Template> copy = new EnumMap<>(Signal.class);
    copy.putAll(signals);
    signals = Collections.unmodifiableMap(copy);
  }

  /** The query of {@code signal} for {@code context}, if this preset supports the signal. */
  public Optional<SignalQuery> query(Signal signal, QueryContext context) {
    return Optional.ofNullable(signals.get(signal)).map(t -> t.render(context));
  }

  /** Sum over the workload's series of a gauge, trying {@code names} in order. */
  static Template sum(String... names) {
    return aggregate("sum", "", names);
  }

  /** Mean over the workload's series of a gauge, trying {@code names} in order. */
  static Template avg(String... names) {
    return aggregate("avg", "", names);
  }

  /** Sum of a gauge narrowed by extra label matchers, e.g. {@code request_type="waiting"}. */
  static Template sumWhere(String name, String matchers) {
    return aggregate("sum", matchers, name);
  }

  static Template aggregate(String op, String matchers, String... names) {
    SeriesAggregate.Op parts = op.equals("avg") ? SeriesAggregate.Op.AVG : SeriesAggregate.Op.SUM;
    return c ->
        preset(
            new SeriesAggregate(parts, List.of(names), matchers, Duration.ZERO, c.selector()),
            newest(c, matchers, names));
  }

  /** Per-second rate of a counter, summed over the workload's series. */
  static Template rate(String... counters) {
    return c ->
        preset(
            new SeriesAggregate(
                SeriesAggregate.Op.RATE, List.of(counters), "", c.window(), c.selector()),
            newest(c, "", counters));
  }

  private static SignalQuery preset(SeriesAggregate aggregate, String newest) {
    return SignalQuery.preset(aggregate.promql(), newest, aggregate);
  }

  /**
   * The {@code q} quantile of a histogram over the window: {@code histogram_quantile(q, sum by (le)
   * (rate(bucket[w])))}. NaN when no request completed in the window.
   */
  static Template quantile(double q, String... buckets) {
    return c ->
        SignalQuery.preset(
            List.of(buckets).stream()
                .map(
                    b ->
                        "histogram_quantile("
                            + q
                            + ", sum by (le) (rate("
                            + c.series(b)
                            + c.range()
                            + ")))")
                .collect(Collectors.joining(" or ")),
            newest(c, "", buckets));
  }

  /** Either template's query, the first when it has an answer ({@code a or b}). */
  static Template firstOf(Template a, Template b) {
    return c -> {
      SignalQuery qa = a.render(c);
      SignalQuery qb = b.render(c);
      Optional<String> newest =
          qa.newestSampleTime()
              .flatMap(x -> qb.newestSampleTime().map(y -> "max((" + x + ") or (" + y + "))"));
      return new SignalQuery(
          "(" + qa.value() + ") or (" + qb.value() + ")",
          newest,
          qa.batchable() && qb.batchable() && newest.isPresent(),
          Optional.empty());
    };
  }

  /** {@code max(timestamp(a{sel}) or timestamp(b{sel}))}: the newest raw sample's time. */
  static String newest(QueryContext c, String matchers, String... names) {
    return "max("
        + List.of(names).stream()
            .map(n -> "timestamp(" + c.series(n, matchers) + ")")
            .collect(Collectors.joining(" or "))
        + ")";
  }

  /** Signals and their template order preserved, for documentation. */
  public Map<String, String> describe(QueryContext context) {
    Map<String, String> d = new LinkedHashMap<>();
    signals.forEach((s, t) -> d.put(s.wireName(), t.render(context).value()));
    return d;
  }
}
