package dev.foresight.policy.forecast;

import java.time.Duration;
import java.util.Objects;

/**
 * A forecast of one series at one horizon.
 *
 * @param model the model that made it: {@link SeriesForecaster#HOLT_WINTERS} or {@link
 *     SeriesForecaster#TREND}
 * @param horizon how far ahead of the last sample it looks
 * @param point the expected value at the horizon, in the series' unit (never negative)
 * @param upper point plus the configured quantile of the model's recent residuals at the tracked
 *     horizon (never below point)
 */
public record Forecast(String model, Duration horizon, double point, double upper) {

  public Forecast {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(horizon, "horizon");
    if (!(point >= 0) || !(upper >= point)) {
      throw new IllegalArgumentException(
          "forecast needs 0 <= point <= upper, got point=" + point + " upper=" + upper);
    }
  }
}
