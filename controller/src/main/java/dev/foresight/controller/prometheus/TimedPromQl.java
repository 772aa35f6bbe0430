package dev.foresight.controller.prometheus;

import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;

/**
 * Times every PromQL request another {@link PromQl} makes, as {@code
 * foresight_prometheus_request_duration_seconds{kind="instant"|"range",outcome="ok"|"error"}}
 * (retries included: the time a decision waited). When evaluations time out, this says whether
 * Prometheus was the slow part.
 */
public final class TimedPromQl implements PromQl {

  private final PromQl inner;
  private final Histogram durations;

  public TimedPromQl(PromQl inner, PrometheusRegistry registry) {
    this.inner = inner;
    this.durations =
        Histogram.builder()
            .name("foresight_prometheus_request_duration_seconds")
            .help("Wall time of one PromQL request to Prometheus, retries included.")
            .labelNames("kind", "outcome")
            .classicOnly()
            .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8)
            .register(registry);
  }

  @Override
  public QueryResult instant(String query, Instant time) throws PrometheusException {
    return timed("instant", () -> inner.instant(query, time));
  }

  @Override
  public QueryResult range(String query, Instant start, Instant end, Duration step)
      throws PrometheusException {
    return timed("range", () -> inner.range(query, start, end, step));
  }

  /** One request to Prometheus. */
  @FunctionalInterface
  private interface Request {
    QueryResult send() throws PrometheusException;
  }

  private QueryResult timed(String kind, Request request) throws PrometheusException {
    long start = System.nanoTime();
    String outcome = "error";
    try {
      QueryResult r = request.send();
      outcome = "ok";
      return r;
    } finally {
      durations.labelValues(kind, outcome).observe((System.nanoTime() - start) / 1e9);
    }
  }
}
