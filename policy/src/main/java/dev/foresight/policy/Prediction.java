package dev.foresight.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * The predictive proposal of one decision: the load forecast one lead time ahead and the replicas
 * it needs.
 *
 * @param model the forecasting model that produced the forecast, e.g. {@code holt-winters} or
 *     {@code trend}
 * @param horizon the lead time the forecast looks ahead
 * @param pointRequestRate forecast request rate at now + horizon, requests per second
 * @param upperRequestRate upper bound of the forecast (point plus a residual quantile), requests
 *     per second
 * @param capacityPerReplica requests per second one replica sustains within the SLO (learned or
 *     prior)
 * @param replicas replicas needed for {@code upperRequestRate}
 * @param acting false in observe-only mode: computed and audited, not applied
 * @param arithmetic the calculation in words and numbers
 */
public record Prediction(
    String model,
    Duration horizon,
    double pointRequestRate,
    double upperRequestRate,
    double capacityPerReplica,
    int replicas,
    boolean acting,
    String arithmetic) {

  public Prediction {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(horizon, "horizon");
    Objects.requireNonNull(arithmetic, "arithmetic");
  }
}
