package dev.foresight.policy.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties of the forecaster and its order statistics over generated series. Each case carries
 * its own seed in its name: rerun a failing case by generating from that seed.
 */
class ForecastPropertiesTest {

  private static final long SEED = 0x5EEDF0CA57L;

  private static final ForecasterSettings SETTINGS =
      new ForecasterSettings(
          24, Duration.ofMinutes(1), 0.9, 30, 10, 12, HoltWintersParameters.defaults());

  /** {@code count} case seeds drawn from the fixed {@link #SEED}, salted per property. */
  static Stream<Arguments> seeds(long salt, int count) {
    SplittableRandom root = new SplittableRandom(SEED ^ salt);
    return IntStream.range(0, count).mapToObj(i -> Arguments.of(root.nextLong()));
  }

  static Stream<Arguments> seeds200a() {
    return seeds(1, 200);
  }

  static Stream<Arguments> seeds200b() {
    return seeds(2, 200);
  }

  static Stream<Arguments> seeds200c() {
    return seeds(3, 200);
  }

  static Stream<Arguments> seeds200d() {
    return seeds(5, 200);
  }

  static Stream<Arguments> seeds500() {
    return seeds(4, 500);
  }

  /**
   * Doubles as an adversarial generator would pick them: edge values (0, -0, ±Inf, NaN, extremes)
   * one time in eight, otherwise spread over many magnitudes.
   */
  static double anyDouble(SplittableRandom r) {
    if (r.nextInt(8) == 0) {
      double[] edges = {
        0.0,
        -0.0,
        1.0,
        -1.0,
        Double.MIN_VALUE,
        Double.MAX_VALUE,
        -Double.MAX_VALUE,
        Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY,
        Double.NaN
      };
      return edges[r.nextInt(edges.length)];
    }
    double magnitude = Math.pow(10, r.nextInt(-6, 16));
    return (r.nextBoolean() ? 1 : -1) * r.nextDouble() * magnitude;
  }

  static double[] anyDoubles(SplittableRandom r, int minSize, int maxSize) {
    double[] values = new double[r.nextInt(minSize, maxSize + 1)];
    for (int i = 0; i < values.length; i++) {
      values[i] = anyDouble(r);
    }
    return values;
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds200a")
  void upperIsNeverBelowPointAndPointNeverNegative(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] values = anyDoubles(r, 1, 80);
    int horizon = r.nextInt(1, 13);
    double[] rates =
        Arrays.stream(values).map(v -> Double.isFinite(v) ? Math.abs(v) % 1e6 : 0).toArray();
    SeriesForecaster f = SeriesForecaster.rebuild(SETTINGS, rates, horizon);
    Forecast forecast = f.forecast(horizon, Duration.ofMinutes(horizon));
    assertThat(forecast.point()).isGreaterThanOrEqualTo(0);
    assertThat(forecast.upper()).isGreaterThanOrEqualTo(forecast.point());
    assertThat(f.peak(horizon, Duration.ofMinutes(horizon)).point())
        .isGreaterThanOrEqualTo(forecast.point());
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds200b")
  void aConstantSeriesIsForecastExactly(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double level = r.nextInt(10) == 0 ? 0 : r.nextDouble(0, 1e5);
    int length = r.nextInt(1, 71);
    int horizon = r.nextInt(1, 13);
    double[] rates = new double[length];
    Arrays.fill(rates, level);
    SeriesForecaster f = SeriesForecaster.rebuild(SETTINGS, rates, horizon);
    assertThat(f.point(horizon)).isCloseTo(level, within(1e-6 * (1 + level)));
    assertThat(f.upperMargin()).isLessThan(1e-6 * (1 + level));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds200c")
  void quantilesMatchCommonsMathType7(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] finite =
        Arrays.stream(anyDoubles(r, 1, 50)).filter(Double::isFinite).map(v -> v % 1e12).toArray();
    double q = r.nextInt(10) == 0 ? 1.0 : r.nextDouble(0.01, 1);
    if (finite.length == 0) {
      return;
    }
    SlidingWindow window = SlidingWindow.empty(finite.length);
    for (double v : finite) {
      window = window.push(v);
    }
    double expected =
        new Percentile().withEstimationType(EstimationType.R_7).evaluate(finite, 100 * q);
    assertThat(window.quantile(q)).isCloseTo(expected, within(1e-9 * (1 + Math.abs(expected))));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds500")
  void quickselectFindsTheSortedOrderStatistic(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] values = anyDoubles(r, 1, 200);
    if (r.nextInt(4) == 0) {
      // Many ties: the partition's hardest case.
      for (int i = 0; i < values.length; i++) {
        values[i] = r.nextInt(3);
      }
    }
    int k = r.nextInt(200);
    double[] finite = Arrays.stream(values).filter(Double::isFinite).map(v -> v % 1e12).toArray();
    if (finite.length == 0) {
      return;
    }
    int index = k % finite.length;
    double[] sorted = finite.clone();
    Arrays.sort(sorted);
    // within(0.0): equal values, where -0.0 and 0.0 count as equal.
    assertThat(Select.kth(finite.clone(), index)).isCloseTo(sorted[index], within(0.0));
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    assertThat(Select.median(finite.clone())).isCloseTo(median, within(0.0));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds200d")
  void quantilesStayWithinTheObservedRange(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] finite = Arrays.stream(anyDoubles(r, 1, 50)).filter(Double::isFinite).toArray();
    double q = r.nextInt(10) == 0 ? r.nextInt(2) : r.nextDouble();
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
