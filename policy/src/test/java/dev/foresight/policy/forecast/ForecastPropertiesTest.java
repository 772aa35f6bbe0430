package dev.foresight.policy.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;

class ForecastPropertiesTest {

  private static final ForecasterSettings SETTINGS =
      new ForecasterSettings(
          24, Duration.ofMinutes(1), 0.9, 30, 10, 12, HoltWintersParameters.defaults());

  @Property(tries = 200)
  void upperIsNeverBelowPointAndPointNeverNegative(
      @ForAll @Size(min = 1, max = 80) double[] values,
      @ForAll @IntRange(min = 1, max = 12) int horizon) {
    double[] rates = Arrays.stream(values).map(v -> Math.abs(v) % 1e6).toArray();
    SeriesForecaster f = SeriesForecaster.rebuild(SETTINGS, rates, horizon);
    Forecast forecast = f.forecast(horizon, Duration.ofMinutes(horizon));
    assertThat(forecast.point()).isGreaterThanOrEqualTo(0);
    assertThat(forecast.upper()).isGreaterThanOrEqualTo(forecast.point());
    assertThat(f.peak(horizon, Duration.ofMinutes(horizon)).point())
        .isGreaterThanOrEqualTo(forecast.point());
  }

  @Property(tries = 200)
  void aConstantSeriesIsForecastExactly(
      @ForAll @DoubleRange(min = 0, max = 1e5) double level,
      @ForAll @IntRange(min = 1, max = 70) int length,
      @ForAll @IntRange(min = 1, max = 12) int horizon) {
    double[] rates = new double[length];
    Arrays.fill(rates, level);
    SeriesForecaster f = SeriesForecaster.rebuild(SETTINGS, rates, horizon);
    assertThat(f.point(horizon))
        .isCloseTo(level, org.assertj.core.api.Assertions.within(1e-6 * (1 + level)));
    assertThat(f.upperMargin()).isLessThan(1e-6 * (1 + level));
  }

  @Property(tries = 200)
  void quantilesMatchCommonsMathType7(
      @ForAll @Size(min = 1, max = 50) double[] values,
      @ForAll @DoubleRange(min = 0.01, max = 1) double q) {
    double[] finite = Arrays.stream(values).filter(Double::isFinite).map(v -> v % 1e12).toArray();
    if (finite.length == 0) {
      return;
    }
    SlidingWindow window = SlidingWindow.empty(finite.length);
    for (double v : finite) {
      window = window.push(v);
    }
    double expected =
        new Percentile().withEstimationType(EstimationType.R_7).evaluate(finite, 100 * q);
    assertThat(window.quantile(q))
        .isCloseTo(
            expected, org.assertj.core.api.Assertions.within(1e-9 * (1 + Math.abs(expected))));
  }

  @Property(tries = 500)
  void quickselectFindsTheSortedOrderStatistic(
      @ForAll @Size(min = 1, max = 200) double[] values,
      @ForAll @IntRange(min = 0, max = 199) int k) {
    double[] finite = Arrays.stream(values).filter(Double::isFinite).map(v -> v % 1e12).toArray();
    if (finite.length == 0) {
      return;
    }
    int index = k % finite.length;
    double[] sorted = finite.clone();
    Arrays.sort(sorted);
    // within(0.0): equal values, where -0.0 and 0.0 count as equal.
    assertThat(Select.kth(finite.clone(), index))
        .isCloseTo(sorted[index], org.assertj.core.api.Assertions.within(0.0));
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    assertThat(Select.median(finite.clone()))
        .isCloseTo(median, org.assertj.core.api.Assertions.within(0.0));
  }

  @Property(tries = 200)
  void quantilesStayWithinTheObservedRange(
      @ForAll @Size(min = 1, max = 50) double[] values,
      @ForAll @DoubleRange(min = 0, max = 1) double q) {
    double[] finite = Arrays.stream(values).filter(Double::isFinite).toArray();
    if (finite.length == 0) {
      return;
    }
    SlidingWindow window = SlidingWindow.empty(20);
    for (double v : finite) {
      window = window.push(v);
    }
    double[] held = window.toArray();
    double min = Arrays.stream(held).min().orElseThrow();
    double max = Arrays.stream(held).max().orElseThrow();
    assertThat(window.quantile(q)).isBetween(min, max);
    assertThat(held).hasSize(Math.min(20, finite.length));
  }
}
