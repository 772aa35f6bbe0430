package dev.foresight.policy;

import static dev.foresight.policy.Fixtures.aged;
import static dev.foresight.policy.Fixtures.decide;
import static dev.foresight.policy.Fixtures.free;
import static dev.foresight.policy.Fixtures.obs;
import static dev.foresight.policy.Fixtures.seen;
import static dev.foresight.policy.Fixtures.signals;
import static dev.foresight.policy.Signal.GENERATION_TOKEN_RATE;
import static dev.foresight.policy.Signal.KV_CACHE;
import static dev.foresight.policy.Signal.LATENCY_P95;
import static dev.foresight.policy.Signal.PROMPT_TOKEN_RATE;
import static dev.foresight.policy.Signal.QUEUE;
import static dev.foresight.policy.Signal.REQUEST_RATE;
import static dev.foresight.policy.Signal.RUNNING;
import static dev.foresight.policy.Signal.TTFT_P95;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each signal's formula, their combination, and readings that cannot be used. Behavior is set wide
 * open ({@link Fixtures#free()}) so that only the signal arithmetic decides.
 */
class DecisionEngineSignalsTest {

  static Stream<Arguments> signalRows() {
    return Stream.of(
        arguments(
            "queue: ceil(37 waiting / 4 per replica) = 10 from 5",
            free().target(QUEUE, 4).build(),
            obs(5, 5, signals(QUEUE, 37)),
            10,
            Reason.SCALE_UP),
        arguments(
            "queue: 37 / (4 × 9) = 1.03 is within tolerance 0.1, 9 stay",
            free().target(QUEUE, 4).build(),
            obs(9, 9, signals(QUEUE, 37)),
            9,
            Reason.WITHIN_TOLERANCE),
        arguments(
            "queue: 40 / (4 × 9) = 1.11 is outside tolerance, ceil(10) = 10",
            free().target(QUEUE, 4).build(),
            obs(9, 9, signals(QUEUE, 40)),
            10,
            Reason.SCALE_UP),
        arguments(
            "queue: 8 waiting on 5 replicas scales down to 2",
            free().target(QUEUE, 4).build(),
            obs(5, 5, signals(QUEUE, 8)),
            2,
            Reason.SCALE_DOWN),
        arguments(
            "queue: tolerance 0 acts on any difference",
            free().target(QUEUE, 4).tolerance(0).build(),
            obs(9, 9, signals(QUEUE, 37)),
            10,
            Reason.SCALE_UP),
        arguments(
            "running: ceil(50 / 8) = 7",
            free().target(RUNNING, 8).build(),
            obs(4, 4, signals(RUNNING, 50)),
            7,
            Reason.SCALE_UP),
        arguments(
            "request rate: ceil(11 req/s / 2.5) = 5",
            free().target(REQUEST_RATE, 2.5).build(),
            obs(2, 2, signals(REQUEST_RATE, 11)),
            5,
            Reason.SCALE_UP),
        arguments(
            "prompt token rate: ceil(26000 / 5000) = 6",
            free().target(PROMPT_TOKEN_RATE, 5000).build(),
            obs(3, 3, signals(PROMPT_TOKEN_RATE, 26000)),
            6,
            Reason.SCALE_UP),
        arguments(
            "generation token rate: ceil(2100 / 1000) = 3 from 4",
            free().target(GENERATION_TOKEN_RATE, 1000).build(),
            obs(4, 4, signals(GENERATION_TOKEN_RATE, 2100)),
            3,
            Reason.SCALE_DOWN),
        arguments(
            "kv-cache: 0.9 / 0.75 = 1.2 × 4 ready = ceil(4.8) = 5",
            free().target(KV_CACHE, 0.75).build(),
            obs(4, 4, signals(KV_CACHE, 0.9)),
            5,
            Reason.SCALE_UP),
        arguments(
            "kv-cache: 0.3 / 0.75 = 0.4 × 5 ready = 2",
            free().target(KV_CACHE, 0.75).build(),
            obs(5, 5, signals(KV_CACHE, 0.3)),
            2,
            Reason.SCALE_DOWN),
        arguments(
            "kv-cache: 0.78 / 0.75 = 1.04 is within tolerance",
            free().target(KV_CACHE, 0.75).build(),
            obs(4, 4, signals(KV_CACHE, 0.78)),
            4,
            Reason.WITHIN_TOLERANCE),
        arguments(
            "kv-cache: above target on 3 ready of 6 asks 4, which would go down: keep 6",
            free().target(KV_CACHE, 0.75).build(),
            obs(6, 3, signals(KV_CACHE, 0.9)),
            6,
            Reason.STEADY),
        arguments(
            "ttft: 1.2 s / 0.8 s = 1.5 × 4 ready = 6",
            free().target(TTFT_P95, 0.8).build(),
            obs(4, 4, signals(TTFT_P95, 1.2)),
            6,
            Reason.SCALE_UP),
        arguments(
            "latency: 12 s / 10 s = 1.2 × 5 ready = 6",
            free().target(LATENCY_P95, 10).build(),
            obs(5, 5, signals(LATENCY_P95, 12)),
            6,
            Reason.SCALE_UP),
        arguments(
            "ttft below target alone never scales down",
            free().target(TTFT_P95, 0.8).build(),
            obs(5, 5, signals(TTFT_P95, 0.2)),
            5,
            Reason.STEADY),
        arguments(
            "ttft below target defers: the queue scales down to 2",
            free().target(TTFT_P95, 0.8).target(QUEUE, 4).build(),
            obs(5, 5, signals(TTFT_P95, 0.2, QUEUE, 8)),
            2,
            Reason.SCALE_DOWN),
        arguments(
            "ttft near target (0.85 / 0.8) holds the count against an empty queue",
            free().target(TTFT_P95, 0.8).target(QUEUE, 4).build(),
            obs(5, 5, signals(TTFT_P95, 0.85, QUEUE, 0)),
            5,
            Reason.WITHIN_TOLERANCE),
        arguments(
            "ttft above target never scales below what the queue needs",
            free().target(TTFT_P95, 0.8).target(QUEUE, 4).build(),
            obs(2, 2, signals(TTFT_P95, 1.0, QUEUE, 40)),
            10,
            Reason.SCALE_UP),
        arguments(
            "combination: the highest of queue 3, kv-cache 5, ttft 5 wins",
            free().target(QUEUE, 4).target(KV_CACHE, 0.75).target(TTFT_P95, 0.8).build(),
            obs(4, 4, signals(QUEUE, 12, KV_CACHE, 0.9, TTFT_P95, 1.0)),
            5,
            Reason.SCALE_UP),
        arguments(
            "combination: every signal low scales down to the highest need",
            free()
                .target(QUEUE, 4)
                .target(RUNNING, 8)
                .target(KV_CACHE, 0.75)
                .target(REQUEST_RATE, 2)
                .build(),
            obs(10, 10, signals(QUEUE, 0, RUNNING, 20, KV_CACHE, 0.2, REQUEST_RATE, 7)),
            4,
            Reason.SCALE_DOWN),
        arguments(
            "binary rounding: 4.35 / 1.45 is 3, not 4",
            free().target(REQUEST_RATE, 1.45).build(),
            obs(1, 1, signals(REQUEST_RATE, 4.35)),
            3,
            Reason.SCALE_UP));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("signalRows")
  void eachSignalProposesByItsFormula(
      String name, PolicySpec spec, Observation observation, int desired, Reason reason) {
    Decision d = decide(spec, observation, seen());
    assertThat(d.desiredReplicas()).as(d.message()).isEqualTo(desired);
    assertThat(d.reason()).as(d.message()).isEqualTo(reason);
    assertThat(d.proposals()).hasSize(spec.targets().size());
  }

  static Stream<Arguments> unusableRows() {
    return Stream.of(
        arguments(
            "queue missing, kv-cache says up: scale up on what is known",
            signals(KV_CACHE, 0.9),
            QUEUE,
            Proposal.Status.MISSING,
            6,
            Reason.SCALE_UP),
        arguments(
            "queue missing, kv-cache says down: hold (HPA #99514)",
            signals(KV_CACHE, 0.3),
            QUEUE,
            Proposal.Status.MISSING,
            5,
            Reason.HOLD_PARTIAL_SIGNALS),
        arguments(
            "queue NaN, kv-cache says down: hold",
            signals(QUEUE, Double.NaN, KV_CACHE, 0.3),
            QUEUE,
            Proposal.Status.NAN,
            5,
            Reason.HOLD_PARTIAL_SIGNALS),
        arguments(
            "queue +Inf makes no proposal",
            signals(QUEUE, Double.POSITIVE_INFINITY, KV_CACHE, 0.3),
            QUEUE,
            Proposal.Status.INFINITE,
            5,
            Reason.HOLD_PARTIAL_SIGNALS),
        arguments(
            "queue -Inf makes no proposal",
            signals(QUEUE, Double.NEGATIVE_INFINITY, KV_CACHE, 0.3),
            QUEUE,
            Proposal.Status.INFINITE,
            5,
            Reason.HOLD_PARTIAL_SIGNALS),
        arguments(
            "negative queue is out of range",
            signals(QUEUE, -1, KV_CACHE, 0.3),
            QUEUE,
            Proposal.Status.OUT_OF_RANGE,
            5,
            Reason.HOLD_PARTIAL_SIGNALS),
        arguments(
            "kv-cache above 1 is out of range",
            signals(QUEUE, 0, KV_CACHE, 1.5),
            KV_CACHE,
            Proposal.Status.OUT_OF_RANGE,
            5,
            Reason.HOLD_PARTIAL_SIGNALS),
        arguments(
            "queue 61 s old is stale (limit 60 s)",
            signals(QUEUE, aged(0, 61), KV_CACHE, 0.3),
            QUEUE,
            Proposal.Status.STALE,
            5,
            Reason.HOLD_PARTIAL_SIGNALS),
        arguments(
            "queue exactly 60 s old is still fresh",
            signals(QUEUE, aged(0, 60), KV_CACHE, 0.3),
            QUEUE,
            Proposal.Status.USED,
            2,
            Reason.SCALE_DOWN),
        arguments(
            "stale kv-cache, queue says up: scale up",
            signals(QUEUE, 40, KV_CACHE, aged(0.1, 600)),
            KV_CACHE,
            Proposal.Status.STALE,
            10,
            Reason.SCALE_UP),
        arguments(
            "nothing delivered: hold",
            Signals.none(),
            QUEUE,
            Proposal.Status.MISSING,
            5,
            Reason.HOLD_NO_USABLE_SIGNAL),
        arguments(
            "everything NaN: hold",
            signals(QUEUE, Double.NaN, KV_CACHE, Double.NaN),
            KV_CACHE,
            Proposal.Status.NAN,
            5,
            Reason.HOLD_NO_USABLE_SIGNAL));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unusableRows")
  void unusableReadingsMakeNoProposalAndNeverScaleDown(
      String name,
      Signals signals,
      Signal inspected,
      Proposal.Status status,
      int desired,
      Reason reason) {
    PolicySpec spec = free().target(QUEUE, 4).target(KV_CACHE, 0.75).build();
    Decision d = decide(spec, obs(5, 5, signals), seen());
    assertThat(d.desiredReplicas()).as(d.message()).isEqualTo(desired);
    assertThat(d.reason()).as(d.message()).isEqualTo(reason);
    Proposal p = d.proposal(inspected).orElseThrow();
    assertThat(p.status()).isEqualTo(status);
    if (status != Proposal.Status.USED) {
      assertThat(d.message()).contains(inspected.wireName()).contains(status.name());
    }
  }

  @Test
  void holdWithoutSignalsStillObeysTheMaximum() {
    PolicySpec spec = free().maxReplicas(10).target(QUEUE, 4).build();
    Decision d = decide(spec, obs(12, 12, Signals.none()), seen());
    assertThat(d.desiredReplicas()).isEqualTo(10);
    assertThat(d.reason()).isEqualTo(Reason.BOUNDED_MAX);
    assertThat(d.limit()).contains(Limit.MAX_REPLICAS);
  }

  @Test
  void aSpecWithoutTargetsHolds() {
    Decision d = decide(free().build(), obs(3, 3, signals(QUEUE, 400)), seen());
    assertThat(d.desiredReplicas()).isEqualTo(3);
    assertThat(d.reason()).isEqualTo(Reason.HOLD_NO_USABLE_SIGNAL);
    assertThat(d.message()).isEqualTo("hold 3: no signal has a target");
    assertThat(d.proposals()).isEmpty();
  }

  @Test
  void nanTtftWithoutRequestsIsNoPressure() {
    PolicySpec spec = free().target(TTFT_P95, 0.8).target(QUEUE, 4).build();
    Decision d =
        decide(spec, obs(5, 5, signals(TTFT_P95, Double.NaN, QUEUE, 0, REQUEST_RATE, 0)), seen());
    assertThat(d.proposal(TTFT_P95).orElseThrow().status()).isEqualTo(Proposal.Status.USED);
    assertThat(d.desiredReplicas()).isEqualTo(1);
  }

  @Test
  void nanTtftWithRequestsArrivingIsUnusable() {
    PolicySpec spec = free().target(TTFT_P95, 0.8).target(QUEUE, 4).build();
    Decision d =
        decide(spec, obs(5, 5, signals(TTFT_P95, Double.NaN, QUEUE, 0, REQUEST_RATE, 3)), seen());
    assertThat(d.proposal(TTFT_P95).orElseThrow().status()).isEqualTo(Proposal.Status.NAN);
    assertThat(d.reason()).isEqualTo(Reason.HOLD_PARTIAL_SIGNALS);
    assertThat(d.desiredReplicas()).isEqualTo(5);
  }

  @Test
  void decisionTellsTheWholeStory() {
    PolicySpec spec = free().target(QUEUE, 4).target(KV_CACHE, 0.75).target(TTFT_P95, 0.8).build();
    Decision d = decide(spec, obs(4, 4, signals(QUEUE, 37, KV_CACHE, 0.5)), seen());
    assertThat(d.desiredReplicas()).isEqualTo(10);
    assertThat(d.recommendedReplicas()).isEqualTo(10);
    assertThat(d.winningSignal()).contains(QUEUE);
    assertThat(d.proposal(QUEUE).orElseThrow().arithmetic())
        .isEqualTo("ceil(37 waiting / 4 per replica) = 10");
    assertThat(d.proposal(KV_CACHE).orElseThrow().replicas()).isEqualTo(3);
    assertThat(d.proposal(TTFT_P95).orElseThrow().status()).isEqualTo(Proposal.Status.MISSING);
    assertThat(d.message())
        .startsWith("scale up 4 → 10: queue asks 10 (ceil(37 waiting / 4 per replica) = 10)")
        .contains("ttft_p95 MISSING (not delivered)");
    assertThat(d.active()).isTrue();
    assertThat(d.at()).isEqualTo(Fixtures.T0);
    assertThat(d.currentReplicas()).isEqualTo(4);
    assertThat(d.readyReplicas()).isEqualTo(4);
  }
}
