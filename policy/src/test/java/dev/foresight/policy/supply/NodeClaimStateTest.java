package dev.foresight.policy.supply;

import static dev.foresight.policy.supply.V1Fixtures.EC2;
import static dev.foresight.policy.supply.V1Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;

import dev.foresight.policy.supply.NodeClaimState.Stage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeClaimStateTest {

  static Stream<Arguments> stages() {
    return Stream.of(
        Arguments.of(
            named("created, not launched", V1Fixtures.launching("c", 1, T0)),
            Stage.LAUNCHING,
            true,
            false,
            false,
            1,
            null),
        Arguments.of(
            named("launch failing", V1Fixtures.launchFailing("c", 2, T0)),
            Stage.LAUNCHING,
            true,
            true,
            false,
            2,
            null),
        Arguments.of(
            named("registered, node not ready yet", V1Fixtures.registered("c", 4, T0)),
            Stage.INITIALIZING,
            true,
            false,
            true,
            4,
            null),
        Arguments.of(
            named("initialized", V1Fixtures.initialized("c", 4, 2, T0)),
            Stage.INITIALIZED,
            false,
            false,
            true,
            4,
            Duration.ofSeconds(180)),
        Arguments.of(
            named("being deleted", V1Fixtures.deleting("c", 1, T0, T0.plusSeconds(60))),
            Stage.DELETING,
            false,
            false,
            false,
            1,
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stages")
  void lifecycle(
      NodeClaimState claim,
      Stage stage,
      boolean inFlight,
      boolean launchFailing,
      boolean counted,
      int gpus,
      Duration provisioning) {
    assertThat(claim.stage()).isEqualTo(stage);
    assertThat(claim.inFlight()).isEqualTo(inFlight);
    assertThat(claim.launchFailing()).isEqualTo(launchFailing);
    assertThat(claim.countedInNodePoolResources()).isEqualTo(counted);
    assertThat(claim.gpus()).isEqualTo(gpus);
    assertThat(claim.provisioningDuration()).isEqualTo(Optional.ofNullable(provisioning));
    assertThat(claim.nodePool()).isEqualTo(V1Fixtures.POOL);
  }

  @Test
  void launchedButNotRegisteredIsRegistering() {
    NodeClaimState claim =
        new NodeClaimState(
            "c",
            "gpu-l4",
            EC2,
            T0,
            Optional.empty(),
            1,
            OptionalInt.of(1),
            OptionalInt.of(1),
            Optional.empty(),
            List.of(Condition.isTrue("Launched", T0.plusSeconds(40))),
            0);
    assertThat(claim.stage()).isEqualTo(Stage.REGISTERING);
    assertThat(claim.inFlight()).isTrue();
  }

  @Test
  void allocatableWinsOverRequestsOnceLaunched() {
    NodeClaimState claim =
        NodeClaimState.fromFields(
            "c",
            Map.of(),
            EC2,
            T0,
            null,
            Map.of("nvidia.com/gpu", "1"),
            Map.of("nvidia.com/gpu", "8"),
            Map.of("nvidia.com/gpu", "8"),
            "",
            List.of(),
            0);
    assertThat(claim.gpus()).isEqualTo(8);
    assertThat(claim.nodePool()).as("no karpenter.sh/nodepool label").isEmpty();
    assertThat(claim.nodeName()).isEmpty();
  }

  @Test
  void badFieldsNameTheField() {
    assertThatThrownBy(
            () ->
                NodeClaimState.fromFields(
                    "gpu-l4-x7k2q",
                    Map.of(),
                    EC2,
                    T0,
                    null,
                    Map.of(),
                    Map.of("nvidia.com/gpu", "1"),
                    Map.of("nvidia.com/gpu", "half"),
                    null,
                    List.of(),
                    0))
        .isInstanceOfSatisfying(
            InvalidSupplyInputException.class,
            e ->
                assertThat(e.field())
                    .isEqualTo("nodeclaim/gpu-l4-x7k2q.status.allocatable[nvidia.com/gpu]"));
    assertThatThrownBy(
            () ->
                Condition.fromFields(
                    "nodeclaim/x.status.conditions", "Launched", "Yes", "", "", T0))
        .isInstanceOfSatisfying(
            InvalidSupplyInputException.class,
            e -> {
              assertThat(e.field())
                  .isEqualTo("nodeclaim/x.status.conditions[type=Launched].status");
              assertThat(e.value()).isEqualTo("Yes");
              assertThat(e.expected()).isEqualTo("True, False or Unknown");
            });
    assertThatThrownBy(
            () ->
                NodePoolState.fromFields(
                    "gpu-l4", Map.of("nvidia.com/gpu", "-4"), Map.of(), List.of()))
        .isInstanceOfSatisfying(
            InvalidSupplyInputException.class,
            e -> assertThat(e.field()).isEqualTo("nodepool/gpu-l4.spec.limits[nvidia.com/gpu]"));
  }

  @Test
  void nodePoolWithoutGpuLimitIsUnlimited() {
    NodePoolState pool = NodePoolState.fromFields("cpu", Map.of("cpu", "100"), null, List.of());
    assertThat(pool.gpuLimit()).isEmpty();
    assertThat(pool.gpusInUse()).isZero();
  }
}
