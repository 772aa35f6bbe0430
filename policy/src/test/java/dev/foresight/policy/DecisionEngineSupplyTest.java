package dev.foresight.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.foresight.policy.supply.NodeSupply;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Node supply through {@link DecisionEngine#decide}: the supply rule comes after behavior and
 * bounds, caps growth at what nodes and NodePool headroom can back, and holds growth while pending
 * pods are covered by nodes on their way; the standing ask travels in the {@link PolicyState}.
 * Replicas of one GPU each; the queue target is 4 per replica.
 */
class DecisionEngineSupplyTest {

  private static final WorkloadRef WORKLOAD = WorkloadRef.deployment("llm", "chat");

  private static NodeSupply supply(int pending, int covered, int headroomGpus, int... freeGpus) {
    return new NodeSupply(
        WORKLOAD,
        NodeSupply.Observed.KARPENTER,
        Set.of("gpu"),
        1,
        pending,
        covered,
        covered,
        headroomGpus < 0 ? OptionalInt.empty() : OptionalInt.of(headroomGpus),
        java.util.Arrays.stream(freeGpus).boxed().toList(),
        0,
        false);
  }

  private static Observation queue(int current, double queue, NodeSupply supply) {
    Observation o =
        Observation.of(Fixtures.T0, current, current, Fixtures.signals(Signal.QUEUE, queue));
    return supply == null ? o : o.withSupply(supply);
  }

  static Stream<Arguments> rows() {
    return Stream.of(
        arguments(
            "no supply observed: reactive",
            4,
            40.0,
            null,
            OptionalInt.empty(),
            10,
            Reason.SCALE_UP),
        arguments(
            "NodePool without a GPU limit: reactive",
            4,
            40.0,
            supply(0, 0, -1),
            OptionalInt.empty(),
            10,
            Reason.SCALE_UP),
        arguments(
            "headroom for 2 more: 4 + 2 = 6",
            4,
            40.0,
            supply(0, 0, 2),
            OptionalInt.empty(),
            6,
            Reason.NODE_SUPPLY_CAPPED),
        arguments(
            "headroom 1 + 1 free GPU: 4 + 1 + 1 = 6",
            4,
            40.0,
            supply(0, 0, 1, 1),
            OptionalInt.empty(),
            6,
            Reason.NODE_SUPPLY_CAPPED),
        arguments(
            "no headroom: kept at the current 4",
            4,
            40.0,
            supply(0, 0, 0),
            OptionalInt.empty(),
            4,
            Reason.NODE_SUPPLY_CAPPED),
        arguments(
            "2 pending covered, need not grown past the ask of 10: hold",
            6,
            40.0,
            supply(2, 2, 0),
            OptionalInt.of(10),
            6,
            Reason.HOLD_NODE_SUPPLY_IN_FLIGHT),
        arguments(
            "2 pending covered, need grew to 12 > ask 10, headroom 8: grows",
            6,
            48.0,
            supply(2, 2, 8),
            OptionalInt.of(10),
            12,
            Reason.SCALE_UP),
        arguments(
            "2 pending covered but no standing ask (restart): growth not blocked",
            6,
            40.0,
            supply(2, 2, 8),
            OptionalInt.empty(),
            10,
            Reason.SCALE_UP),
        arguments(
            "scale-down untouched by supply",
            8,
            8.0,
            supply(0, 0, 0),
            OptionalInt.empty(),
            2,
            Reason.SCALE_DOWN));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void supplyRuleThroughTheEngine(
      String name,
      int current,
      double queue,
      NodeSupply supply,
      OptionalInt ask,
      int expected,
      Reason reason) {
    PolicySpec spec = Fixtures.free().tolerance(0).target(Signal.QUEUE, 4).build();
    PolicyState state = Fixtures.seen().withStandingAsk(ask);

    Decision d = Fixtures.decide(spec, queue(current, queue, supply), state);

    assertThat(d.desiredReplicas()).as(d.message()).isEqualTo(expected);
    assertThat(d.reason()).as(d.message()).isEqualTo(reason);
    boolean constrained =
        reason == Reason.NODE_SUPPLY_CAPPED || reason == Reason.HOLD_NODE_SUPPLY_IN_FLIGHT;
    assertThat(d.limit().filter(l -> l == Limit.NODE_SUPPLY).isPresent()).isEqualTo(constrained);
    if (constrained) {
      assertThat(d.message()).contains("node supply");
    }
    // Supply never lowers below the current count nor raises above the reactive decision.
    Decision reactive = Fixtures.decide(spec, queue(current, queue, null), state);
    assertThat(d.desiredReplicas())
        .isGreaterThanOrEqualTo(Math.min(current, reactive.desiredReplicas()))
        .isLessThanOrEqualTo(reactive.desiredReplicas());
  }

  @Test
  void aCappedAskIsRememberedAndHoldsTheNextDecision() {
    PolicySpec spec = Fixtures.free().tolerance(0).target(Signal.QUEUE, 4).build();
    // 4 replicas, the queue asks for 10, headroom backs 2 more.
    Evaluation first = DecisionEngine.decide(spec, queue(4, 40, supply(0, 0, 2)), Fixtures.seen());
    assertThat(first.decision().desiredReplicas()).isEqualTo(6);
    assertThat(first.decision().message()).contains("capped 10 → 6");
    assertThat(first.state().standingAsk()).hasValue(10);

    // Next tick: the 2 new pods wait for the nodes Karpenter launched; the queue still reads 40.
    Evaluation second =
        DecisionEngine.decide(
            spec, queue(6, 40, supply(2, 2, 0)).withSlo(SloStatus.MISSED), first.state());
    assertThat(second.decision().desiredReplicas()).isEqualTo(6);
    assertThat(second.decision().reason()).isEqualTo(Reason.HOLD_NODE_SUPPLY_IN_FLIGHT);
    assertThat(second.decision().limit()).isEqualTo(Optional.of(Limit.NODE_SUPPLY));
    assertThat(second.state().standingAsk()).hasValue(10);

    // The nodes came and nothing is pending: the ask is dropped.
    Evaluation third =
        DecisionEngine.decide(spec, queue(6, 24, supply(0, 0, 0, 0)), second.state());
    assertThat(third.decision().desiredReplicas()).isEqualTo(6);
    assertThat(third.state().standingAsk()).isEmpty();
  }

  @Test
  void supplyDoesNotOverrideMinReplicas() {
    PolicySpec spec = Fixtures.free().tolerance(0).target(Signal.QUEUE, 4).minReplicas(3).build();
    // Current 1 (below min after an outage), no headroom: min wins.
    Decision d = Fixtures.decide(spec, queue(1, 40, supply(0, 0, 0)), Fixtures.seen());
    assertThat(d.desiredReplicas()).isEqualTo(3);
    assertThat(d.message()).contains("raised to the minimum 3");
  }

  @Test
  void aHoldOnMissingSignalsKeepsTheStandingAskWhilePodsWait() {
    PolicySpec spec = Fixtures.free().target(Signal.QUEUE, 4).build();
    Observation none =
        Observation.of(Fixtures.T0, 6, 4, Signals.none()).withSupply(supply(2, 2, 0));
    Evaluation e =
        DecisionEngine.decide(spec, none, Fixtures.seen().withStandingAsk(OptionalInt.of(9)));
    assertThat(e.decision().desiredReplicas()).isEqualTo(6);
    assertThat(e.decision().reason()).isEqualTo(Reason.HOLD_NO_USABLE_SIGNAL);
    assertThat(e.state().standingAsk()).hasValue(9);
    assertThat(List.of(e.decision().limit())).containsExactly(Optional.empty());
  }
}
