package dev.foresight.policy.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.policy.Prediction;
import dev.foresight.policy.capacity.Capacity;
import dev.foresight.policy.capacity.CapacityObservation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PredictiveStateTest {

  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final int DAY = 120;
  private static final double CAPACITY = 5;

  /** Lead time 5 minutes (no node provisioning), a "day" of 120 one-minute samples. */
  private static final PredictionSpec SPEC =
      PredictionSpec.builder()
          .enabled(true)
          .season(DAY, MINUTE)
          .leadTimePrior(Duration.ofMinutes(5))
          .nodeProvisioningPrior(Duration.ZERO)
          .capacityPrior(Capacity.requests(CAPACITY))
          .build();

  /** 10 req/s, ramping to 50 req/s between minutes 60 and 70 of each day, back at minute 90. */
  private static double load(int t) {
    int minute = t % DAY;
    if (minute < 60 || minute >= 90) {
      return 10;
    }
    return minute < 70 ? 10 + 4 * (minute - 60) : 50;
  }

  private static int reactiveReplicas(int t) {
    return (int) Math.ceil(load(t) / CAPACITY);
  }

  @Test
  void aPredictableRampIsMetAtLeastOneLeadTimeEarly() {
    PredictiveState state = PredictiveState.initial(SPEC);
    int lead = 5;
    int firstDay = 3 * DAY;
    int arrival = -1;
    int preScale = -1;
    for (int t = 0; t < firstDay + DAY; t++) {
      Instant now = T0.plus(MINUTE.multipliedBy(t));
      state = state.observeLoad(now, LoadSample.requests(load(t)));
      if (t < firstDay) {
        continue;
      }
      int predicted = state.predict(SPEC, now, false).orElseThrow().replicas();
      if (preScale < 0 && predicted > reactiveReplicas(firstDay)) {
        preScale = t;
      }
      if (arrival < 0 && reactiveReplicas(t) > reactiveReplicas(firstDay)) {
        arrival = t;
      }
    }
    // The load first needs more than the 2 base replicas at minute 61 of the day (14 req/s).
    assertThat(arrival).isEqualTo(firstDay + 61);
    assertThat(preScale).isLessThanOrEqualTo(arrival - lead);
    // ...and not absurdly early: within the last quarter-hour before it.
    assertThat(preScale).isGreaterThan(arrival - 15);
  }

  @Test
  void duringTheRampThePredictionCoversTheLoadOneLeadTimeAhead() {
    PredictiveState state = PredictiveState.initial(SPEC);
    for (int t = 0; t < 3 * DAY + 60; t++) {
      state = state.observeLoad(T0.plus(MINUTE.multipliedBy(t)), LoadSample.requests(load(t)));
    }
    for (int t = 3 * DAY + 60; t < 3 * DAY + 90; t++) {
      Instant now = T0.plus(MINUTE.multipliedBy(t));
      state = state.observeLoad(now, LoadSample.requests(load(t)));
      Prediction p = state.predict(SPEC, now, false).orElseThrow();
      assertThat(p.model()).isEqualTo(SeriesForecaster.HOLT_WINTERS);
      assertThat(p.replicas())
          .as("minute %d", t % DAY)
          .isGreaterThanOrEqualTo(reactiveReplicas(t + 5));
    }
  }

  @Test
  void keepsReplicasTheForecastNeedsAgainWithinLeadPlusMargin() {
    List<TimedLoad> history = new ArrayList<>();
    int end = 3 * DAY + 88;
    for (int t = 0; t <= end; t++) {
      history.add(new TimedLoad(T0.plus(MINUTE.multipliedBy(t)), LoadSample.requests(load(t))));
    }
    PredictiveState state = PredictiveState.rebuild(SPEC, history);
    Instant now = T0.plus(MINUTE.multipliedBy(end));
    // At minute 88 the load is still 50 for two minutes: within 5 + 2 minutes the peak is 10
    // replicas.
    assertThat(state.replicasNeededWithin(SPEC, now, false).orElseThrow())
        .isGreaterThanOrEqualTo(10);
    // ...while one lead time ahead, at minute 93, the load is back at 10 req/s.
    assertThat(state.predict(SPEC, now, false).orElseThrow().replicas()).isLessThan(10);
    assertThat(state.derivedScaleDownWindow(SPEC, false)).isEqualTo(Duration.ofMinutes(7));
  }

  @Test
  void makesNoPredictionWhenDisabledEmptyOrStale() {
    PredictiveState empty = PredictiveState.initial(SPEC);
    assertThat(empty.predict(SPEC, T0, false)).isEmpty();
    assertThat(empty.replicasNeededWithin(SPEC, T0, false)).isEmpty();
    PredictiveState fed = empty.observeLoad(T0, LoadSample.requests(20));
    assertThat(fed.predict(SPEC, T0.plusSeconds(180), false)).isPresent();
    assertThat(fed.predict(SPEC, T0.plusSeconds(181), false))
        .as("older than 3 intervals")
        .isEmpty();
    PredictionSpec disabled = SPEC.toBuilder().enabled(false).build();
    assertThat(fed.predict(disabled, T0, false)).isEmpty();
    assertThat(fed.replicasNeededWithin(disabled, T0, false)).isEmpty();
  }

  @Test
  void observeOnlyComputesButDoesNotAct() {
    PredictionSpec observeOnly = SPEC.toBuilder().observeOnly(true).build();
    PredictiveState state =
        PredictiveState.initial(observeOnly).observeLoad(T0, LoadSample.requests(12));
    Prediction p = state.predict(observeOnly, T0, false).orElseThrow();
    assertThat(p.acting()).isFalse();
    assertThat(p.replicas()).isEqualTo(3);
    assertThat(p.arithmetic()).endsWith("(observe-only)");
    assertThat(state.predict(SPEC, T0, false).orElseThrow().acting()).isTrue();
  }

  @Test
  void learnedLeadTimeAndCapacityFeedThePrediction() {
    PredictiveState state = PredictiveState.initial(SPEC).observeLoad(T0, LoadSample.requests(12));
    assertThat(state.predict(SPEC, T0, true).orElseThrow().horizon())
        .isEqualTo(Duration.ofMinutes(5));
    for (int i = 0; i < 5; i++) {
      state =
          state
              .observePodStartup(Duration.ofSeconds(100))
              .observeNodeProvisioning(Duration.ofSeconds(200));
    }
    assertThat(state.predict(SPEC, T0, false).orElseThrow().horizon())
        .isEqualTo(Duration.ofSeconds(100));
    assertThat(state.predict(SPEC, T0, true).orElseThrow().horizon())
        .isEqualTo(Duration.ofSeconds(300));
    for (int i = 0; i < 30; i++) {
      state = state.observeCapacity(new CapacityObservation(2, LoadSample.requests(12), true, 1));
    }
    Prediction p = state.predict(SPEC, T0, false).orElseThrow();
    assertThat(p.capacityPerReplica()).isEqualTo(6.0);
    assertThat(p.replicas()).isEqualTo(2);
  }
}
