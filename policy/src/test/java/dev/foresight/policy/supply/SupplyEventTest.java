package dev.foresight.policy.supply;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SupplyEventTest {

  static final Instant AT = Instant.parse("2026-11-02T10:05:02Z");

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
          Karpenter nominates a pod to an in-flight claim | Nominated | Pod | llm | Pod should schedule on: nodeclaim/gpu-l4-x7k2q | NOMINATED | nodeclaim/gpu-l4-x7k2q
          Karpenter nominates a pod to an existing node | Nominated | Pod | llm | Pod should schedule on: node/ip-10-0-1-23.eu-west-2.compute.internal | NOMINATED | node/ip-10-0-1-23.eu-west-2.compute.internal
          nomination with an unreadable message is dropped | Nominated | Pod | llm | Pod was nominated somewhere | - | -
          nomination to an unknown kind is dropped | Nominated | Pod | llm | Pod should schedule on: machine/m-1 | - | -
          nomination without a name is dropped | Nominated | Pod | llm | Pod should schedule on: nodeclaim/ | - | -
          Nominated on something other than a pod is dropped | Nominated | Node | - | Pod should schedule on: nodeclaim/x | - | -
          insufficient capacity on a NodeClaim | InsufficientCapacityError | NodeClaim | default | NodeClaim gpu-l4-x7k2q event: insufficient capacity | INSUFFICIENT_CAPACITY | -
          insufficient capacity on another kind is dropped | InsufficientCapacityError | Node | - | x | - | -
          cluster-autoscaler scale-up | TriggeredScaleUp | Pod | llm | pod triggered scale-up: [{gpu-ng 2->3 (max: 4)}] | TRIGGERED_SCALE_UP | -
          cluster-autoscaler refusal | NotTriggerScaleUp | Pod | llm | pod didn't trigger scale-up: 1 max node group size reached | NOT_TRIGGER_SCALE_UP | -
          scheduler FailedScheduling says nothing about supply | FailedScheduling | Pod | llm | 0/3 nodes are available | - | -
          reason matched exactly, not by case | nominated | Pod | llm | Pod should schedule on: nodeclaim/x | - | -
          """)
  void fromEvent(
      String row,
      String reason,
      String kind,
      String namespace,
      String message,
      SupplyEvent.Type type,
      String target) {
    Optional<SupplyEvent> e =
        SupplyEvent.from(reason, kind, namespace, "gpu-l4-x7k2q", message, AT);
    if (type == null) {
      assertThat(e).isEmpty();
      return;
    }
    assertThat(e).get().extracting(SupplyEvent::type).isEqualTo(type);
    assertThat(e.get().target()).isEqualTo(Optional.ofNullable(target));
    assertThat(e.get().at()).isEqualTo(AT);
    assertThat(e.get().involvedNamespace()).isEqualTo(namespace == null ? "" : namespace);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
          claim | Pod should schedule on: nodeclaim/gpu-l4-x7k2q | gpu-l4-x7k2q | -
          node  | Pod should schedule on: node/ip-10-0-1-23      | -            | ip-10-0-1-23
          """)
  void nominationTarget(String row, String message, String claim, String node) {
    SupplyEvent e = SupplyEvent.from("Nominated", "Pod", "llm", "p", message, AT).orElseThrow();
    assertThat(e.nominatedNodeClaim()).isEqualTo(Optional.ofNullable(claim));
    assertThat(e.nominatedNode()).isEqualTo(Optional.ofNullable(node));
    assertThat(e.concernsPod("llm", "p")).isTrue();
    assertThat(e.concernsPod("other", "p")).isFalse();
  }
}
