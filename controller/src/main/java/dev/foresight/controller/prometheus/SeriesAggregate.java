package dev.foresight.controller.prometheus;

import dev.foresight.controller.config.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A preset signal in parts, when it is one aggregation of one metric over the workload's series: a
 * sum, a mean, or a summed per-second rate, of the first of {@code metrics} that has series for the
 * workload ({@code sum(a{sel}) or sum(b{sel})}). Queries of the same {@link #shape} can be answered
 * for many workloads by one request ({@link GroupedBatch}).
 *
 * @param op the aggregation
 * @param metrics the metric names, current first, deprecated after
 * @param extraMatchers the preset's own matchers, e.g. {@code request_type="waiting"}; may be empty
 * @param window the {@code rate()} window; zero for {@link Op#SUM} and {@link Op#AVG}
 * @param selector the workload's selector, as in its query
 */
public record SeriesAggregate(
    Op op, List<String> metrics, String extraMatchers, Duration window, String selector) {

  /** How the workload's series are aggregated. */
  public enum Op {
    SUM,
    AVG,
    /** {@code sum(rate(m[window]))} */
    RATE
  }

  /** What the members of one grouped request share: everything but the selector. */
  record Shape(Op op, List<String> metrics, String extraMatchers, Duration window) {}

  public SeriesAggregate {
    Objects.requireNonNull(op, "op");
    metrics = List.copyOf(metrics);
    Objects.requireNonNull(extraMatchers, "extraMatchers");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(selector, "selector");
    if (metrics.isEmpty()) {
      throw new IllegalArgumentException("an aggregate needs a metric");
    }
    if ((op == Op.RATE) == window.isZero()) {
      throw new IllegalArgumentException("a window is for RATE only, and RATE needs one: " + op);
    }
  }

  Shape shape() {
    return new Shape(op, metrics, extraMatchers, window);
  }

  /**
   * The query: {@code sum(a{sel})}, {@code avg(a{sel})} or {@code sum(rate(a{sel}[w]))}, with each
   * further metric name after {@code or}.
   */
  public String promql() {
    StringBuilder out = new StringBuilder();
    for (String metric : metrics) {
      if (out.length() > 0) {
        out.append(" or ");
      }
      String series = QueryContext.series(selector, metric, extraMatchers);
      switch (op) {
        case SUM -> out.append("sum(").append(series).append(')');
        case AVG -> out.append("avg(").append(series).append(')');
        case RATE ->
            out.append("sum(rate(")
                .append(series)
                .append('[')
                .append(Durations.format(window))
                .append("]))");
      }
    }
    return out.toString();
  }
}
