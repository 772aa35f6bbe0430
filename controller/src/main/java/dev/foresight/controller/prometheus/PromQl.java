package dev.foresight.controller.prometheus;

import java.time.Duration;
import java.time.Instant;

/** The two PromQL queries the controller makes. {@link PrometheusClient} is the real one. */
public interface PromQl {

  /** Evaluates {@code query} at {@code time} ({@code /api/v1/query}). */
  QueryResult instant(String query, Instant time) throws PrometheusException;

  /**
   * Evaluates {@code query} from {@code start} to {@code end} every {@code step} ({@code
   * /api/v1/query_range}).
   */
  QueryResult range(String query, Instant start, Instant end, Duration step)
      throws PrometheusException;
}
