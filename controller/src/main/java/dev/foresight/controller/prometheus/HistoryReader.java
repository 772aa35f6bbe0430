package dev.foresight.controller.prometheus;

import dev.foresight.controller.config.Durations;
import dev.foresight.controller.metrics.SignalQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * Reads a workload's history with range queries, so that a restart (or a new leader) can rebuild
 * forecaster state instead of forgetting the daily pattern. Default: 7 days at 5-minute steps
 * (2,016 points, well under Prometheus's 11,000-point limit per query).
 */
public final class HistoryReader {

  public static final Duration DEFAULT_LOOKBACK = Duration.ofDays(7);
  public static final Duration DEFAULT_STEP = Duration.ofMinutes(5);

  private final PromQl prometheus;

  public HistoryReader(PromQl prometheus) {
    this.prometheus = prometheus;
  }

  /**
   * The history of one signal's query every {@code step}. A preset's rate whose window is shorter
   * than the step is read as the mean of the live query over each step, {@code
   * avg_over_time((q)[step - 1ms:window])}, so that the points cover the time between them: the
   * live 1-minute rate read at 5-minute steps alone would count one minute in five. The mean is
   * over the live rate's own points, not one rate over the whole step, because a rate over a step
   * in which the series started (a new pod, the first minutes of a deployment) divides by the whole
   * step and reads low. The subquery's range stops 1 ms short of the step, so that it holds the
   * same points whether Prometheus closes ranges at the start (version 2) or not (version 3). Other
   * queries are replayed as they are.
   *
   * @throws PrometheusException when the query fails, or yields more than one series
   */
  public History read(SignalQuery query, Instant end, Duration lookback, Duration step)
      throws PrometheusException {
    return read(overSteps(query, step), end, lookback, step);
  }

  static String overSteps(SignalQuery query, Duration step) {
    return query
        .aggregate()
        .filter(a -> a.op() == SeriesAggregate.Op.RATE && step.compareTo(a.window()) > 0)
        .map(
            a ->
                "avg_over_time(("
                    + query.value()
                    + ")["
                    + (step.toMillis() - 1)
                    + "ms:"
                    + Durations.format(a.window())
                    + "])")
        .orElse(query.value());
  }

  /**
   * {@code query} every {@code step} over {@code (end - lookback, end]}, aligned to whole steps
   * since the epoch so that repeated rebuilds see the same slots.
   *
   * @throws PrometheusException when the query fails, or yields more than one series
   */
  private History read(String query, Instant end, Duration lookback, Duration step)
      throws PrometheusException {
    long stepMs = step.toMillis();
    long endMs = Math.floorDiv(end.toEpochMilli(), stepMs) * stepMs;
    long slots = lookback.toMillis() / stepMs;
    Instant start = Instant.ofEpochMilli(endMs - (slots - 1) * stepMs);
    QueryResult r = prometheus.range(query, start, Instant.ofEpochMilli(endMs), step);
    double[] values = new double[(int) slots];
    Arrays.fill(values, Double.NaN);
    if (!(r instanceof QueryResult.Matrix m)) {
      throw new PrometheusException(
          PrometheusException.Kind.BAD_RESPONSE,
          "a range query answered " + r.getClass().getSimpleName());
    }
    if (m.series().size() > 1) {
      throw new PrometheusException(
          PrometheusException.Kind.BAD_QUERY,
          m.series().size() + " series where one was expected; aggregate the query");
    }
    for (QueryResult.Series s : m.series()) {
      for (QueryResult.Point p : s.points()) {
        long i = (p.at().toEpochMilli() - start.toEpochMilli()) / stepMs;
        if (i >= 0 && i < slots) {
          values[(int) i] = p.value();
        }
      }
    }
    return new History(start, step, values);
  }
}
