package dev.foresight.policy.forecast;

import dev.foresight.policy.Prediction;
import dev.foresight.policy.capacity.Capacity;
import dev.foresight.policy.capacity.CapacityEstimate;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * Turns a load forecast and a capacity per replica into replicas and a {@link Prediction}.
 *
 * <pre>
 * replicas = max( ceil(upper_requests / capacity_requests),
 *                 ceil(upper_prompt_tokens / capacity_prompt_tokens)          if that capacity &gt; 0,
 *                 ceil(upper_generation_tokens / capacity_generation_tokens)  if that capacity &gt; 0 )
 * </pre>
 *
 * Rates are per second; a token capacity of 0 means "not known" and does not limit.
 */
public final class PredictionArithmetic {

  /** Ratios within this of an integer are that integer: 4.0000000001 replicas are 4. */
  private static final double EPSILON = 1e-9;

  private static final int SIGNIFICANT_DIGITS = 3;

  private PredictionArithmetic() {}

  /** Replicas needed for the upper bounds of {@code forecast} at {@code capacity} per replica. */
  public static int replicas(LoadForecast forecast, Capacity capacity) {
    int replicas = ratio(forecast.requests().upper(), capacity.requestsPerSecond());
    if (capacity.promptTokensPerSecond() > 0) {
      replicas =
          Math.max(
              replicas, ratio(forecast.promptTokens().upper(), capacity.promptTokensPerSecond()));
    }
    if (capacity.generationTokensPerSecond() > 0) {
      replicas =
          Math.max(
              replicas,
              ratio(forecast.generationTokens().upper(), capacity.generationTokensPerSecond()));
    }
    return replicas;
  }

  /**
   * The decision's predictive proposal.
   *
   * @param forecast the load forecast at now + lead time
   * @param capacity the capacity per replica in use
   * @param leadTime the lead time the forecast looks ahead of now
   * @param residualQuantile the level of the upper bound, for the explanation
   * @param acting false in observe-only mode
   */
  public static Prediction prediction(
      LoadForecast forecast,
      CapacityEstimate capacity,
      Duration leadTime,
      double residualQuantile,
      boolean acting) {
    Capacity perReplica = capacity.perReplica();
    int replicas = replicas(forecast, perReplica);
    Forecast requests = forecast.requests();
    StringBuilder arithmetic =
        new StringBuilder(160)
            .append(requests.model())
            .append(" forecast at now+")
            .append(leadTime.toSeconds())
            .append("s: ")
            .append(significant(requests.point()))
            .append(" req/s, upper (p")
            .append(Math.round(100 * residualQuantile))
            .append(") ")
            .append(significant(requests.upper()))
            .append(" req/s; capacity ")
            .append(significant(perReplica.requestsPerSecond()))
            .append(" req/s per replica (")
            .append(
                capacity.learned() ? "learned from " + capacity.samples() + " samples" : "prior")
            .append("); ceil(")
            .append(significant(requests.upper()))
            .append(" / ")
            .append(significant(perReplica.requestsPerSecond()))
            .append(") = ")
            .append(ratio(requests.upper(), perReplica.requestsPerSecond()));
    appendTokens(arithmetic, "prompt", forecast.promptTokens(), perReplica.promptTokensPerSecond());
    appendTokens(
        arithmetic,
        "generation",
        forecast.generationTokens(),
        perReplica.generationTokensPerSecond());
    arithmetic.append("; predictive replicas ").append(replicas);
    if (!acting) {
      arithmetic.append(" (observe-only)");
    }
    return new Prediction(
        requests.model(),
        leadTime,
        requests.point(),
        requests.upper(),
        perReplica.requestsPerSecond(),
        replicas,
        acting,
        arithmetic.toString());
  }

  private static void appendTokens(
      StringBuilder arithmetic, String kind, Forecast forecast, double capacity) {
    if (capacity > 0) {
      arithmetic
          .append("; ")
          .append(kind)
          .append(" tokens upper ")
          .append(significant(forecast.upper()))
          .append("/s at ")
          .append(significant(capacity))
          .append("/s per replica: ")
          .append(ratio(forecast.upper(), capacity));
    }
  }

  /**
   * {@code value} rounded to three significant digits, in plain notation: 8 is "8.00", 0.12345 is
   * "0.123", 91234 is "91200". (String.format would do the same at ten times the cost, on the
   * decision path of every tick.)
   */
  static String significant(double value) {
    if (value == 0 || !Double.isFinite(value)) {
      return value == 0 ? "0" : String.valueOf(value);
    }
    int magnitude = (int) Math.floor(Math.log10(Math.abs(value)));
    BigDecimal rounded =
        new BigDecimal(value).setScale(SIGNIFICANT_DIGITS - 1 - magnitude, RoundingMode.HALF_EVEN);
    if (rounded.precision() > SIGNIFICANT_DIGITS && rounded.scale() > 0) {
      // Rounding carried into a new digit (9.996 -> 10.00): drop the extra decimal.
      rounded = rounded.setScale(rounded.scale() - 1, RoundingMode.HALF_EVEN);
    }
    return rounded.toPlainString();
  }

  private static int ratio(double load, double perReplica) {
    double replicas = Math.ceil(load / perReplica - EPSILON);
    return (int) Math.min(Integer.MAX_VALUE, Math.max(0, replicas));
  }
}
