package dev.foresight.policy.forecast;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link SeriesForecaster} samples, models and bounds one series. Usually derived from a
 * validated {@link PredictionSpec} with {@link PredictionSpec#forecasterSettings()}.
 *
 * @param seasonPeriod samples per season (a day): 1,440 at 1-minute samples, 288 at 5 minutes
 * @param sampleInterval the time between two samples
 * @param residualQuantile level of the residual quantile added to the point forecast, in (0, 1)
 * @param residualWindow how many recent forecast residuals are kept per model; they measure both
 *     the error used to choose a model and the quantile used for the upper bound
 * @param trendWindow how many recent samples the short-term trend line is fitted to
 * @param maxHorizonSteps the longest horizon, in samples, whose residuals are tracked; a longer
 *     tracked horizon is clamped to it (forecasts at any horizon remain possible)
 * @param smoothing Holt-Winters smoothing constants
 */
public record ForecasterSettings(
    int seasonPeriod,
    Duration sampleInterval,
    double residualQuantile,
    int residualWindow,
    int trendWindow,
    int maxHorizonSteps,
    HoltWintersParameters smoothing) {

  public ForecasterSettings {
    Objects.requireNonNull(sampleInterval, "sampleInterval");
    Objects.requireNonNull(smoothing, "smoothing");
    if (seasonPeriod < 2
        || !(sampleInterval.toMillis() > 0)
        || !(residualQuantile > 0 && residualQuantile < 1)
        || residualWindow < 1
        || trendWindow < 2
        || maxHorizonSteps < 1) {
      throw new IllegalArgumentException(
          "invalid forecaster settings (validate with PredictionSpec.problems()): "
              + "seasonPeriod="
              + seasonPeriod
              + " sampleInterval="
              + sampleInterval
              + " residualQuantile="
              + residualQuantile
              + " residualWindow="
              + residualWindow
              + " trendWindow="
              + trendWindow
              + " maxHorizonSteps="
              + maxHorizonSteps);
    }
  }

  /**
   * Number of samples that covers {@code horizon}: {@code ceil(horizon / sampleInterval)}, at least
   * 1.
   */
  public int steps(Duration horizon) {
    long interval = sampleInterval.toMillis();
    long steps = Math.max(1, (horizon.toMillis() + interval - 1) / interval);
    return (int) Math.min(Integer.MAX_VALUE, steps);
  }
}
