package dev.foresight.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Invariants of {@link DecisionEngine#decide} over generated specs, observations (every signal
 * absent, fresh, stale, NaN, infinite or negative), GPU readings and states.
 */
class DecisionEngineProperties {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  /** A typical target and a generous value range per signal. */
  private static final Map<Signal, double[]> TARGET_AND_RANGE = new EnumMap<>(Signal.class);

  static {
    TARGET_AND_RANGE.put(Signal.QUEUE, new double[] {4, 400});
    TARGET_AND_RANGE.put(Signal.RUNNING, new double[] {16, 1000});
    TARGET_AND_RANGE.put(Signal.LATENCY_P95, new double[] {10, 60});
    TARGET_AND_RANGE.put(Signal.TTFT_P95, new double[] {0.8, 8});
    TARGET_AND_RANGE.put(Signal.KV_CACHE, new double[] {0.75, 1});
    TARGET_AND_RANGE.put(Signal.REQUEST_RATE, new double[] {2, 200});
    TARGET_AND_RANGE.put(Signal.PROMPT_TOKEN_RATE, new double[] {5000, 500_000});
    TARGET_AND_RANGE.put(Signal.GENERATION_TOKEN_RATE, new double[] {1000, 100_000});
  }

  /** How one signal is delivered in a generated observation. */
  enum Delivery {
    FRESH,
    ZERO,
    ABSENT,
    STALE,
    NAN,
    INFINITE,
    NEGATIVE
  }

  record Input(PolicySpec spec, Observation observation, PolicyState state) {}

  @Property(tries = 400)
  void resultIsAlwaysWithinBounds(@ForAll("inputs") Input in) {
    Decision d = decide(in);
    PolicySpec spec = in.spec();
    assertThat(d.desiredReplicas())
        .as(d.message())
        .isBetween(spec.minReplicas(), spec.maxReplicas());
    if (d.desiredReplicas() == 0) {
      assertThat(spec.minReplicas()).isZero();
    }
  }

  @Property(tries = 400)
  void missingOrStaleDataNeverLowersTheCount(@ForAll("inputs") Input in) {
    Decision d = decide(in);
    boolean anyUnusable = d.proposals().stream().anyMatch(p -> !p.usable());
    if (anyUnusable) {
      int current = in.observation().currentReplicas();
      assertThat(d.desiredReplicas())
          .as(d.message())
          .isGreaterThanOrEqualTo(Math.min(current, in.spec().maxReplicas()));
    }
  }

  @Property(tries = 400)
  void removingASignalNeverScalesDownWhereItWouldNotHave(
      @ForAll("inputs") Input in, @ForAll Signal dropped) {
    // Taking a signal away (or making it stale) can only cost information; it must never make the
    // decision go below both the current count and the decision with the signal.
    Decision with = decide(in);
    Map<Signal, Reading> readings = new EnumMap<>(Signal.class);
    readings.putAll(in.observation().signals().asMap());
    readings.put(dropped, new Reading(0, in.spec().maxSignalAge().plusSeconds(1)));
    Observation o = in.observation();
    Decision without =
        DecisionEngine.decide(
                in.spec(),
                new Observation(
                    o.at(), o.currentReplicas(), o.readyReplicas(), Signals.of(readings), o.gpus()),
                in.state())
            .decision();
    if (in.spec().targets().containsKey(dropped)) {
      int floor = Math.min(o.currentReplicas(), in.spec().maxReplicas());
      assertThat(without.desiredReplicas())
          .as(without.message())
          .isGreaterThanOrEqualTo(Math.min(floor, with.desiredReplicas()));
    }
  }

  @Property(tries = 300)
  void scaleToZeroOnlyOnFreshIdleEvidence(@ForAll("inputs") Input in) {
    Decision d = decide(in);
    if (d.desiredReplicas() == 0 && in.observation().currentReplicas() > 0) {
      assertThat(d.reason()).isEqualTo(Reason.SCALE_TO_ZERO);
      assertThat(d.proposals()).allMatch(Proposal::usable);
      for (Signal s : List.of(Signal.QUEUE, Signal.RUNNING, Signal.REQUEST_RATE)) {
        Reading r = in.observation().signals().get(s).orElseThrow();
        assertThat(r.value()).isZero();
        assertThat(r.age()).isLessThanOrEqualTo(in.spec().maxSignalAge());
      }
      assertThat(d.active()).isFalse();
    }
  }

  @Property(tries = 300)
  void activeIsNeverFalseOnMissingData(@ForAll("inputs") Input in) {
    Decision d = decide(in);
    Signals s = in.observation().signals();
    boolean idleProven =
        List.of(Signal.QUEUE, Signal.RUNNING, Signal.REQUEST_RATE).stream()
            .allMatch(
                sig ->
                    s.get(sig)
                        .filter(r -> r.value() == 0.0)
                        .filter(r -> r.age().compareTo(in.spec().maxSignalAge()) <= 0)
                        .isPresent());
    if (!idleProven) {
      assertThat(d.active()).as(d.message()).isTrue();
    }
    if (d.desiredReplicas() > 0) {
      assertThat(d.active()).isTrue();
    }
  }

  @Property(tries = 300)
  void sameInputAndStateGiveTheSameDecision(@ForAll("inputs") Input in) {
    Evaluation first = DecisionEngine.decide(in.spec(), in.observation(), in.state());
    Evaluation second = DecisionEngine.decide(in.spec(), in.observation(), in.state());
    assertThat(second).isEqualTo(first);
  }

  @Property(tries = 60)
  void sequencesAreReplayableAndStateStaysBounded(
      @ForAll("specs") PolicySpec spec, @ForAll("observationSeries") List<Observation> series) {
    List<Evaluation> run1 = run(spec, series);
    List<Evaluation> run2 = run(spec, series);
    assertThat(run2).isEqualTo(run1);
    PolicyState last = run1.get(run1.size() - 1).state();
    // one decision every 15 s: at most window / 15 s + 1 recommendations, plus the first seed
    long window =
        Math.max(
            spec.scaleUp().stabilizationWindow().toSeconds(),
            spec.scaleDown().stabilizationWindow().toSeconds());
    assertThat(last.recommendations().size()).isLessThanOrEqualTo((int) (window / 15 + 2));
    assertThat(last.scaleUpEvents().size() + last.scaleDownEvents().size())
        .isLessThanOrEqualTo(60 / 15 + 1);
    for (Evaluation e : run1) {
      assertThat(e.decision().desiredReplicas()).isBetween(spec.minReplicas(), spec.maxReplicas());
    }
  }

  private static List<Evaluation> run(PolicySpec spec, List<Observation> series) {
    List<Evaluation> out = new ArrayList<>();
    PolicyState state = PolicyState.initial();
    int current = series.get(0).currentReplicas();
    for (Observation o : series) {
      Observation actual =
          new Observation(
              o.at(), current, Math.min(current, o.readyReplicas()), o.signals(), o.gpus());
      Evaluation e = DecisionEngine.decide(spec, actual, state);
      out.add(e);
      state = e.state();
      current = e.decision().desiredReplicas();
    }
    return out;
  }

  private static Decision decide(Input in) {
    return DecisionEngine.decide(in.spec(), in.observation(), in.state()).decision();
  }

  // ---- generators ----

  @Provide
  Arbitrary<Input> inputs() {
    return Combinators.combine(specs(), observations(), states()).as(Input::new);
  }

  @Provide
  Arbitrary<PolicySpec> specs() {
    Arbitrary<List<Signal>> targeted =
        Arbitraries.of(Signal.class).list().uniqueElements().ofMaxSize(8);
    Arbitrary<Integer> min = Arbitraries.integers().between(0, 4);
    Arbitrary<Integer> span = Arbitraries.integers().between(0, 40);
    Arbitrary<Double> tolerance = Arbitraries.of(0.0, 0.05, 0.1, 0.25);
    Arbitrary<ScalingRules> up =
        Arbitraries.of(
            ScalingRules.hpaDefaultScaleUp(),
            Fixtures.unlimited(Duration.ZERO),
            Fixtures.unlimited(Duration.ofSeconds(60)),
            new ScalingRules(Duration.ZERO, List.of(), ScalingRules.Select.DISABLED),
            new ScalingRules(
                Duration.ofSeconds(30),
                List.of(
                    RatePolicy.pods(2, Duration.ofSeconds(60)),
                    RatePolicy.percent(50, Duration.ofSeconds(30))),
                ScalingRules.Select.MIN));
    Arbitrary<ScalingRules> down =
        Arbitraries.of(
            ScalingRules.hpaDefaultScaleDown(),
            Fixtures.unlimited(Duration.ZERO),
            new ScalingRules(Duration.ofSeconds(120), List.of(), ScalingRules.Select.DISABLED),
            new ScalingRules(
                Duration.ofSeconds(60),
                List.of(
                    RatePolicy.pods(4, Duration.ofSeconds(60)),
                    RatePolicy.percent(10, Duration.ofSeconds(60))),
                ScalingRules.Select.MAX));
    Arbitrary<Integer> idleSeconds = Arbitraries.of(0, 60, 300);
    return Combinators.combine(targeted, min, span, tolerance, up, down, idleSeconds)
        .as(
            (signals, mn, sp, tol, u, d, idle) -> {
              PolicySpec.Builder b =
                  PolicySpec.builder()
                      .minReplicas(mn)
                      .maxReplicas(Math.max(1, mn + sp))
                      .tolerance(tol)
                      .scaleUp(u)
                      .scaleDown(d)
                      .idleBeforeScaleToZero(Duration.ofSeconds(idle));
              for (Signal s : signals) {
                b.target(s, TARGET_AND_RANGE.get(s)[0]);
              }
              return b.build();
            });
  }

  @Provide
  Arbitrary<Observation> observations() {
    return observationsAt(Arbitraries.just(NOW));
  }

  private Arbitrary<Observation> observationsAt(Arbitrary<Instant> at) {
    Arbitrary<List<Delivery>> deliveries =
        Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.just(Delivery.FRESH)),
                net.jqwik.api.Tuple.of(3, Arbitraries.just(Delivery.ZERO)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(Delivery.class)))
            .list()
            .ofSize(Signal.values().length);
    Arbitrary<List<Double>> fractions =
        Arbitraries.doubles().between(0, 1).list().ofSize(Signal.values().length);
    Arbitrary<Integer> current = Arbitraries.integers().between(0, 60);
    Arbitrary<Integer> readyShare = Arbitraries.integers().between(0, 100);
    return Combinators.combine(at, deliveries, fractions, current, readyShare, gpus())
        .as(
            (instant, how, frac, cur, share, gpus) -> {
              Map<Signal, Reading> readings = new EnumMap<>(Signal.class);
              Signal[] all = Signal.values();
              for (int i = 0; i < all.length; i++) {
                double value = frac.get(i) * TARGET_AND_RANGE.get(all[i])[1];
                switch (how.get(i)) {
                  case FRESH -> readings.put(all[i], Reading.fresh(value));
                  case ZERO -> readings.put(all[i], Reading.fresh(0));
                  case ABSENT -> {}
                  case STALE -> readings.put(all[i], new Reading(value, Duration.ofMinutes(10)));
                  case NAN -> readings.put(all[i], Reading.fresh(Double.NaN));
                  case INFINITE -> readings.put(all[i], Reading.fresh(Double.POSITIVE_INFINITY));
                  case NEGATIVE -> readings.put(all[i], Reading.fresh(-1 - value));
                }
              }
              int ready = cur * share / 100;
              return new Observation(instant, cur, ready, Signals.of(readings), gpus);
            });
  }

  @Provide
  Arbitrary<List<Observation>> observationSeries() {
    return Arbitraries.integers()
        .between(0, 1000)
        .flatMap(
            seed ->
                observationsAt(Arbitraries.just(NOW))
                    .list()
                    .ofMinSize(2)
                    .ofMaxSize(40)
                    .map(
                        list -> {
                          List<Observation> timed = new ArrayList<>();
                          for (int i = 0; i < list.size(); i++) {
                            Observation o = list.get(i);
                            timed.add(
                                new Observation(
                                    NOW.plusSeconds(15L * i),
                                    o.currentReplicas(),
                                    o.readyReplicas(),
                                    o.signals(),
                                    o.gpus()));
                          }
                          return timed;
                        }));
  }

  Arbitrary<List<GpuReading>> gpus() {
    Arbitrary<GpuReading> gpu =
        Combinators.combine(
                Arbitraries.integers().between(0, 3),
                Arbitraries.doubles().between(0, 100),
                Arbitraries.doubles().between(0, 80_000),
                Arbitraries.doubles().between(0, 80_000),
                Arbitraries.of(40.0, 70.0, 86.0, 95.0, Double.NaN),
                Arbitraries.of(0L, 0L, 0L, 1L, 7L))
            .as(
                (pod, util, used, free, temp, xid) ->
                    new GpuReading("pod-" + pod, "gpu-" + pod, util, used, free, temp, xid));
    return gpu.list().ofMaxSize(4);
  }

  @Provide
  Arbitrary<PolicyState> states() {
    Arbitrary<List<PolicyState.Recommendation>> recs =
        Combinators.combine(
                Arbitraries.integers().between(0, 600), Arbitraries.integers().between(0, 60))
            .as((ago, n) -> new PolicyState.Recommendation(NOW.minusSeconds(ago), n))
            .list()
            .ofMaxSize(10);
    Arbitrary<List<PolicyState.ScaleEvent>> events =
        Combinators.combine(
                Arbitraries.integers().between(0, 120), Arbitraries.integers().between(1, 10))
            .as((ago, n) -> new PolicyState.ScaleEvent(NOW.minusSeconds(ago), n))
            .list()
            .ofMaxSize(4);
    Arbitrary<Optional<Instant>> lastActive =
        Arbitraries.integers().between(0, 1000).map(s -> NOW.minusSeconds(s)).optional();
    Arbitrary<Optional<Instant>> lowSince =
        Arbitraries.integers().between(0, 1000).map(s -> NOW.minusSeconds(s)).optional();
    return Combinators.combine(recs, events, events, lastActive, lowSince).as(PolicyState::new);
  }
}
