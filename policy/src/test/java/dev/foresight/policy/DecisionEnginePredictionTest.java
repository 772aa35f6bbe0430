package dev.foresight.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.foresight.policy.capacity.Capacity;
import dev.foresight.policy.forecast.LoadSample;
import dev.foresight.policy.forecast.PredictionSpec;
import dev.foresight.policy.forecast.PredictiveState;
import dev.foresight.policy.forecast.TimedLoad;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pre-scaling through {@link DecisionEngine#decide}: the forecast one lead time ahead raises the
 * count, a scale-down the forecast needs again is held, and the scale-down window is derived from
 * the lead time when none is set. The reactive signal is the request rate at 2 requests/s per
 * replica and the capacity prior is the same 2 requests/s, so reactive and predictive counts speak
 * the same unit; one decision per minute, the forecaster's sample interval.
 */
class DecisionEnginePredictionTest {

  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final Duration LEAD = Duration.ofMinutes(5);
  private static final Duration MARGIN = Duration.ofMinutes(2);
  private static final int SEASON = 60;
  private static final double PER_REPLICA = 2;

  private static PredictionSpec.Builder prediction() {
    return PredictionSpec.builder()
        .enabled(true)
        .season(SEASON, MINUTE)
        .capacityPrior(Capacity.requests(PER_REPLICA))
        .leadTimePrior(LEAD)
        .nodeProvisioningPrior(Duration.ZERO)
        .scaleDownMargin(MARGIN);
  }

  /** Request rate at 2 per replica, no tolerance, behavior that lets any count through at once. */
  private static PolicySpec.Builder spec(PredictionSpec prediction) {
    return Fixtures.free()
        .tolerance(0)
        .target(Signal.REQUEST_RATE, PER_REPLICA)
        .maxReplicas(100)
        .prediction(prediction);
  }

  private static Observation at(Instant at, int current, double rate) {
    return Observation.of(at, current, current, Fixtures.signals(Signal.REQUEST_RATE, rate));
  }

  /** A state whose forecaster saw {@code minutes} samples of {@code rate(minute)} before T0. */
  private static PolicyState trained(
      PredictionSpec p, int minutes, IntToDoubleFunction rateAtMinute) {
    List<TimedLoad> history = new ArrayList<>();
    for (int m = 0; m < minutes; m++) {
      history.add(
          new TimedLoad(
              Fixtures.T0.minus(MINUTE.multipliedBy(minutes - m)),
              LoadSample.requests(rateAtMinute.applyAsDouble(m))));
    }
    return Fixtures.seen().withPredictive(PredictiveState.rebuild(p, history));
  }

  static Stream<Arguments> modes() {
    return Stream.of(
        arguments("prediction off: reactive only", PredictionSpec.disabled(), Reason.SCALE_UP),
        arguments(
            "prediction on: the forecast's count",
            prediction().build(),
            Reason.PREDICTIVE_SCALE_UP),
        arguments(
            "observe-only: computed, reported, not applied",
            prediction().observeOnly(true).build(),
            Reason.SCALE_UP));
  }

  /**
   * The load stood at 40 requests/s for an hour and has just dropped to 10: reactive asks 5, the
   * forecast (which follows the drop only partly) asks more.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void predictionOnOffAndObserveOnly(String name, PredictionSpec p, Reason reason) {
    PolicySpec spec = spec(p).build();
    PredictionSpec learnedUnder = p.enabled() ? p : prediction().build();
    PolicyState state = trained(learnedUnder, 60, m -> 40);

    Decision d = Fixtures.decide(spec, at(Fixtures.T0, 3, 10), state);

    assertThat(d.reason()).as(d.message()).isEqualTo(reason);
    assertThat(d.prediction().isPresent()).isEqualTo(p.enabled());
    int expected = 5;
    if (d.prediction().isPresent()) {
      Prediction pr = d.prediction().get();
      assertThat(pr.acting()).isEqualTo(!p.observeOnly());
      assertThat(pr.horizon()).isEqualTo(LEAD);
      assertThat(pr.replicas()).as(pr.arithmetic()).isGreaterThan(5);
      assertThat(d.message()).contains(p.observeOnly() ? "observe-only" : "prediction:");
      expected = pr.acting() ? pr.replicas() : 5;
    }
    assertThat(d.desiredReplicas()).as(d.message()).isEqualTo(expected);
    if (p.observeOnly()) {
      Decision reactive =
          Fixtures.decide(
              spec(PredictionSpec.disabled()).build(), at(Fixtures.T0, 3, 10), Fixtures.seen());
      assertThat(d.desiredReplicas()).isEqualTo(reactive.desiredReplicas());
      assertThat(d.recommendedReplicas()).isEqualTo(reactive.recommendedReplicas());
    }
  }

  @Test
  void predictionDisabledByDefaultLeavesTheStateWithoutLearners() {
    Evaluation e =
        DecisionEngine.decide(
            spec(PredictionSpec.disabled()).build(), at(Fixtures.T0, 3, 10), Fixtures.seen());
    assertThat(e.state().predictive()).isEmpty();
    assertThat(e.decision().prediction()).isEmpty();
  }

  /** A daily-like season of one hour: 10 req/s, a ramp to 40 over minutes 40-49, 40 to the end. */
  private static double seasonalRamp(int minute) {
    int m = Math.floorMod(minute, SEASON);
    if (m < 40) {
      return 10;
    }
    return m < 50 ? 10 + 3 * (m - 39) : 40;
  }

  /** Runs one decision a minute; the target follows the decision at once (an ideal fleet). */
  private static List<Decision> run(
      PolicySpec spec, PolicyState state, int minutes, IntToDoubleFunction rate, int start) {
    List<Decision> out = new ArrayList<>();
    int current = (int) Math.ceil(rate.applyAsDouble(start) / PER_REPLICA);
    for (int i = 0; i < minutes; i++) {
      Instant now = Fixtures.T0.plus(MINUTE.multipliedBy(i));
      Evaluation e =
          DecisionEngine.decide(spec, at(now, current, rate.applyAsDouble(start + i)), state);
      out.add(e.decision());
      state = e.state();
      current = e.decision().desiredReplicas();
    }
    return out;
  }

  @Test
  void aSeasonalRampIsPreScaledAtLeastOneLeadTimeAhead() {
    PredictionSpec p = prediction().build();
    // Three seasons of history: Holt-Winters knows the ramp.
    PolicyState state = trained(p, 3 * SEASON, DecisionEnginePredictionTest::seasonalRamp);

    List<Decision> withPrediction = run(spec(p).build(), state, SEASON, m -> seasonalRamp(m), 0);
    List<Decision> reactive =
        run(
            spec(PredictionSpec.disabled()).build(),
            Fixtures.seen(),
            SEASON,
            m -> seasonalRamp(m),
            0);

    int reactiveStart = firstAbove(reactive, 5);
    int predictiveStart = firstAbove(withPrediction, 5);
    assertThat(reactiveStart).isEqualTo(40);
    assertThat(predictiveStart)
        .as("first pre-scale minute %d, reactive %d", predictiveStart, reactiveStart)
        .isLessThanOrEqualTo(reactiveStart - (int) LEAD.toMinutes());
    assertThat(withPrediction.get(predictiveStart).reason()).isEqualTo(Reason.PREDICTIVE_SCALE_UP);
    // Ahead of the ramp at every minute: the count one lead time later is already there.
    for (int m = predictiveStart; m + LEAD.toMinutes() < SEASON; m++) {
      int needLater = reactive.get(m + (int) LEAD.toMinutes()).recommendedReplicas();
      assertThat(withPrediction.get(m).desiredReplicas())
          .as("minute %d: %s", m, withPrediction.get(m).message())
          .isGreaterThanOrEqualTo(needLater);
    }
    // Never below what the reactive signals need.
    for (int m = 0; m < SEASON; m++) {
      assertThat(withPrediction.get(m).desiredReplicas())
          .isGreaterThanOrEqualTo(reactive.get(m).recommendedReplicas());
    }
  }

  private static int firstAbove(List<Decision> decisions, int replicas) {
    for (int i = 0; i < decisions.size(); i++) {
      if (decisions.get(i).desiredReplicas() > replicas) {
        return i;
      }
    }
    return -1;
  }

  /** 40 req/s, a drop to 10 at minute 30, one more burst of 40 at minutes 36-37, then 10. */
  private static double burstAfterDrop(int minute) {
    int m = Math.floorMod(minute, SEASON);
    if (m < 30) {
      return 40;
    }
    return m == 36 || m == 37 ? 40 : 10;
  }

  @Test
  void aScaleDownTheForecastNeedsAgainWithinLeadTimeIsHeld() {
    PredictionSpec p = prediction().build();
    PolicyState state = trained(p, 3 * SEASON, DecisionEnginePredictionTest::burstAfterDrop);
    // Now is minute 30 of the fourth season: the load just dropped; the burst at minute 36 is
    // beyond the lead time (35) but within lead time + margin (37).
    Observation drop = at(Fixtures.T0, 20, burstAfterDrop(30)).withSlo(SloStatus.MET);

    Evaluation e = DecisionEngine.decide(spec(p).build(), drop, state);
    Decision held = e.decision();
    Decision reactive = Fixtures.decide(spec(PredictionSpec.disabled()).build(), drop, state);

    assertThat(reactive.desiredReplicas()).isEqualTo(5);
    assertThat(reactive.reason()).isEqualTo(Reason.SCALE_DOWN);
    PredictiveState learned = e.state().predictive().orElseThrow();
    int atLead = held.prediction().orElseThrow().replicas();
    int keep = learned.replicasNeededWithin(p, Fixtures.T0, true).orElseThrow();
    assertThat(keep).as("the burst within lead time + margin").isGreaterThan(atLead);
    assertThat(held.desiredReplicas()).as(held.message()).isEqualTo(Math.min(20, keep));
    assertThat(held.desiredReplicas()).isGreaterThan(reactive.desiredReplicas());
    assertThat(held.reason()).as(held.message()).isEqualTo(Reason.HOLD_PREDICTED_LOAD);
    assertThat(held.message()).contains("within lead time + margin");
  }

  static Stream<Arguments> windows() {
    return Stream.of(
        arguments("no window, no prediction: down at once", Duration.ZERO, false, 1, null),
        arguments(
            "no window, prediction: lead time + margin (420 s) holds the 10 of 200 s ago",
            Duration.ZERO,
            true,
            10,
            Limit.SCALE_DOWN_STABILIZATION),
        arguments(
            "a window of 60 s is the policy's own: the 10 of 200 s ago is outside",
            Duration.ofSeconds(60),
            true,
            1,
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("windows")
  void theScaleDownWindowIsDerivedFromTheLeadTimeWhenNoneIsSet(
      String name, Duration window, boolean predict, int expected, Limit limit) {
    PredictionSpec p = prediction().build();
    PolicySpec spec =
        spec(predict ? p : PredictionSpec.disabled()).scaleDown(Fixtures.unlimited(window)).build();
    // Quiet for an hour (1 replica's worth), and 10 replicas recommended 200 s ago.
    PolicyState state =
        trained(p, 60, m -> 1).withRecommendation(Fixtures.T0.minusSeconds(200), 10);

    Decision d = Fixtures.decide(spec, at(Fixtures.T0, 10, 1), state);

    assertThat(d.desiredReplicas()).as(d.message()).isEqualTo(expected);
    assertThat(d.limit()).isEqualTo(Optional.ofNullable(limit));
    if (limit != null) {
      assertThat(d.reason()).isEqualTo(Reason.HOLD_STABILIZATION);
      assertThat(d.message()).contains("420s (lead time + margin)");
    }
  }

  @Test
  void learnersAreFedFromTheObservation() {
    PredictionSpec p = prediction().leadTimeSamples(2, 5).capacitySamples(2, 10).build();
    PolicySpec spec = spec(p).target(Signal.QUEUE, 4).build();
    PolicyState state = Fixtures.seen();
    for (int i = 0; i < 3; i++) {
      Observation o =
          Observation.of(
                  Fixtures.T0.plus(MINUTE.multipliedBy(i)),
                  4,
                  4,
                  Fixtures.signals(Signal.REQUEST_RATE, 12, Signal.QUEUE, 2))
              .withSlo(SloStatus.MET)
              .withStartups(List.of(Duration.ofSeconds(100 + 100 * i)), List.of());
      state = DecisionEngine.decide(spec, o, state).state();
    }
    PredictiveState learned = state.predictive().orElseThrow();
    // p90 of 100, 200, 300 s
    assertThat(learned.leadTime(false)).isEqualTo(Duration.ofSeconds(280));
    // 12 req/s on 4 ready replicas, busy (2 waiting) and within the SLO: 3 per replica
    assertThat(learned.capacity().estimate().learned()).isTrue();
    assertThat(learned.capacity().estimate().perReplica().requestsPerSecond()).isEqualTo(3.0);
  }

  static Stream<Arguments> sloRows() {
    return Stream.of(
        arguments("reported met", SloStatus.MET, 5.0, true),
        arguments("reported missed", SloStatus.MISSED, 0.1, false),
        arguments("unknown, TTFT at target", SloStatus.UNKNOWN, 1.0, true),
        arguments("unknown, TTFT above target", SloStatus.UNKNOWN, 1.5, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sloRows")
  void capacityIsLearnedOnlyWhenTheSloIsMet(
      String name, SloStatus slo, double ttft, boolean learns) {
    PredictionSpec p = prediction().capacitySamples(1, 10).build();
    PolicySpec spec = spec(p).target(Signal.TTFT_P95, 1.0).build();
    Observation o =
        Observation.of(
                Fixtures.T0,
                4,
                4,
                Fixtures.signals(Signal.REQUEST_RATE, 12, Signal.QUEUE, 2, Signal.TTFT_P95, ttft))
            .withSlo(slo);
    PredictiveState learned =
        DecisionEngine.decide(spec, o, Fixtures.seen()).state().predictive().orElseThrow();
    assertThat(learned.capacity().estimate().learned()).isEqualTo(learns);
  }

  @Test
  void aBusyKvCacheTeachesCapacityWithoutAQueue() {
    PredictionSpec p = prediction().capacitySamples(1, 10).build();
    PolicySpec spec = spec(p).target(Signal.QUEUE, 4).target(Signal.KV_CACHE, 0.9).build();
    Observation o =
        Observation.of(
                Fixtures.T0,
                4,
                4,
                Fixtures.signals(Signal.REQUEST_RATE, 12, Signal.QUEUE, 0, Signal.KV_CACHE, 0.85))
            .withSlo(SloStatus.MET);
    PredictiveState learned =
        DecisionEngine.decide(spec, o, Fixtures.seen()).state().predictive().orElseThrow();
    // Nothing waits, but 85% of the KV cache is in use: 12 req/s on 4 replicas is 3 per replica.
    assertThat(learned.capacity().estimate().perReplica().requestsPerSecond()).isEqualTo(3.0);
  }

  @Test
  void missesAtALowLoadLowerTheCapacityBelowThePrior() {
    PredictionSpec p = prediction().capacitySamples(1, 10).build();
    PolicySpec spec = spec(p).target(Signal.QUEUE, 4).build();
    Observation servedLightly =
        Observation.of(Fixtures.T0, 4, 4, Fixtures.signals(Signal.REQUEST_RATE, 2, Signal.QUEUE, 2))
            .withSlo(SloStatus.MET);
    Observation missed =
        Observation.of(
                Fixtures.T0.plus(MINUTE),
                4,
                4,
                Fixtures.signals(Signal.REQUEST_RATE, 4, Signal.QUEUE, 2))
            .withSlo(SloStatus.MISSED);
    PolicyState state = DecisionEngine.decide(spec, servedLightly, Fixtures.seen()).state();
    // 0.5 req/s per replica met the SLO, but without a miss the prior of 2 stands.
    assertThat(
            state.predictive().orElseThrow().capacity().estimate().perReplica().requestsPerSecond())
        .isEqualTo(2.0);
    PredictiveState learned =
        DecisionEngine.decide(spec, missed, state).state().predictive().orElseThrow();
    // The SLO was then missed at 1 req/s per replica, below the prior: the estimate follows.
    assertThat(learned.capacity().estimate().perReplica().requestsPerSecond()).isEqualTo(1.0);
  }

  @Test
  void aStaleRequestRateTeachesNothingAndLowersNothing() {
    PredictionSpec p = prediction().build();
    PolicyState state = trained(p, 60, m -> 40);
    Observation stale =
        Observation.of(
            Fixtures.T0, 20, 20, Fixtures.signals(Signal.REQUEST_RATE, Fixtures.aged(1, 600)));

    Evaluation e = DecisionEngine.decide(spec(p).build(), stale, state);

    assertThat(e.decision().desiredReplicas()).isEqualTo(20);
    assertThat(e.state().predictive().orElseThrow().load().lastSampleAt())
        .isEqualTo(state.predictive().orElseThrow().load().lastSampleAt());
  }

  static Stream<Arguments> partialSignals() {
    return Stream.of(
        arguments("prediction off: the partial-signal hold", false, Reason.HOLD_PARTIAL_SIGNALS),
        arguments(
            "prediction on: the forecast raises the count", true, Reason.PREDICTIVE_SCALE_UP));
  }

  /**
   * The queue reading is stale and the fresh request rate asks for fewer replicas than now: a
   * reactive hold. A forecast (40 req/s for an hour) asking for more than now still raises it.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("partialSignals")
  void aPartialSignalHoldGivesWayOnlyToAForecastAskingForMore(
      String name, boolean predict, Reason reason) {
    PredictionSpec p = prediction().build();
    PolicySpec spec = spec(predict ? p : PredictionSpec.disabled()).target(Signal.QUEUE, 4).build();
    Observation partial =
        Observation.of(
            Fixtures.T0,
            8,
            8,
            Fixtures.signals(Signal.REQUEST_RATE, 10, Signal.QUEUE, Fixtures.aged(100, 600)));

    Decision d = Fixtures.decide(spec, partial, trained(p, 60, m -> 40));

    assertThat(d.reason()).as(d.message()).isEqualTo(reason);
    if (predict) {
      assertThat(d.desiredReplicas())
          .as(d.message())
          .isEqualTo(d.prediction().orElseThrow().replicas())
          .isGreaterThan(8);
    } else {
      assertThat(d.desiredReplicas()).isEqualTo(8);
    }
  }
}
