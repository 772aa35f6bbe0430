package dev.foresight.policy.supply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;

import dev.foresight.policy.Limit;
import dev.foresight.policy.Reason;
import dev.foresight.policy.WorkloadRef;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SupplyConstraintTest {

  static final WorkloadRef W = WorkloadRef.deployment("llm", "vllm-llama");

  /** Karpenter supply for 1-GPU replicas: pending/covered pods, headroom, spare GPUs per node. */
  static NodeSupply karpenter(
      int pending, int covered, Integer headroom, List<Integer> free, boolean blocked) {
    return new NodeSupply(
        W,
        NodeSupply.Observed.KARPENTER,
        Set.of("gpu-l4"),
        1,
        pending,
        covered,
        covered,
        headroom == null ? OptionalInt.empty() : OptionalInt.of(headroom),
        free,
        blocked ? 1 : 0,
        blocked);
  }

  record Row(
      int recommended,
      int current,
      NodeSupply supply,
      OptionalInt ask,
      int replicas,
      Reason reason,
      OptionalInt askAfter) {}

  static Arguments row(String name, Row row) {
    return Arguments.of(named(name, row));
  }

  static OptionalInt ask(int a) {
    return OptionalInt.of(a);
  }

  static final OptionalInt NONE = OptionalInt.empty();

  static Stream<Arguments> rows() {
    return Stream.of(
        row(
            "scale-down is never touched by supply",
            new Row(5, 8, karpenter(2, 0, 0, List.of(), true), NONE, 5, null, NONE)),
        row(
            "steady stays steady and keeps the ask while pods are pending",
            new Row(13, 13, karpenter(1, 1, 3, List.of(), false), ask(13), 13, null, ask(13))),
        row(
            "growth within headroom passes and becomes the standing ask",
            new Row(14, 12, karpenter(0, 0, 3, List.of(), false), NONE, 14, null, ask(14))),
        row(
            "capped at current nodes plus headroom: 12 scheduled + 1 on the way + 3",
            new Row(
                20,
                13,
                karpenter(1, 1, 3, List.of(), false),
                NONE,
                16,
                Reason.NODE_SUPPLY_CAPPED,
                ask(20))),
        row(
            "limit reached with unbacked pods: capped, never below current",
            new Row(
                22,
                19,
                karpenter(3, 0, 0, List.of(), false),
                ask(19),
                19,
                Reason.NODE_SUPPLY_CAPPED,
                ask(19))),
        row(
            "stockout: no headroom counts, held at current",
            new Row(
                15,
                13,
                karpenter(1, 0, 4, List.of(), true),
                NONE,
                13,
                Reason.NODE_SUPPLY_CAPPED,
                NONE)),
        row(
            "pending pods covered by in-flight nodes and the need has not grown: no duplicate ask",
            new Row(
                15,
                13,
                karpenter(1, 1, 3, List.of(), false),
                ask(15),
                13,
                Reason.HOLD_NODE_SUPPLY_IN_FLIGHT,
                ask(15))),
        row(
            "need grew past the standing ask: scale up again",
            new Row(16, 13, karpenter(1, 1, 3, List.of(), false), ask(15), 16, null, ask(16))),
        row(
            "no standing ask (first decision, restart): missing memory never blocks growth",
            new Row(15, 13, karpenter(1, 1, 3, List.of(), false), NONE, 15, null, ask(15))),
        row(
            "some pending pods uncovered: no hold, the cap decides",
            new Row(15, 13, karpenter(2, 1, 3, List.of(), false), ask(15), 15, null, ask(15))),
        row(
            "nothing pending any more: the standing ask is dropped",
            new Row(13, 13, karpenter(0, 0, 3, List.of(), false), ask(15), 13, null, NONE)),
        row(
            "spare GPUs on nodes back more than headroom alone",
            new Row(
                20,
                12,
                karpenter(0, 0, 0, List.of(3, 2), false),
                NONE,
                17,
                Reason.NODE_SUPPLY_CAPPED,
                ask(20))),
        row(
            "no Karpenter: never constrained",
            new Row(40, 13, NodeSupply.unconstrained(W, 1), NONE, 40, null, ask(40))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void rule(Row row) {
    SupplyOutcome out =
        SupplyConstraint.apply(row.recommended(), row.current(), row.supply(), row.ask());

    assertThat(out.replicas()).as(out.message()).isEqualTo(row.replicas());
    assertThat(out.reason()).isEqualTo(Optional.ofNullable(row.reason()));
    assertThat(out.limit())
        .isEqualTo(row.reason() == null ? Optional.empty() : Optional.of(Limit.NODE_SUPPLY));
    assertThat(out.standingAsk()).as("standing ask").isEqualTo(row.askAfter());
    if (row.reason() == null) {
      assertThat(out.message()).isEmpty();
    } else {
      assertThat(out.message()).contains(Integer.toString(row.recommended()));
    }
  }

  @org.junit.jupiter.api.Test
  void capMessageCarriesTheArithmetic() {
    SupplyOutcome out = SupplyConstraint.apply(20, 13, karpenter(1, 1, 3, List.of(2), false), NONE);
    assertThat(out.message())
        .isEqualTo(
            "capped 20 → 18: 12 scheduled + 1 pending and covered + 2 on free GPUs (2 spare on 1"
                + " nodes) + 3 from headroom (floor(3 GPUs / 1)) = 18 replicas of 1 GPU(s)");
    assertThat(out.maxBackable()).isEqualTo(18);
  }

  @org.junit.jupiter.api.Test
  void holdMessageNamesTheStandingAsk() {
    SupplyOutcome karpenter =
        SupplyConstraint.apply(15, 13, karpenter(2, 2, 3, List.of(), false), ask(15));
    assertThat(karpenter.message())
        .isEqualTo(
            "held at 13 instead of 15: all 2 pending pod(s) are covered by nodes on their way (2"
                + " GPUs in flight) and the need has not grown past the 15 they were asked for");
    NodeSupply ca =
        new NodeSupply(
            W,
            NodeSupply.Observed.EVENTS_ONLY,
            Set.of(),
            1,
            1,
            1,
            0,
            OptionalInt.empty(),
            List.of(),
            0,
            false);
    assertThat(SupplyConstraint.apply(15, 13, ca, ask(15)).message())
        .isEqualTo(
            "held at 13 instead of 15: all 1 pending pod(s) are covered by nodes on their way and"
                + " the need has not grown past the 15 they were asked for");
  }

  @org.junit.jupiter.api.Test
  void negativeCountsAreRejected() {
    assertThatThrownBy(() -> SupplyConstraint.apply(-1, 3, NodeSupply.unconstrained(W, 1)))
        .hasMessageContaining("recommended -1");
  }
}
