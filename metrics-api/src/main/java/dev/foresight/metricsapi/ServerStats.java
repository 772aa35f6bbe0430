package dev.foresight.metricsapi;

import java.util.concurrent.atomic.LongAdder;

/** Counters the controller publishes as Prometheus metrics. Thread-safe; reads are cheap. */
public final class ServerStats {

  private final LongAdder staleServed = new LongAdder();
  private final LongAdder unauthenticated = new LongAdder();
  private final LongAdder forbidden = new LongAdder();
  private final LongAdder served = new LongAdder();

  void recordStale(int items) {
    if (items > 0) {
      staleServed.add(items);
    }
  }

  void recordServed() {
    served.increment();
  }

  void recordUnauthenticated() {
    unauthenticated.increment();
  }

  void recordForbidden() {
    forbidden.increment();
  }

  /** Metric values served from a decision older than the staleness limit, since start. */
  public long staleServed() {
    return staleServed.sum();
  }

  /** Metric requests answered with values, since start. */
  public long served() {
    return served.sum();
  }

  /** Requests refused with 401, since start. */
  public long unauthenticated() {
    return unauthenticated.sum();
  }

  /** Requests refused with 403, since start. */
  public long forbidden() {
    return forbidden.sum();
  }
}
