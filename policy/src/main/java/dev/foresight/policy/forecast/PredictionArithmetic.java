package dev.foresight.policy.forecast;

import dev.foresight.policy.Prediction;
import dev.foresight.policy.capacity.Capacity;
import dev.foresight.policy.capacity.CapacityEstimate;
import java.time.Duration;
import java.util.Locale;

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
    StringBuilder arithmetic = new StringBuilder();
    arithmetic.append(
        format(
            "%s forecast at now+%ds: %.3g req/s, upper (p%d) %.3g req/s; capacity %.3g req/s per"
                + " replica (%s); ceil(%.3g / %.3g) = %d",
            requests.model(),
            leadTime.toSeconds(),
            requests.point(),
            Math.round(100 * residualQuantile),
            requests.upper(),
            perReplica.requestsPerSecond(),
            capacity.learned() ? "learned from " + capacity.samples() + " samples" : "prior",
            requests.upper(),
            perReplica.requestsPerSecond(),
            ratio(requests.upper(), perReplica.requestsPerSecond())));
    appendTokens(arithmetic, "prompt", forecast.promptTokens(), perReplica.promptTokensPerSecond());
    appendTokens(
        arithmetic,
        "generation",
        forecast.generationTokens(),
        perReplica.generationTokensPerSecond());
    arithmetic.append(format("; predictive replicas %d", replicas));
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
      arithmetic.append(
          format(
              "; %s tokens upper %.3g/s at %.3g/s per replica: %d",
              kind, forecast.upper(), capacity, ratio(forecast.upper(), capacity)));
    }
  }

  private static int ratio(double load, double perReplica) {
    double replicas = Math.ceil(load / perReplica - EPSILON);
    return (int) Math.min(Integer.MAX_VALUE, Math.max(0, replicas));
  }

  private static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
