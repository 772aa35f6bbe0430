package dev.foresight.policy;

import static dev.foresight.policy.Fixtures.T0;
import static dev.foresight.policy.Fixtures.aged;
import static dev.foresight.policy.Fixtures.free;
import static dev.foresight.policy.Fixtures.gpu;
import static dev.foresight.policy.Fixtures.gpuFramebuffer;
import static dev.foresight.policy.Fixtures.obs;
import static dev.foresight.policy.Fixtures.seen;
import static dev.foresight.policy.Fixtures.signals;
import static dev.foresight.policy.Signal.KV_CACHE;
import static dev.foresight.policy.Signal.QUEUE;
import static dev.foresight.policy.Signal.REQUEST_RATE;
import static dev.foresight.policy.Signal.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.foresight.policy.GuardRailEffect.Effect;
import dev.foresight.policy.GuardRailEffect.Rail;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Scale to and from zero, and the DCGM guard-rails. */
class DecisionEngineZeroAndGuardRailsTest {

  private static final PolicySpec TO_ZERO =
      free()
          .minReplicas(0)
          .maxReplicas(10)
          .target(QUEUE, 4)
          .target(REQUEST_RATE, 0.2)
          .idleBeforeScaleToZero(Duration.ofSeconds(300))
          .build();

  private static final Signals IDLE = signals(QUEUE, 0, RUNNING, 0, REQUEST_RATE, 0);

  /** A state whose workload was last seen active {@code seconds} before {@link Fixtures#T0}. */
  private static PolicyState lastActive(int seconds) {
    return PolicyState.initial()
        .withActivity(Optional.of(T0.minusSeconds(seconds)), Optional.empty());
  }

  static Stream<Arguments> zeroRows() {
    return Stream.of(
        arguments(
            "idle for the whole idle period: scale to zero",
            TO_ZERO,
            2,
            IDLE,
            lastActive(300),
            0,
            Reason.SCALE_TO_ZERO,
            false),
        arguments(
            "idle for 299 s of 300: one replica stays",
            TO_ZERO,
            2,
            IDLE,
            lastActive(299),
            1,
            Reason.BOUNDED_MIN,
            true),
        arguments(
            "minReplicas 1 never goes to zero",
            TO_ZERO.toBuilder().minReplicas(1).build(),
            2,
            IDLE,
            lastActive(3600),
            1,
            Reason.BOUNDED_MIN,
            true),
        arguments(
            "running not delivered: not provably idle",
            TO_ZERO,
            2,
            signals(QUEUE, 0, REQUEST_RATE, 0),
            lastActive(3600),
            1,
            Reason.BOUNDED_MIN,
            true),
        arguments(
            "request rate stale: not provably idle",
            TO_ZERO,
            2,
            signals(QUEUE, 0, RUNNING, 0, REQUEST_RATE, aged(0, 120)),
            lastActive(3600),
            2,
            Reason.HOLD_PARTIAL_SIGNALS,
            true),
        arguments(
            "running not delivered, no idle period asked: still not provably idle",
            TO_ZERO.toBuilder().idleBeforeScaleToZero(Duration.ZERO).build(),
            2,
            signals(QUEUE, 0, REQUEST_RATE, 0),
            lastActive(3600),
            1,
            Reason.BOUNDED_MIN,
            true),
        arguments(
            "idle with no idle period asked: zero at once",
            TO_ZERO.toBuilder().idleBeforeScaleToZero(Duration.ZERO).build(),
            2,
            IDLE,
            lastActive(0),
            0,
            Reason.SCALE_TO_ZERO,
            false),
        arguments(
            "something running: not idle",
            TO_ZERO,
            2,
            signals(QUEUE, 0, RUNNING, 1, REQUEST_RATE, 0),
            lastActive(3600),
            1,
            Reason.BOUNDED_MIN,
            true),
        arguments(
            "first observation ever starts the idle clock",
            TO_ZERO,
            2,
            IDLE,
            PolicyState.initial(),
            1,
            Reason.BOUNDED_MIN,
            true),
        arguments(
            "at zero, 3 waiting: wake to ceil(3 / 4) = 1",
            TO_ZERO,
            0,
            signals(QUEUE, 3, RUNNING, 0, REQUEST_RATE, 0),
            seen(),
            1,
            Reason.WAKE_FROM_ZERO,
            true),
        arguments(
            "at zero, 0.5 req/s arriving: wake to ceil(0.5 / 0.2) = 3",
            TO_ZERO,
            0,
            signals(QUEUE, 0, REQUEST_RATE, 0.5),
            seen(),
            3,
            Reason.WAKE_FROM_ZERO,
            true),
        arguments(
            "at zero, 400 waiting: wake capped at maxReplicas 10",
            TO_ZERO,
            0,
            signals(QUEUE, 400),
            seen(),
            10,
            Reason.WAKE_FROM_ZERO,
            true),
        arguments(
            "at zero, idle: stay, inactive",
            TO_ZERO,
            0,
            IDLE,
            seen(),
            0,
            Reason.IDLE_AT_ZERO,
            false),
        arguments(
            "at zero, nothing delivered: stay, but report active",
            TO_ZERO,
            0,
            Signals.none(),
            seen(),
            0,
            Reason.HOLD_NO_USABLE_SIGNAL,
            true),
        arguments(
            "at zero, stale queue of 50: no fresh evidence, stay but report active",
            TO_ZERO,
            0,
            signals(QUEUE, aged(50, 600)),
            seen(),
            0,
            Reason.HOLD_NO_USABLE_SIGNAL,
            true),
        arguments(
            "at zero with minReplicas 2: raised to 2",
            TO_ZERO.toBuilder().minReplicas(2).build(),
            0,
            IDLE,
            seen(),
            2,
            Reason.BOUNDED_MIN,
            true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("zeroRows")
  void scaleToAndFromZero(
      String name,
      PolicySpec spec,
      int current,
      Signals signals,
      PolicyState state,
      int desired,
      Reason reason,
      boolean active) {
    Decision d = DecisionEngine.decide(spec, obs(current, current, signals), state).decision();
    assertThat(d.desiredReplicas()).as(d.message()).isEqualTo(desired);
    assertThat(d.reason()).as(d.message()).isEqualTo(reason);
    assertThat(d.active()).as(d.message()).isEqualTo(active);
  }

  @Test
  void idleClockRunsAcrossDecisionsAndResetsOnActivity() {
    PolicySpec spec = TO_ZERO;
    PolicyState state = seen();
    int current = 2;
    // active at T0, then idle every 60 s: zero after 300 s of idleness
    Evaluation e =
        DecisionEngine.decide(
            spec, obs(T0, current, current, signals(QUEUE, 1, RUNNING, 1, REQUEST_RATE, 1)), state);
    state = e.state();
    assertThat(state.lastSeenActive()).contains(T0);
    for (int i = 1; i <= 5; i++) {
      e = DecisionEngine.decide(spec, obs(T0.plusSeconds(60L * i), 1, 1, IDLE), state);
      state = e.state();
      assertThat(e.decision().desiredReplicas()).as("minute %d", i).isEqualTo(i < 5 ? 1 : 0);
    }
    assertThat(e.decision().reason()).isEqualTo(Reason.SCALE_TO_ZERO);
    assertThat(e.decision().message()).contains("300s");
  }

  static Stream<Arguments> guardRailRows() {
    PolicySpec queue = free().target(QUEUE, 4).build();
    return Stream.of(
        arguments(
            "XID errors on pod a: not capacity, a replacement is added (5 needed + 1)",
            queue,
            5,
            20.0,
            List.of(gpu("a", 90, 60, 3)),
            6,
            Reason.GUARD_RAIL_COMPENSATION,
            List.of(Effect.UNHEALTHY_REPLICA)),
        arguments(
            "hot GPU (90 °C > 87 °C): a replacement is added",
            queue,
            5,
            20.0,
            List.of(gpu("a", 90, 90, 0)),
            6,
            Reason.GUARD_RAIL_COMPENSATION,
            List.of(Effect.UNHEALTHY_REPLICA)),
        arguments(
            "XID errors with the XID rail off: nothing happens",
            queue.toBuilder().guardRails(new GuardRailSpec(87, false, 0.05, 10)).build(),
            5,
            20.0,
            List.of(gpu("a", 90, 60, 3)),
            5,
            Reason.WITHIN_TOLERANCE,
            List.of()),
        arguments(
            "NaN temperature is no reading, not a fault",
            queue,
            5,
            20.0,
            List.of(gpu("a", 90, Double.NaN, 0)),
            5,
            Reason.WITHIN_TOLERANCE,
            List.of()),
        arguments(
            "two bad GPUs in one pod: one replacement",
            queue,
            5,
            20.0,
            List.of(gpu("a", 90, 95, 0), new GpuReading("a", "a-gpu1", 90, 1, 1, 60, 2)),
            6,
            Reason.GUARD_RAIL_COMPENSATION,
            List.of(Effect.UNHEALTHY_REPLICA, Effect.UNHEALTHY_REPLICA)),
        arguments(
            "scale-down 5 → 2 keeps the unhealthy replica on top: 3",
            queue,
            5,
            8.0,
            List.of(gpu("a", 90, 60, 1)),
            3,
            Reason.SCALE_DOWN,
            List.of(Effect.UNHEALTHY_REPLICA, Effect.CAP_SCALE_DOWN)),
        arguments(
            "framebuffer 2.4% free < 5%: scale-down vetoed",
            queue,
            5,
            8.0,
            List.of(gpuFramebuffer("a", 39_000, 1_000)),
            5,
            Reason.HOLD_GUARD_RAIL,
            List.of(Effect.VETO_SCALE_DOWN)),
        arguments(
            "framebuffer low does not block a scale-up",
            queue,
            5,
            40.0,
            List.of(gpuFramebuffer("a", 39_000, 1_000)),
            10,
            Reason.SCALE_UP,
            List.of()),
        arguments(
            "GPU utilization 100% with an empty queue never scales up",
            queue,
            5,
            0.0,
            List.of(gpu("a", 100, 60, 0), gpu("b", 100, 60, 0)),
            1,
            Reason.BOUNDED_MIN,
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("guardRailRows")
  void guardRails(
      String name,
      PolicySpec spec,
      int current,
      double waiting,
      List<GpuReading> gpus,
      int desired,
      Reason reason,
      List<Effect> effects) {
    Observation o =
        obs(T0, current, current, signals(QUEUE, waiting), gpus.toArray(new GpuReading[0]));
    Decision d = DecisionEngine.decide(spec, o, seen()).decision();
    assertThat(d.desiredReplicas()).as(d.message()).isEqualTo(desired);
    assertThat(d.reason()).as(d.message()).isEqualTo(reason);
    assertThat(d.guardRails())
        .extracting(GuardRailEffect::effect)
        .containsExactlyElementsOf(effects);
  }

  @Test
  void replacementDoesNotSpiral() {
    // The unhealthy replica stays unhealthy; the count settles at need + 1 instead of growing.
    PolicySpec spec = free().target(QUEUE, 4).build();
    PolicyState state = seen();
    int current = 5;
    for (int i = 0; i < 10; i++) {
      Observation o =
          obs(T0.plusSeconds(15L * i), current, current, signals(QUEUE, 20), gpu("a", 90, 95, 0));
      Evaluation e = DecisionEngine.decide(spec, o, state);
      current = e.decision().desiredReplicas();
      state = e.state();
    }
    assertThat(current).isEqualTo(6);
  }

  @Test
  void latencyNearTargetWithAnUnhealthyReplicaDoesNotSpiral() {
    // TTFT stays at 0.85 s against 0.8 s however many replicas there are (a latency floor).
    PolicySpec spec = free().target(Signal.TTFT_P95, 0.8).target(QUEUE, 4).build();
    PolicyState state = seen();
    int current = 5;
    for (int i = 0; i < 10; i++) {
      Observation o =
          obs(
              T0.plusSeconds(15L * i),
              current,
              current,
              signals(Signal.TTFT_P95, 0.85, QUEUE, 0),
              gpu("a", 90, 95, 0));
      Evaluation e = DecisionEngine.decide(spec, o, state);
      current = e.decision().desiredReplicas();
      state = e.state();
    }
    assertThat(current).isEqualTo(5);
  }

  @Test
  void sustainedLowUtilizationWaivesTheToleranceDownwards() {
    // kv-cache 0.63 / 0.75 = 0.84 is inside a 0.2 tolerance: 10 hold; its untolerated need is 9.
    PolicySpec spec = free().target(KV_CACHE, 0.75).target(QUEUE, 4).tolerance(0.2).build();
    Signals s = signals(KV_CACHE, 0.63, QUEUE, 0);
    GpuReading[] idleGpus = {gpu("a", 3, 50, 0), gpu("b", 5, 50, 0)};

    PolicyState lowFor59 = seen().withActivity(Optional.of(T0), Optional.of(T0.minusSeconds(59)));
    Decision held = DecisionEngine.decide(spec, obs(T0, 10, 10, s, idleGpus), lowFor59).decision();
    assertThat(held.desiredReplicas()).as(held.message()).isEqualTo(10);
    assertThat(held.reason()).isEqualTo(Reason.WITHIN_TOLERANCE);

    PolicyState lowFor60 = seen().withActivity(Optional.of(T0), Optional.of(T0.minusSeconds(60)));
    Decision permitted =
        DecisionEngine.decide(spec, obs(T0, 10, 10, s, idleGpus), lowFor60).decision();
    assertThat(permitted.desiredReplicas()).isEqualTo(9);
    assertThat(permitted.guardRails())
        .singleElement()
        .satisfies(
            g -> {
              assertThat(g.rail()).isEqualTo(Rail.LOW_UTILIZATION);
              assertThat(g.effect()).isEqualTo(Effect.PERMIT_SCALE_DOWN);
              assertThat(g.message()).contains("mean GPU utilization 4%");
            });

    // A waiting queue resets the low-utilization clock.
    Evaluation busy =
        DecisionEngine.decide(
            spec, obs(T0, 10, 10, signals(KV_CACHE, 0.63, QUEUE, 1), idleGpus), lowFor60);
    assertThat(busy.state().lowUtilizationSince()).isEmpty();
    assertThat(busy.decision().desiredReplicas()).isEqualTo(10);
  }
}
