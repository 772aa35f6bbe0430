package dev.foresight.policy.forecast.eval;

import dev.foresight.policy.forecast.ForecasterSettings;
import dev.foresight.policy.forecast.SeriesForecaster;

/**
 * Replays a series through a {@link SeriesForecaster} and scores its h-step forecasts against a
 * naive last-value forecast and a seasonal-naive forecast (the value one season before the target).
 *
 * <p>sMAPE in percent: {@code 100 / n * sum 2 |F - A| / (|A| + |F|)}, a term counting 0 when both
 * are 0. Every method is scored on the same forecast origins {@code t = start .. n - 1 - h}.
 */
final class ForecastEvaluation {

  private ForecastEvaluation() {}

  /**
   * Scores of one series at one horizon.
   *
   * @param origins forecast origins scored
   * @param model sMAPE of the forecaster's point forecast
   * @param naive sMAPE of the last value
   * @param seasonalNaive sMAPE of the value one season before the target; NaN when the series is
   *     shorter than a season plus the horizon
   * @param holtWintersShare fraction of origins where the forecaster used Holt-Winters
   * @param upperCoverage fraction of origins where the actual value was at most the upper bound
   */
  record Score(
      int origins,
      double model,
      double naive,
      double seasonalNaive,
      double holtWintersShare,
      double upperCoverage) {}

  static Score evaluate(double[] y, int h, int start, ForecasterSettings settings) {
    int m = settings.seasonPeriod();
    boolean seasonalPossible = start + h - m >= 0;
    SeriesForecaster f = SeriesForecaster.empty(settings);
    double model = 0;
    double naive = 0;
    double seasonal = 0;
    int holtWinters = 0;
    int covered = 0;
    int origins = 0;
    for (int t = 0; t + h < y.length; t++) {
      f = f.update(y[t], h);
      if (t < start) {
        continue;
      }
      double actual = y[t + h];
      double point = f.point(h);
      model += smape(actual, point);
      naive += smape(actual, y[t]);
      if (seasonalPossible) {
        seasonal += smape(actual, y[t + h - m]);
      }
      if (SeriesForecaster.HOLT_WINTERS.equals(f.model())) {
        holtWinters++;
      }
      if (actual <= point + f.upperMargin()) {
        covered++;
      }
      origins++;
    }
    if (origins == 0) {
      throw new IllegalArgumentException(
          "series of " + y.length + " samples has no origin from " + start + " at horizon " + h);
    }
    return new Score(
        origins,
        100 * model / origins,
        100 * naive / origins,
        seasonalPossible ? 100 * seasonal / origins : Double.NaN,
        (double) holtWinters / origins,
        (double) covered / origins);
  }

  /** One sMAPE term, as a fraction in [0, 2]. */
  static double smape(double actual, double forecast) {
    double denominator = Math.abs(actual) + Math.abs(forecast);
    return denominator == 0 ? 0 : 2 * Math.abs(forecast - actual) / denominator;
  }
}
