package dev.foresight.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.policy.Generated.Input;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Invariants of {@link DecisionEngine#decide}, each checked on {@value #CASES} generated inputs
 * ({@link Generated}). Inputs come from fixed seeds, so a run is reproducible; a failure names the
 * seed and prints the input.
 */
class DecisionEnginePropertiesTest {

  static final int CASES = 2_000;

  /** Checks {@code property} on {@link #CASES} inputs, naming the seed of the first failure. */
  private static void forAll(long salt, Consumer<Input> property) {
    for (int i = 0; i < CASES; i++) {
      Input in = Generated.input(salt * 1_000_003L + i);
      try {
        property.accept(in);
      } catch (AssertionError e) {
        throw new AssertionError("property failed for " + in + "\n" + e.getMessage(), e);
      }
    }
  }

  @Test
  void resultIsAlwaysWithinBounds() {
    forAll(
        1,
        in -> {
          Decision d = in.decide().decision();
          assertThat(d.desiredReplicas())
              .as(d.message())
              .isBetween(in.spec().minReplicas(), in.spec().maxReplicas());
        });
  }

  @Test
  void missingOrStaleDataNeverLowersTheCount() {
    forAll(
        2,
        in -> {
          Decision d = in.decide().decision();
          if (d.proposals().stream().anyMatch(p -> !p.usable())) {
            int current = in.observation().currentReplicas();
            assertThat(d.desiredReplicas())
                .as(d.message())
                .isGreaterThanOrEqualTo(Math.min(current, in.spec().maxReplicas()));
          }
        });
  }

  @Test
  void losingASignalNeverScalesDownBelowWhatItWouldHaveDone() {
    forAll(
        3,
        in -> {
          Decision with = in.decide().decision();
          Observation o = in.observation();
          for (Signal lost : in.spec().targets().keySet()) {
            Map<Signal, Reading> readings = new EnumMap<>(Signal.class);
            readings.putAll(o.signals().asMap());
            readings.put(lost, new Reading(0, in.spec().maxSignalAge().plusSeconds(1)));
            Observation stale =
                new Observation(
                    o.at(), o.currentReplicas(), o.readyReplicas(), Signals.of(readings), o.gpus());
            Decision without = DecisionEngine.decide(in.spec(), stale, in.state()).decision();
            int floor = Math.min(o.currentReplicas(), in.spec().maxReplicas());
            assertThat(without.desiredReplicas())
                .as("%s stale: %s", lost, without.message())
                .isGreaterThanOrEqualTo(Math.min(floor, with.desiredReplicas()));
          }
        });
  }

  @Test
  void scaleToZeroOnlyOnFreshIdleEvidence() {
    forAll(
        4,
        in -> {
          Decision d = in.decide().decision();
          if (d.desiredReplicas() == 0) {
            assertThat(in.spec().minReplicas()).isZero();
          }
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
        });
  }

  @Test
  void activeIsNeverFalseOnMissingData() {
    forAll(
        5,
        in -> {
          Decision d = in.decide().decision();
          Signals s = in.observation().signals();
          boolean idleProven =
              List.of(Signal.QUEUE, Signal.RUNNING, Signal.REQUEST_RATE).stream()
                  .allMatch(
                      sig ->
                          s.get(sig)
                              .filter(r -> r.value() == 0.0)
                              .filter(r -> r.age().compareTo(in.spec().maxSignalAge()) <= 0)
                              .isPresent());
          if (!idleProven || d.desiredReplicas() > 0) {
            assertThat(d.active()).as(d.message()).isTrue();
          }
        });
  }

  @Test
  void theDecisionTellsItsStory() {
    forAll(
        8,
        in -> {
          Decision d = in.decide().decision();
          assertThat(d.message()).isNotBlank().doesNotContain("null").doesNotContain("Optional");
          for (Proposal p : d.proposals()) {
            assertThat(p.arithmetic()).isNotBlank();
            if (!p.usable() && d.reason() != Reason.IDLE_AT_ZERO) {
              assertThat(d.message()).contains(p.signal().wireName() + " " + p.status());
            }
          }
          d.winningSignal()
              .ifPresent(w -> assertThat(d.proposal(w).orElseThrow().usable()).isTrue());
          if (d.desiredReplicas() > d.currentReplicas()
              && d.reason() != Reason.WAKE_FROM_ZERO
              && d.reason() != Reason.BOUNDED_MIN
              && d.reason() != Reason.RATE_LIMITED) {
            assertThat(d.reason())
                .as(d.message())
                .isIn(Reason.SCALE_UP, Reason.GUARD_RAIL_COMPENSATION, Reason.BOUNDED_MAX);
          }
        });
  }

  @Test
  void sameInputAndStateGiveTheSameDecision() {
    forAll(
        6,
        in -> {
          // equal but separately built inputs, decided twice
          Input again = Generated.input(in.seed());
          assertThat(again.decide()).isEqualTo(in.decide()).isEqualTo(in.decide());
        });
  }

  @Test
  void sequencesReplayExactlyAndStateStaysBounded() {
    for (long seed = 0; seed < 200; seed++) {
      SplittableRandom r = new SplittableRandom(7_000_000L + seed);
      PolicySpec spec = Generated.spec(r);
      List<Observation> series = Generated.series(r);
      List<Evaluation> run1 = run(spec, series);
      assertThat(run(spec, series)).as("seed %d", seed).isEqualTo(run1);
      long window =
          Math.max(
              spec.scaleUp().stabilizationWindow().toSeconds(),
              spec.scaleDown().stabilizationWindow().toSeconds());
      PolicyState last = run1.get(run1.size() - 1).state();
      // one decision every 15 s: at most window / 15 s + 1 recommendations, plus the first seed
      assertThat(last.recommendations().size())
          .as("seed %d", seed)
          .isLessThanOrEqualTo((int) (window / 15 + 2));
      // longest period 60 s: at most 60 / 15 + 1 scale events
      assertThat(last.scaleUpEvents().size() + last.scaleDownEvents().size())
          .as("seed %d", seed)
          .isLessThanOrEqualTo(60 / 15 + 1);
      for (Evaluation e : run1) {
        assertThat(e.decision().desiredReplicas())
            .as("seed %d: %s", seed, e.decision().message())
            .isBetween(spec.minReplicas(), spec.maxReplicas());
      }
    }
  }

  @Test
  void aSteadyObservationSettlesWithoutOscillating() {
    // The same signals and GPUs every 15 s, the decided count fed back as current and ready:
    // whatever the policy, the count must stop moving (no flapping, no endless replacements).
    for (long seed = 0; seed < 300; seed++) {
      SplittableRandom r = new SplittableRandom(9_000_000L + seed);
      PolicySpec spec = Generated.spec(r);
      Observation o = Generated.observation(r, Generated.NOW);
      PolicyState state = PolicyState.initial();
      int current = o.currentReplicas();
      List<Integer> counts = new ArrayList<>();
      for (int step = 0; step < 120; step++) {
        Observation now =
            new Observation(
                Generated.NOW.plusSeconds(15L * step), current, current, o.signals(), o.gpus());
        Evaluation e = DecisionEngine.decide(spec, now, state);
        state = e.state();
        current = e.decision().desiredReplicas();
        counts.add(current);
      }
      assertThat(counts.subList(100, 120))
          .as("seed %d, spec %s, observation %s: %s", seed, spec, o, counts)
          .containsOnly(current);
    }
  }

  /** Decides each observation in turn, feeding back the state and the desired count. */
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
}
