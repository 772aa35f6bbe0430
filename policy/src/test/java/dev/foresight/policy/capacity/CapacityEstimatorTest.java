package dev.foresight.policy.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.foresight.policy.forecast.InvalidSampleException;
import dev.foresight.policy.forecast.LoadSample;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CapacityEstimatorTest {

  private static final CapacitySettings SETTINGS =
      new CapacitySettings(new Capacity(2, 4000, 400), 0.9, 10, 100, 1.0);

  private static CapacityObservation served(int ready, double rps, boolean sloMet, double queued) {
    return new CapacityObservation(
        ready, new LoadSample(rps, 1500 * rps, 150 * rps), sloMet, queued);
  }

  static Stream<Arguments> qualification() {
    return Stream.of(
        // name, observation, qualifies
        Arguments.of("SLO met, empty queue", served(4, 12, true, 0), true),
        Arguments.of("SLO met, queue at the limit", served(4, 12, true, 4), true),
        Arguments.of("SLO met, queue too long", served(4, 12, true, 4.5), false),
        Arguments.of("SLO missed", served(4, 12, false, 0), false),
        Arguments.of("no replica ready", served(0, 12, true, 0), false),
        Arguments.of("no requests", served(4, 0, true, 0), false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("qualification")
  void learnsOnlyFromObservationsWithinTheSlo(
      String name, CapacityObservation observation, boolean qualifies) {
    CapacityEstimator empty = CapacityEstimator.empty(SETTINGS);
    assertThat(empty.qualifies(observation)).isEqualTo(qualifies);
    assertThat(empty.observe(observation).estimate().samples()).isEqualTo(qualifies ? 1 : 0);
  }

  @Test
  void usesThePriorUntilMinSamplesThenAHighQuantile() {
    CapacityEstimator estimator = CapacityEstimator.empty(SETTINGS);
    Random random = new Random(1);
    for (int i = 0; i < 9; i++) {
      estimator = estimator.observe(served(4, 4 * (1 + 2 * random.nextDouble()), true, 0));
    }
    assertThat(estimator.estimate().learned()).isFalse();
    assertThat(estimator.estimate().perReplica()).isEqualTo(new Capacity(2, 4000, 400));
    for (int i = 0; i < 91; i++) {
      estimator = estimator.observe(served(4, 4 * (1 + 2 * random.nextDouble()), true, 0));
    }
    // Per replica uniform in [1, 3] req/s: p90 is about 2.8.
    CapacityEstimate estimate = estimator.estimate();
    assertThat(estimate.learned()).isTrue();
    assertThat(estimate.samples()).isEqualTo(100);
    assertThat(estimate.perReplica().requestsPerSecond()).isCloseTo(2.8, within(0.1));
    assertThat(estimate.perReplica().promptTokensPerSecond()).isCloseTo(1500 * 2.8, within(150.0));
    assertThat(estimate.perReplica().generationTokensPerSecond())
        .isCloseTo(150 * 2.8, within(15.0));
  }

  @Test
  void overloadedIntervalsDoNotInflateTheEstimate() {
    CapacityEstimator estimator = CapacityEstimator.empty(SETTINGS);
    for (int i = 0; i < 50; i++) {
      estimator = estimator.observe(served(2, 6, true, 0));
      // Twice the load, SLO missed and a long queue: says nothing about what is sustainable.
      estimator = estimator.observe(served(2, 12, false, 20));
    }
    assertThat(estimator.estimate().perReplica().requestsPerSecond()).isEqualTo(3.0);
  }

  @Test
  void tokenDimensionsWithoutDataKeepTheirPrior() {
    CapacityEstimator estimator = CapacityEstimator.empty(SETTINGS);
    for (int i = 0; i < 10; i++) {
      estimator = estimator.observe(new CapacityObservation(1, LoadSample.requests(5), true, 0));
    }
    assertThat(estimator.estimate().perReplica()).isEqualTo(new Capacity(5, 4000, 400));
  }

  @Test
  void badObservationsNameTheirField() {
    assertThatThrownBy(() -> new CapacityObservation(-1, LoadSample.requests(1), true, 0))
        .isInstanceOf(InvalidSampleException.class)
        .hasMessage("readyReplicas: got '-1', expected 0 or more");
    assertThatThrownBy(() -> new CapacityObservation(1, LoadSample.requests(1), true, Double.NaN))
        .isInstanceOf(InvalidSampleException.class)
        .hasMessageContaining("queuedRequests");
  }

  /** Fixed root seed; each case's own seed is in its name, so a failure can be rerun alone. */
  static Stream<Arguments> seeds() {
    SplittableRandom root = new SplittableRandom(0x5EEDCA9AC1L);
    return IntStream.range(0, 200).mapToObj(i -> Arguments.of(root.nextLong()));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void learnedCapacityLiesWithinTheObservedRange(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] rates = new double[r.nextInt(10, 151)];
    for (int i = 0; i < rates.length; i++) {
      rates[i] = r.nextDouble() * Math.pow(10, r.nextInt(-3, 9));
    }
    int ready = r.nextInt(1, 9);
    double quantile = r.nextDouble(0.5, 0.99);
    CapacityEstimator estimator =
        CapacityEstimator.empty(new CapacitySettings(Capacity.requests(1), quantile, 10, 100, 1));
    double min = Double.POSITIVE_INFINITY;
    double max = 0;
    int used = 0;
    for (int i = 0; i < rates.length; i++) {
      double rps = Math.abs(rates[i]) % 1e4 + 0.01;
      estimator =
          estimator.observe(new CapacityObservation(ready, LoadSample.requests(rps), true, 0));
      if (i >= rates.length - 100) {
        min = Math.min(min, rps / ready);
        max = Math.max(max, rps / ready);
        used++;
      }
    }
    assertThat(estimator.estimate().samples()).isEqualTo(used);
    assertThat(estimator.estimate().perReplica().requestsPerSecond()).isBetween(min, max);
  }
}
