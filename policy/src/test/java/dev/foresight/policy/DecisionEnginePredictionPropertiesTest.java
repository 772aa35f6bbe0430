package dev.foresight.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.policy.capacity.Capacity;
import dev.foresight.policy.forecast.LoadSample;
import dev.foresight.policy.forecast.PredictionSpec;
import dev.foresight.policy.forecast.PredictiveState;
import dev.foresight.policy.forecast.TimedLoad;
import dev.foresight.policy.supply.NodeSupply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invariants of pre-scaling and node supply over seeded random inputs ({@link Generated}: every
 * signal absent, fresh, zero, stale, NaN, infinite or negative; random behavior and history), each
 * with a random prediction spec, a forecaster trained on a random load history (sometimes stale),
 * random start-ups and random node supply. A failing case names its seed; {@code
 * PropertyCase.of(seed)} rebuilds it.
 */
class DecisionEnginePredictionPropertiesTest {

  private static final long BASE_SEED = 0x5EED_2026L;
  private static final int CASES = 400;

  /** One generated case: the reactive input and what pre-scaling and supply add to it. */
  record PropertyCase(
      Generated.Input reactive,
      PredictionSpec acting,
      PredictiveState learned,
      Observation withExtras,
      NodeSupply supply) {

    static PropertyCase of(long seed) {
      Generated.Input in = Generated.input(seed);
      SplittableRandom r = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
      PredictionSpec p = predictionSpec(r);
      PredictiveState learned = PredictiveState.rebuild(p, history(r));
      if (r.nextBoolean()) {
        // A calmer present than the generator's (whose readings mostly ask for maxReplicas), so
        // that the forecast has room to ask for more than the reactive signals.
        in = new Generated.Input(seed, in.spec(), calmer(in.observation(), r), in.state());
      }
      Observation o = in.observation().withStartups(durations(r), durations(r));
      o = o.withSlo(List.of(SloStatus.values()).get(r.nextInt(3)));
      return new PropertyCase(
          in, p, learned, o, randomSupply(r, in.observation().currentReplicas()));
    }

    PolicySpec spec(PredictionSpec p) {
      return reactive.spec().toBuilder().prediction(p).build();
    }

    PolicyState state() {
      return reactive.state().withPredictive(learned);
    }
  }

  static Stream<Named<Long>> seeds() {
    return LongStream.range(0, CASES)
        .mapToObj(i -> Named.of("seed " + (BASE_SEED + i), BASE_SEED + i));
  }

  private static Observation calmer(Observation o, SplittableRandom r) {
    double factor = 0.002 + r.nextDouble() * 0.1;
    java.util.Map<Signal, Reading> readings = new java.util.EnumMap<>(Signal.class);
    o.signals()
        .asMap()
        .forEach(
            (signal, reading) ->
                readings.put(signal, new Reading(reading.value() * factor, reading.age())));
    return new Observation(
        o.at(), o.currentReplicas(), o.readyReplicas(), Signals.of(readings), o.gpus());
  }

  private static PredictionSpec predictionSpec(SplittableRandom r) {
    return PredictionSpec.builder()
        .enabled(true)
        .season(2 + r.nextInt(29), Duration.ofMinutes(1))
        .capacityPrior(
            new Capacity(
                0.5 + r.nextDouble() * 50,
                r.nextBoolean() ? 0 : 1000 + r.nextDouble() * 20_000,
                r.nextBoolean() ? 0 : 100 + r.nextDouble() * 5000))
        .capacitySamples(1 + r.nextInt(5), 5 + r.nextInt(20))
        .leadTimePrior(Duration.ofSeconds(30 + r.nextInt(571)))
        .nodeProvisioningPrior(Duration.ofSeconds(r.nextInt(301)))
        .leadTimeSamples(1 + r.nextInt(3), 3 + r.nextInt(10))
        .scaleDownMargin(Duration.ofSeconds(r.nextInt(301)))
        .build();
  }

  /** Up to 80 one-minute samples ending 0-4 minutes before now (4: stale, no prediction). */
  private static List<TimedLoad> history(SplittableRandom r) {
    int n = r.nextInt(81);
    int endMinutesAgo = r.nextInt(5);
    double level = r.nextDouble() * 200;
    List<TimedLoad> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      level = Math.max(0, level + (r.nextDouble() - 0.5) * 40);
      double rate = r.nextInt(10) == 0 ? 0 : level;
      out.add(
          new TimedLoad(
              Generated.NOW.minus(Duration.ofMinutes(endMinutesAgo + n - 1 - i)),
              new LoadSample(rate, rate * 300 * r.nextDouble(), rate * 50 * r.nextDouble())));
    }
    return out;
  }

  private static List<Duration> durations(SplittableRandom r) {
    List<Duration> out = new ArrayList<>();
    for (int i = r.nextInt(3); i > 0; i--) {
      out.add(Duration.ofSeconds(1 + r.nextInt(900)));
    }
    return out;
  }

  private static NodeSupply randomSupply(SplittableRandom r, int current) {
    int pending = current == 0 ? 0 : r.nextInt(Math.min(current, 6) + 1);
    int covered = r.nextInt(pending + 1);
    List<Integer> free = new ArrayList<>();
    for (int i = r.nextInt(4); i > 0; i--) {
      free.add(r.nextInt(9));
    }
    return new NodeSupply(
        WorkloadRef.deployment("llm", "w"),
        r.nextBoolean() ? NodeSupply.Observed.KARPENTER : NodeSupply.Observed.EVENTS_ONLY,
        Set.of("gpu"),
        r.nextInt(5),
        pending,
        covered,
        covered * r.nextInt(3),
        r.nextInt(4) == 0 ? OptionalInt.empty() : OptionalInt.of(r.nextInt(17)),
        free,
        r.nextInt(3),
        r.nextInt(5) == 0);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("seeds")
  void actingPredictionNeverLowersTheReactiveDecision(long seed) {
    PropertyCase c = PropertyCase.of(seed);
    Decision reactive =
        DecisionEngine.decide(c.reactive().spec(), c.withExtras(), c.reactive().state()).decision();
    Decision predicted =
        DecisionEngine.decide(c.spec(c.acting()), c.withExtras(), c.state()).decision();

    assertThat(predicted.desiredReplicas())
        .as("%s%n%s%n%s", c.reactive(), reactive.message(), predicted.message())
        .isGreaterThanOrEqualTo(reactive.desiredReplicas());
    assertThat(predicted.recommendedReplicas())
        .isGreaterThanOrEqualTo(
            Math.min(reactive.recommendedReplicas(), c.reactive().observation().currentReplicas()));
    assertThat(predicted.desiredReplicas()).isLessThanOrEqualTo(c.reactive().spec().maxReplicas());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("seeds")
  void observeOnlyChangesNothingButTheAudit(long seed) {
    PropertyCase c = PropertyCase.of(seed);
    PredictionSpec observeOnly = c.acting().toBuilder().observeOnly(true).build();
    Decision reactive =
        DecisionEngine.decide(c.reactive().spec(), c.withExtras(), c.reactive().state()).decision();
    Evaluation observed = DecisionEngine.decide(c.spec(observeOnly), c.withExtras(), c.state());
    Decision d = observed.decision();

    assertThat(d.desiredReplicas())
        .as("%s%n%s", c.reactive(), d.message())
        .isEqualTo(reactive.desiredReplicas());
    assertThat(d.recommendedReplicas()).isEqualTo(reactive.recommendedReplicas());
    assertThat(d.reason()).isEqualTo(reactive.reason());
    assertThat(d.limit()).isEqualTo(reactive.limit());
    d.prediction().ifPresent(p -> assertThat(p.acting()).isFalse());
    assertThat(observed.state().predictive()).isPresent();
  }

  /**
   * Supply alone (prediction off, so the lead time does not depend on supply): between the current
   * count and the decision without supply.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("seeds")
  void supplyOnlyHoldsBackGrowth(long seed) {
    PropertyCase c = PropertyCase.of(seed);
    int current = c.reactive().observation().currentReplicas();
    PolicyState state =
        c.state()
            .withStandingAsk(
                seed % 3 == 0 ? OptionalInt.empty() : OptionalInt.of(current + (int) (seed % 7)));
    PolicySpec spec = c.reactive().spec();
    Decision without = DecisionEngine.decide(spec, c.withExtras(), state).decision();
    Decision with =
        DecisionEngine.decide(spec, c.withExtras().withSupply(c.supply()), state).decision();

    assertThat(with.desiredReplicas())
        .as("%s%n%s%n%s%n%s", c.reactive(), c.supply(), without.message(), with.message())
        .isGreaterThanOrEqualTo(Math.min(without.desiredReplicas(), current))
        .isLessThanOrEqualTo(without.desiredReplicas());
    if (with.desiredReplicas() != without.desiredReplicas()) {
      assertThat(with.reason()).isIn(Reason.NODE_SUPPLY_CAPPED, Reason.HOLD_NODE_SUPPLY_IN_FLIGHT);
      assertThat(with.limit()).contains(Limit.NODE_SUPPLY);
    }
  }

  /**
   * Prediction and supply together (supply also sets whether the lead time includes node
   * provisioning): never below the reactive decision or the current count, whichever is lower.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("seeds")
  void predictionWithSupplyNeverLowersBelowReactiveNeedOrCurrent(long seed) {
    PropertyCase c = PropertyCase.of(seed);
    int current = c.reactive().observation().currentReplicas();
    Decision reactive =
        DecisionEngine.decide(c.reactive().spec(), c.withExtras(), c.reactive().state()).decision();
    Decision both =
        DecisionEngine.decide(c.spec(c.acting()), c.withExtras().withSupply(c.supply()), c.state())
            .decision();
    assertThat(both.desiredReplicas())
        .as("%s%n%s%n%s%n%s", c.reactive(), c.supply(), reactive.message(), both.message())
        .isGreaterThanOrEqualTo(Math.min(reactive.desiredReplicas(), current))
        .isLessThanOrEqualTo(c.reactive().spec().maxReplicas());
  }

  /** The cases are not vacuous: prediction raises and supply holds back in many of them. */
  @Test
  void theCasesExerciseBothRules() {
    int raised = 0;
    int held = 0;
    int constrained = 0;
    for (long seed = BASE_SEED; seed < BASE_SEED + CASES; seed++) {
      PropertyCase c = PropertyCase.of(seed);
      Decision reactive =
          DecisionEngine.decide(c.reactive().spec(), c.withExtras(), c.reactive().state())
              .decision();
      Decision predicted =
          DecisionEngine.decide(c.spec(c.acting()), c.withExtras(), c.state()).decision();
      Decision supplied =
          DecisionEngine.decide(
                  c.reactive().spec(), c.withExtras().withSupply(c.supply()), c.reactive().state())
              .decision();
      int current = c.reactive().observation().currentReplicas();
      boolean above = predicted.desiredReplicas() > reactive.desiredReplicas();
      raised += above && predicted.desiredReplicas() > current ? 1 : 0;
      held += above && predicted.desiredReplicas() <= current ? 1 : 0;
      constrained += supplied.desiredReplicas() < reactive.desiredReplicas() ? 1 : 0;
    }
    System.out.printf(
        "of %d cases: prediction raised %d, held %d; supply held back %d%n",
        CASES, raised, held, constrained);
    // Most generated cases are holds on unusable signals or already at a bound, where neither rule
    // can act; these floors (1%, 5%, 2%) only guard against a generator that never reaches them.
    assertThat(raised)
        .as("predictive scale-ups in %d cases", CASES)
        .isGreaterThanOrEqualTo(CASES / 100);
    assertThat(held)
        .as("predicted-load holds in %d cases", CASES)
        .isGreaterThanOrEqualTo(CASES / 20);
    assertThat(constrained)
        .as("supply-constrained in %d cases", CASES)
        .isGreaterThanOrEqualTo(CASES / 50);
  }
}
