package dev.foresight.controller.testing;

import dev.foresight.controller.prometheus.PromQl;
import dev.foresight.controller.prometheus.PrometheusException;
import dev.foresight.controller.prometheus.QueryResult;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** Counts the requests made to Prometheus, to show how many a read takes. */
public final class CountingPromQl implements PromQl {

  private final PromQl inner;
  private final AtomicLong requests = new AtomicLong();

  public CountingPromQl(PromQl inner) {
    this.inner = inner;
  }

  /** Requests made so far. */
  public long requests() {
    return requests.get();
  }

  /** Starts counting again from zero. */
  public void reset() {
    requests.set(0);
  }

  @Override
  public QueryResult instant(String query, Instant time) throws PrometheusException {
    requests.incrementAndGet();
    return inner.instant(query, time);
  }

  @Override
  public QueryResult range(String query, Instant start, Instant end, Duration step)
      throws PrometheusException {
    requests.incrementAndGet();
    return inner.range(query, start, end, step);
  }
}
