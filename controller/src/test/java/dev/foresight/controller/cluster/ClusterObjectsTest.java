package dev.foresight.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.foresight.policy.WorkloadRef;
import dev.foresight.policy.supply.NodeClaimState;
import dev.foresight.policy.supply.NodePoolState;
import dev.foresight.policy.supply.PendingPod;
import dev.foresight.policy.supply.SupplyEvent;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The pure interpretation of API objects, on fixtures written from the real schemas. */
class ClusterObjectsTest {

  private static final WorkloadRef LLAMA =
      new WorkloadRef("inference", "llama", "Deployment", "vllm-llama");

  @Test
  void readyPodHasItsWholeStartUpTimeline() {
    PodTimeline t = PodTimeline.of(Fixtures.typed("pod-ready.json", V1Pod.class));
    assertThat(t.created()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
    assertThat(t.scheduled()).contains(Instant.parse("2026-11-23T10:00:02Z"));
    // the latest container start: vllm at 10:01:30, not the sidecar at 10:00:40
    assertThat(t.containersStarted()).contains(Instant.parse("2026-11-23T10:01:30Z"));
    assertThat(t.ready()).contains(Instant.parse("2026-11-23T10:03:10Z"));
    assertThat(t.startup()).contains(Duration.ofSeconds(190));
  }

  @Test
  void startingPodIsScheduledButNotStartedOrReady() {
    PodTimeline t = PodTimeline.of(Fixtures.typed("pod-starting.json", V1Pod.class));
    assertThat(t.scheduled()).contains(Instant.parse("2026-11-23T10:04:01Z"));
    assertThat(t.containersStarted()).isEmpty();
    assertThat(t.isReady()).isFalse();
    assertThat(t.startup()).isEmpty();
  }

  @Test
  void unschedulablePodBecomesAPendingPodPinnedToItsNodePool() {
    V1Pod pod = Fixtures.typed("pod-pending.json", V1Pod.class);
    PendingPod p = PodObjects.pendingPod(pod, LLAMA).orElseThrow();
    assertThat(p.unschedulable()).isTrue();
    assertThat(p.gpus()).isEqualTo(2); // from limits: no request given
    assertThat(p.nodePoolSelector()).contains("gpu-a100");
    assertThat(p.key()).isEqualTo("inference/vllm-llama-7c9d8-fghij");
    assertThat(PodObjects.pendingPod(Fixtures.typed("pod-ready.json", V1Pod.class), LLAMA))
        .isEmpty();
  }

  @Test
  void gpusAreSummedOverContainers() {
    assertThat(PodObjects.gpus(Fixtures.typed("pod-ready.json", V1Pod.class))).isEqualTo(1);
  }

  @Test
  void fractionalGpuRequestIsRejectedNamingTheField() {
    V1Pod pod = Fixtures.typed("pod-ready.json", V1Pod.class);
    pod.getSpec()
        .getContainers()
        .get(0)
        .getResources()
        .getRequests()
        .put("nvidia.com/gpu", io.kubernetes.client.custom.Quantity.fromString("500m"));
    assertThatThrownBy(() -> PodObjects.gpus(pod))
        .isInstanceOfSatisfying(
            InvalidObjectException.class,
            e -> {
              assertThat(e.field()).contains("resources.requests[nvidia.com/gpu]");
              assertThat(e.value()).isEqualTo("500m");
            });
  }

  @Test
  void launchingNodeClaimIsInFlightWithItsRequestedGpus() {
    NodeClaimState c = KarpenterObjects.nodeClaim(Fixtures.json("nodeclaim-launching.json"), 0);
    assertThat(c.nodePool()).isEqualTo("gpu-a100");
    assertThat(c.stage()).isEqualTo(NodeClaimState.Stage.LAUNCHING);
    assertThat(c.inFlight()).isTrue();
    assertThat(c.requestedGpus()).isEqualTo(2);
    assertThat(c.capacityGpus()).isEmpty();
    assertThat(c.nodeClassRef().kind()).isEqualTo("EC2NodeClass");
  }

  @Test
  void initializedNodeClaimGivesItsProvisioningTime() {
    NodeClaimState c = KarpenterObjects.nodeClaim(Fixtures.json("nodeclaim-initialized.json"), 3);
    assertThat(c.stage()).isEqualTo(NodeClaimState.Stage.INITIALIZED);
    assertThat(c.allocatableGpus()).isEqualTo(OptionalInt.of(8));
    assertThat(c.nodeName()).contains("gpu-node-a");
    assertThat(c.gpusBound()).isEqualTo(3);
    assertThat(c.provisioningDuration()).contains(Duration.ofSeconds(210));
  }

  @Test
  void nodeClaimWithABadQuantityFailsNamingTheField() {
    assertThatThrownBy(() -> KarpenterObjects.nodeClaim(Fixtures.json("nodeclaim-bad-gpu.json"), 0))
        .isInstanceOfSatisfying(
            InvalidObjectException.class,
            e -> {
              assertThat(e.object()).isEqualTo("nodeclaim/gpu-a100-bad");
              assertThat(e.field()).contains("spec.resources.requests");
              assertThat(e.value()).isEqualTo("lots");
            });
  }

  @Test
  void nodePoolHasItsGpuLimitAndUse() {
    NodePoolState p = KarpenterObjects.nodePool(Fixtures.json("nodepool-limited.json"));
    assertThat(p.gpuLimit()).isEqualTo(OptionalInt.of(16));
    assertThat(p.gpusInUse()).isEqualTo(8);
    assertThat(p.conditions()).hasSize(1);
  }

  @Test
  void nominatedEventNamesItsNodeClaim() {
    SupplyEvent e =
        SupplyEvents.of(Fixtures.typed("event-nominated.json", CoreV1Event.class)).orElseThrow();
    assertThat(e.type()).isEqualTo(SupplyEvent.Type.NOMINATED);
    assertThat(e.nominatedNodeClaim()).contains("gpu-a100-x7k2p");
    assertThat(e.concernsPod("inference", "vllm-llama-7c9d8-fghij")).isTrue();
    assertThat(SupplyEvents.of(Fixtures.typed("event-pulled.json", CoreV1Event.class))).isEmpty();
  }

  @Test
  void scalingPolicyResourceNamesItsTarget() {
    PolicyResource p = PolicyResource.of(Fixtures.json("scalingpolicy.json"));
    assertThat(p.ref()).isEqualTo(LLAMA);
    assertThat(p.targetApiVersion()).isEqualTo("apps/v1");
    assertThat(p.generation()).isEqualTo(3);
    assertThat(p.spec()).contains("\"maxReplicas\":8");
  }

  @Test
  void scalingPolicyWithoutTargetNameFailsNamingTheField() {
    var json = Fixtures.json("scalingpolicy.json");
    json.getAsJsonObject("spec").getAsJsonObject("targetRef").remove("name");
    assertThatThrownBy(() -> PolicyResource.of(json))
        .isInstanceOfSatisfying(
            InvalidObjectException.class,
            e -> {
              assertThat(e.object()).isEqualTo("scalingpolicy/inference/llama");
              assertThat(e.field()).isEqualTo("spec.targetRef.name");
            });
  }

  static Stream<Arguments> selectors() {
    return Stream.of(
        Arguments.of("one term", "app=vllm", Optional.of(Map.of("app", "vllm"))),
        Arguments.of(
            "two terms, == and spaces",
            "app==vllm, tier = gpu",
            Optional.of(Map.of("app", "vllm", "tier", "gpu"))),
        Arguments.of("inequality is rejected", "app!=vllm", Optional.empty()),
        Arguments.of("set term is rejected", "app in (a,b)", Optional.empty()),
        Arguments.of("existence term is rejected", "app", Optional.empty()),
        Arguments.of("empty is rejected", "", Optional.empty()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("selectors")
  void scaleSelectorParsing(String name, String selector, Optional<Map<String, String>> expected) {
    if (expected.isPresent()) {
      ScaleReading s = ScaleReading.of("Deployment/ns/x", 3, 2, selector);
      assertThat(s.selector()).isEqualTo(expected.get());
      assertThat(s.selects(Map.of("app", "vllm", "tier", "gpu", "other", "x"))).isTrue();
      assertThat(s.selects(Map.of("app", "tgi", "tier", "gpu"))).isFalse();
    } else {
      assertThatThrownBy(() -> ScaleReading.of("Deployment/ns/x", 3, 2, selector))
          .isInstanceOfSatisfying(
              InvalidObjectException.class,
              e -> {
                assertThat(e.field()).isEqualTo("scale.status.selector");
                assertThat(e.object()).isEqualTo("Deployment/ns/x");
              });
    }
  }
}
