package dev.foresight.policy.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SeriesForecasterTest {

  private static final int PERIOD = 288;

  private static ForecasterSettings settings(int period) {
    return new ForecasterSettings(
        period, Duration.ofMinutes(5), 0.9, 120, 30, 60, HoltWintersParameters.defaults());
  }

  /** Feeds {@code y} and returns the h-step forecasts made at each of {@code from .. to-1}. */
  private static double[] forecasts(double[] y, int h, int from, int to, int period) {
    SeriesForecaster f = SeriesForecaster.empty(settings(period));
    double[] out = new double[to - from];
    for (int t = 0; t < to; t++) {
      f = f.update(y[t], h);
      if (t >= from) {
        out[t - from] = f.point(h);
      }
    }
    return out;
  }

  private static double[] slice(double[] y, int from, int to) {
    double[] out = new double[to - from];
    System.arraycopy(y, from, out, 0, out.length);
    return out;
  }

  static Stream<Arguments> seasonalSeries() {
    return Stream.of(
        // name, series, horizon, bound on MAPE (%) over the fourth season
        Arguments.of("season only, noise sd 2%", new Synthetic(100, 50, PERIOD, 0, 2, 1), 6, 3.5),
        Arguments.of("season and upward trend", new Synthetic(100, 50, PERIOD, 0.05, 2, 2), 6, 3.0),
        Arguments.of(
            "season, trend, noise sd 5%", new Synthetic(100, 40, PERIOD, 0.02, 5, 3), 12, 6.0),
        Arguments.of("one-step, season only", new Synthetic(100, 50, PERIOD, 0, 2, 4), 1, 3.0));
  }

  @ParameterizedTest(name = "{0}: h={2}, MAPE <= {3}%")
  @MethodSource("seasonalSeries")
  void seasonalSeriesIsForecastWithinBound(String name, Synthetic load, int h, double bound) {
    double[] y = load.series(4 * PERIOD + h);
    int from = 3 * PERIOD;
    int to = 4 * PERIOD;
    double[] forecast = forecasts(y, h, from, to, PERIOD);
    double[] actual = slice(y, from + h, to + h);
    double mape = Synthetic.mape(actual, forecast);
    assertThat(mape).as("MAPE of %s", name).isLessThan(bound);
  }

  @Test
  void holtWintersBeatsTheTrendOnASeasonalSeries() {
    Synthetic load = new Synthetic(100, 50, PERIOD, 0, 2, 5);
    SeriesForecaster f = SeriesForecaster.rebuild(settings(PERIOD), load.series(3 * PERIOD), 12);
    assertThat(f.model()).isEqualTo(SeriesForecaster.HOLT_WINTERS);
    assertThat(f.meanAbsoluteError(SeriesForecaster.HOLT_WINTERS))
        .isLessThan(0.5 * f.meanAbsoluteError(SeriesForecaster.TREND));
  }

  @Test
  void modelSwitchesToHoltWintersAtOneSeasonOfHistory() {
    double[] y = new Synthetic(100, 50, PERIOD, 0, 2, 6).series(PERIOD + 1);
    SeriesForecaster f = SeriesForecaster.empty(settings(PERIOD));
    for (int t = 0; t < PERIOD - 1; t++) {
      f = f.update(y[t], 6);
      assertThat(f.model())
          .as("after %d samples", t + 1)
          .isIn(SeriesForecaster.TREND, SeriesForecaster.LAST_VALUE);
      assertThat(f.seasonal()).isFalse();
    }
    f = f.update(y[PERIOD - 1], 6);
    assertThat(f.samples()).isEqualTo(PERIOD);
    assertThat(f.seasonal()).isTrue();
    assertThat(f.model()).isEqualTo(SeriesForecaster.HOLT_WINTERS);
    // The first seasonal forecast continues the daily shape: one step ahead is the start of the
    // next day, near base + amplitude * sin(0) = 100.
    assertThat(f.point(1)).isCloseTo(100, within(8.0));
  }

  @Test
  void trendTakesOverWhenTheSeasonStopsRepeating() {
    // A strong daily wave for one day, then flat: Holt-Winters keeps forecasting yesterday's wave
    // (its season only fades by gamma per day) while the trend line is right.
    int n = 2 * PERIOD;
    double[] y = new double[n];
    Synthetic wave = new Synthetic(100, 80, PERIOD, 0, 0, 7);
    for (int t = 0; t < n; t++) {
      y[t] = t < PERIOD ? wave.truth(t) : 100;
    }
    SeriesForecaster f = SeriesForecaster.empty(settings(PERIOD));
    String modelAfterSwitch = null;
    for (int t = 0; t < n; t++) {
      f = f.update(y[t], 3);
      if (t == PERIOD - 1) {
        modelAfterSwitch = f.model();
      }
    }
    assertThat(modelAfterSwitch).isEqualTo(SeriesForecaster.HOLT_WINTERS);
    assertThat(f.model()).isEqualTo(SeriesForecaster.TREND);
    assertThat(f.point(3)).isCloseTo(100, within(1.0));
  }

  @Test
  void trendFollowsARampBeforeAnySeasonExists() {
    // 2 requests/s more every sample, noise sd 3: after 60 samples the 10-step forecast is within
    // the damped extrapolation of the truth.
    double[] y = new Synthetic(50, 0, PERIOD, 2, 3, 8).series(60);
    SeriesForecaster f = SeriesForecaster.rebuild(settings(PERIOD), y, 10);
    double phi = HoltWintersParameters.defaults().phi();
    double dampedSteps = phi * (1 - Math.pow(phi, 10)) / (1 - phi);
    double expected = 50 + 2 * 59 + 2 * dampedSteps;
    assertThat(f.model()).isEqualTo(SeriesForecaster.TREND);
    assertThat(f.point(10)).isCloseTo(expected, within(5.0));
  }

  @Test
  void aSingleSpikeBarelyMovesTheTrend() {
    double[] y = new Synthetic(100, 0, PERIOD, 0, 1, 9).series(40);
    SeriesForecaster calm = SeriesForecaster.rebuild(settings(PERIOD), y, 5);
    y[35] = 1000;
    SeriesForecaster spiked = SeriesForecaster.rebuild(settings(PERIOD), y, 5);
    // Least squares would move the 5-step forecast by tens of requests/s; Huber weighting keeps it
    // within 3% of the level.
    assertThat(spiked.point(5)).isCloseTo(calm.point(5), within(3.0));
  }

  @Test
  void aLevelStepIsFollowedWithinTheTrendWindow() {
    double[] y = new Synthetic(100, 0, PERIOD, 0, 2, 10).series(100);
    for (int t = 50; t < 100; t++) {
      y[t] += 100;
    }
    SeriesForecaster f = SeriesForecaster.rebuild(settings(PERIOD), y, 5);
    // 50 samples after the step (longer than the 30-sample trend window) the forecast is back at
    // the new level.
    assertThat(f.point(5)).isCloseTo(200, within(6.0));
  }

  @Test
  void upperBoundAddsTheResidualQuantile() {
    double[] y = new Synthetic(100, 0, PERIOD, 0, 5, 11).series(200);
    SeriesForecaster f = SeriesForecaster.rebuild(settings(PERIOD), y, 1);
    Forecast forecast = f.forecast(1, Duration.ofMinutes(5));
    double q90 = f.residuals(SeriesForecaster.TREND).quantile(0.9);
    assertThat(forecast.upper() - forecast.point()).isCloseTo(q90, within(1e-9));
    // Noise sd 5: the 90th percentile of residuals is about 1.28 sd (plus fit error).
    assertThat(q90).isBetween(4.0, 10.0);
  }

  @Test
  void noResidualsYetMeansUpperEqualsPoint() {
    SeriesForecaster f = SeriesForecaster.empty(settings(PERIOD)).update(10, 3).update(12, 3);
    Forecast forecast = f.forecast(3, Duration.ofMinutes(15));
    assertThat(forecast.upper()).isEqualTo(forecast.point());
  }

  @Test
  void forecastsAreNeverNegative() {
    double[] falling = {100, 80, 60, 40, 20, 5};
    SeriesForecaster f = SeriesForecaster.rebuild(settings(PERIOD), falling, 10);
    assertThat(f.point(10)).isZero();
  }

  @Test
  void peakIsTheHighestPointWithinTheHorizon() {
    double[] y = new Synthetic(100, 50, PERIOD, 0, 0, 12).series(PERIOD);
    SeriesForecaster f = SeriesForecaster.rebuild(settings(PERIOD), y, 1);
    // The next quarter-day rises to the crest of the wave: 150.
    Forecast peak = f.peak(PERIOD / 4, Duration.ofHours(6));
    assertThat(peak.point()).isCloseTo(150, within(1.0));
    assertThat(peak.point()).isGreaterThanOrEqualTo(f.point(PERIOD / 4 - 10));
  }

  @Test
  void badSamplesAreRejectedWithTheValue() {
    SeriesForecaster f = SeriesForecaster.empty(settings(PERIOD));
    assertThatThrownBy(() -> f.update(Double.NaN, 1))
        .isInstanceOf(InvalidSampleException.class)
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> f.update(-1, 1))
        .isInstanceOf(InvalidSampleException.class)
        .hasMessageContaining("'-1.0'");
    assertThatThrownBy(() -> f.forecast(1, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void rebuildEqualsIncrementalUpdates() {
    double[] y = new Synthetic(100, 30, 48, 0.1, 4, 13).series(200);
    SeriesForecaster incremental = SeriesForecaster.empty(settings(48));
    for (double v : y) {
      incremental = incremental.update(v, 4);
    }
    SeriesForecaster rebuilt = SeriesForecaster.rebuild(settings(48), y, 4);
    assertSameForecasts(rebuilt, incremental);
  }

  @Test
  void updatesLeaveTheOldStateUntouched() {
    double[] y = new Synthetic(100, 30, 48, 0.1, 4, 14).series(100);
    SeriesForecaster before = SeriesForecaster.rebuild(settings(48), y, 4);
    double[] expected = {before.point(1), before.point(4), before.upperMargin()};
    SeriesForecaster after = before;
    for (int i = 0; i < 60; i++) {
      after = after.update(500, 4);
    }
    assertThat(new double[] {before.point(1), before.point(4), before.upperMargin()})
        .containsExactly(expected);
    assertThat(after.point(1)).isNotEqualTo(before.point(1));
  }

  static void assertSameForecasts(SeriesForecaster a, SeriesForecaster b) {
    assertThat(a.samples()).isEqualTo(b.samples());
    assertThat(a.model()).isEqualTo(b.model());
    for (int h = 1; h <= 60; h++) {
      assertThat(a.point(h)).as("point at %d", h).isEqualTo(b.point(h));
    }
    assertThat(a.upperMargin()).isEqualTo(b.upperMargin());
    assertThat(a.residuals(SeriesForecaster.TREND).toArray())
        .containsExactly(b.residuals(SeriesForecaster.TREND).toArray());
    assertThat(a.residuals(SeriesForecaster.HOLT_WINTERS).toArray())
        .containsExactly(b.residuals(SeriesForecaster.HOLT_WINTERS).toArray());
  }
}
