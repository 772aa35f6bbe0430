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
    return served(ready, rps, sloMet, queued, Double.NaN);
  }

  private static CapacityObservation served(
      int ready, double rps, boolean sloMet, double queued, double kvCacheUsage) {
    return new CapacityObservation(
        ready, new LoadSample(rps, 1500 * rps, 150 * rps), sloMet, queued, kvCacheUsage);
  }

  static Stream<Arguments> qualification() {
    return Stream.of(
        // name, observation, qualifies
        Arguments.of("SLO met, one waiting: busy", served(4, 12, true, 1), true),
        Arguments.of(
            "SLO met, empty queue, no KV-cache reading: not shown busy",
            served(4, 12, true, 0),
            false),
        Arguments.of("SLO met, empty queue, KV cache 0.7: busy", served(4, 12, true, 0, 0.7), true),
        Arguments.of(
            "SLO met, empty queue, KV cache 0.5: not busy", served(4, 12, true, 0, 0.5), false),
        Arguments.of("SLO met, queue at the limit", served(4, 12, true, 4), true),
        Arguments.of("SLO met, queue too long", served(4, 12, true, 4.5), false),
        Arguments.of("SLO missed", served(4, 12, false, 1), false),
        Arguments.of("no replica ready", served(0, 12, true, 1), false),
        Arguments.of("no requests", served(4, 0, true, 1), false));
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
      estimator = estimator.observe(served(4, 4 * (1 + 2 * random.nextDouble()), true, 1));
    }
    assertThat(estimator.estimate().learned()).isFalse();
    assertThat(estimator.estimate().perReplica()).isEqualTo(new Capacity(2, 4000, 400));
    for (int i = 0; i < 91; i++) {
      estimator = estimator.observe(served(4, 4 * (1 + 2 * random.nextDouble()), true, 1));
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
      estimator = estimator.observe(served(2, 6, true, 1));
      // Twice the load, SLO missed and a long queue: says nothing about what is sustainable.
      estimator = estimator.observe(served(2, 12, false, 20));
    }
    assertThat(estimator.estimate().perReplica().requestsPerSecond()).isEqualTo(3.0);
  }

  @Test
  void tokenDimensionsWithoutDataKeepTheirPrior() {
    CapacityEstimator estimator = CapacityEstimator.empty(SETTINGS);
    for (int i = 0; i < 10; i++) {
      estimator = estimator.observe(new CapacityObservation(1, LoadSample.requests(5), true, 1));
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
    assertThatThrownBy(() -> new CapacityObservation(1, LoadSample.requests(1), true, 0, 1.5))
        .isInstanceOf(InvalidSampleException.class)
        .hasMessage(
            "kvCacheUsage: got '1.5', expected a fraction in [0, 1], or NaN when not observed");
  }

  /**
   * The ratchet: a fleet sized by the learned capacity with headroom (here 1.5×, as a p90 upper
   * bound of the forecast gives) serves 20 req/s with the SLO met and nothing waiting. Taking that
   * idle load as capacity lowered the estimate round after round, to 2.5 req/s per replica (a
   * quarter of the prior) and 12 replicas instead of 3. Idle replicas teach nothing now: the prior
   * stands.
   */
  @Test
  void anOverProvisionedFleetDoesNotRatchetTheCapacityDown() {
    double prior = 10;
    CapacityEstimator estimator =
        CapacityEstimator.empty(new CapacitySettings(Capacity.requests(prior), 0.9, 10, 100, 1.0));
    double load = 20;
    int replicas = 0;
    for (int round = 0; round < 200; round++) {
      double perReplica = estimator.estimate().perReplica().requestsPerSecond();
      replicas = (int) Math.ceil(1.5 * load / perReplica);
      double kvCacheUsage = 0.5 * load / replicas / prior; // half full at the true capacity
      estimator = estimator.observe(served(replicas, load, true, 0, kvCacheUsage));
    }
    assertThat(estimator.estimate().perReplica().requestsPerSecond()).isEqualTo(prior);
    assertThat(replicas).isEqualTo(3);
  }

  @Test
  void busyIntervalsBelowThePriorDoNotLowerItWithoutAMissedSlo() {
    CapacityEstimator estimator = CapacityEstimator.empty(SETTINGS);
    for (int i = 0; i < 20; i++) {
      // Busy at 1 req/s per replica (long prompts), within the SLO.
      estimator = estimator.observe(served(4, 4, true, 2));
    }
    assertThat(estimator.estimate().perReplica().requestsPerSecond()).isEqualTo(2.0);
  }

  static Stream<Arguments> missedSlo() {
    return Stream.of(
        // name, missed per replica, expected estimate (prior 2, busy within SLO at 1)
        Arguments.of("misses at 1.5 req/s per replica: down to 1.5", 1.5, 1.5),
        Arguments.of("misses at 0.5, below what was served: the served 1.0", 0.5, 1.0),
        Arguments.of("misses at 3, above the prior: the prior", 3.0, 2.0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("missedSlo")
  void aMissedSloLowersTheEstimateOnlyAsFarAsTheMisses(
      String name, double missedPerReplica, double expected) {
    CapacityEstimator estimator = CapacityEstimator.empty(SETTINGS);
    for (int i = 0; i < 20; i++) {
      estimator = estimator.observe(served(4, 4, true, 2));
      estimator = estimator.observe(served(4, 4 * missedPerReplica, false, 2));
    }
    assertThat(estimator.estimate().perReplica().requestsPerSecond())
        .isCloseTo(expected, within(1e-9));
  }

  /**
   * Cases for the range property: a fixed-seed generator, the seed of each case in its name so a
   * failure replays exactly.
   */
  static Stream<Arguments> ranges() {
    SplittableRandom seeds = new SplittableRandom(20261123L);
    return IntStream.range(0, 200)
        .mapToObj(
            i -> {
              long seed = seeds.nextLong();
              SplittableRandom r = new SplittableRandom(seed);
              double[] rates = r.doubles(r.nextInt(10, 151), 0.01, 1e4).toArray();
              int ready = r.nextInt(1, 9);
              double quantile = r.nextDouble(0.5, 0.99);
              return Arguments.of(
                  "seed " + seed + ", " + rates.length + " rates, " + ready + " ready",
                  rates,
                  ready,
                  quantile);
            });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ranges")
  void learnedCapacityLiesWithinTheObservedRangeOrAtThePrior(
      String name, double[] rates, int ready, double quantile) {
    double prior = 1;
    CapacityEstimator estimator =
        CapacityEstimator.empty(
            new CapacitySettings(Capacity.requests(prior), quantile, 10, 100, 1));
    double min = Double.POSITIVE_INFINITY;
    double max = 0;
    int used = 0;
    for (int i = 0; i < rates.length; i++) {
      estimator =
          estimator.observe(new CapacityObservation(ready, LoadSample.requests(rates[i]), true, 1));
      if (i >= rates.length - 100) {
        min = Math.min(min, rates[i] / ready);
        max = Math.max(max, rates[i] / ready);
        used++;
      }
    }
    assertThat(estimator.estimate().samples()).isEqualTo(used);
    // Without a missed SLO the estimate never falls below the prior.
    assertThat(estimator.estimate().perReplica().requestsPerSecond())
        .isBetween(Math.max(min, prior), Math.max(max, prior));
  }
}
