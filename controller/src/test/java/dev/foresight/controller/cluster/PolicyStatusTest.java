package dev.foresight.controller.cluster;

import static dev.foresight.controller.cluster.KubernetesClusterTest.LLAMA;
import static dev.foresight.controller.cluster.KubernetesClusterTest.decision;
import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.policy.Decision;
import dev.foresight.policy.GuardRailEffect;
import dev.foresight.policy.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyStatusTest {

  static Stream<Arguments> conditions() {
    return Stream.of(
        Arguments.of(Reason.SCALE_UP, "True", "False", "False"),
        Arguments.of(Reason.HOLD_PARTIAL_SIGNALS, "True", "True", "False"),
        Arguments.of(Reason.HOLD_NO_USABLE_SIGNAL, "True", "True", "True"),
        Arguments.of(Reason.NODE_SUPPLY_CAPPED, "True", "False", "False"));
  }

  @ParameterizedTest(name = "{0}: Ready={1} Stale={2} Fallback={3}")
  @MethodSource("conditions")
  void conditionsFollowTheReason(Reason reason, String ready, String stale, String fallback) {
    Map<String, Object> status = PolicyStatus.of(decision(3, 3, reason), 1, Map.of());
    Map<String, String> byType = byType(status);
    assertThat(byType)
        .containsEntry("Ready", ready)
        .containsEntry("Active", "True")
        .containsEntry("Stale", stale)
        .containsEntry("Fallback", fallback);
  }

  @Test
  void transitionTimeMovesOnlyWhenTheStatusChanges() {
    Instant t0 = Instant.parse("2026-11-23T09:00:00Z");
    Map<String, PolicyStatus.StatusCondition> previous = new HashMap<>();
    previous.put("Stale", new PolicyStatus.StatusCondition("Stale", "False", "", "", t0));
    previous.put("Fallback", new PolicyStatus.StatusCondition("Fallback", "False", "", "", t0));
    Map<String, Object> status =
        PolicyStatus.of(decision(3, 3, Reason.HOLD_PARTIAL_SIGNALS), 1, previous);
    Map<String, String> times = new HashMap<>();
    for (Object o : (List<?>) status.get("conditions")) {
      Map<?, ?> c = (Map<?, ?>) o;
      times.put((String) c.get("type"), (String) c.get("lastTransitionTime"));
    }
    assertThat(times.get("Fallback")).as("unchanged False").isEqualTo(t0.toString());
    assertThat(times.get("Stale"))
        .as("False -> True")
        .isEqualTo(KubernetesClusterTest.AT.toString());
  }

  @Test
  void printerColumnFieldsAreSet() {
    Map<String, Object> status = PolicyStatus.of(decision(2, 4, Reason.SCALE_UP), 7, Map.of());
    assertThat(status)
        .containsEntry("desiredReplicas", 4)
        .containsEntry("currentReplicas", 2)
        .containsEntry("reason", "ScaleUp")
        .containsEntry("observedGeneration", 7L)
        .containsEntry("lastDecisionTime", KubernetesClusterTest.AT.toString());
  }

  @Test
  void eventsOnChangeGuardRailAndSupplyCapAreRateLimited() {
    PolicyEvents events = new PolicyEvents(Duration.ofSeconds(30));
    Decision first = decision(3, 3, Reason.STEADY);
    assertThat(events.after(LLAMA, null, first)).isEmpty();

    Decision up = decision(3, 5, Reason.SCALE_UP);
    assertThat(events.after(LLAMA, first, up))
        .extracting(PolicyEvents.PolicyEvent::reason)
        .containsExactly("DesiredReplicasChanged");

    Decision again = at(decision(5, 6, Reason.SCALE_UP), 10);
    assertThat(events.after(LLAMA, up, again)).as("within 30 s: suppressed").isEmpty();

    Decision later = at(decision(6, 7, Reason.SCALE_UP), 40);
    List<PolicyEvents.PolicyEvent> out = events.after(LLAMA, again, later);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).message()).contains("6 -> 7").contains("1 similar suppressed");

    Decision railed =
        withRail(at(decision(7, 7, Reason.HOLD_GUARD_RAIL), 50), GuardRailEffect.Rail.TEMPERATURE);
    assertThat(events.after(LLAMA, later, railed))
        .extracting(PolicyEvents.PolicyEvent::reason, PolicyEvents.PolicyEvent::type)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("GuardRailTripped", "Warning"));
    Decision stillRailed =
        withRail(at(decision(7, 7, Reason.HOLD_GUARD_RAIL), 100), GuardRailEffect.Rail.TEMPERATURE);
    assertThat(events.after(LLAMA, railed, stillRailed)).as("the same rail again").isEmpty();

    Decision capped = at(decision(7, 7, Reason.NODE_SUPPLY_CAPPED), 110);
    assertThat(events.after(LLAMA, stillRailed, capped))
        .extracting(PolicyEvents.PolicyEvent::reason)
        .containsExactly("NodeSupplyCapped");
  }

  private static Decision at(Decision d, int seconds) {
    return new Decision(
        d.at().plusSeconds(seconds),
        d.currentReplicas(),
        d.readyReplicas(),
        d.recommendedReplicas(),
        d.desiredReplicas(),
        d.proposals(),
        d.winningSignal(),
        d.limit(),
        d.guardRails(),
        d.prediction(),
        d.reason(),
        d.message(),
        d.active());
  }

  private static Decision withRail(Decision d, GuardRailEffect.Rail rail) {
    return new Decision(
        d.at(),
        d.currentReplicas(),
        d.readyReplicas(),
        d.recommendedReplicas(),
        d.desiredReplicas(),
        d.proposals(),
        d.winningSignal(),
        d.limit(),
        List.of(
            new GuardRailEffect(
                rail, GuardRailEffect.Effect.VETO_SCALE_DOWN, "pod/x", "GPU at 90 C")),
        Optional.empty(),
        d.reason(),
        d.message(),
        d.active());
  }

  private static Map<String, String> byType(Map<String, Object> status) {
    Map<String, String> out = new HashMap<>();
    for (Object o : (List<?>) status.get("conditions")) {
      Map<?, ?> c = (Map<?, ?>) o;
      out.put((String) c.get("type"), (String) c.get("status"));
    }
    return out;
  }
}
