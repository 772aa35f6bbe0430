package dev.foresight.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.foresight.controller.loop.GovernedWorkload;
import dev.foresight.policy.Decision;
import dev.foresight.policy.Reason;
import dev.foresight.policy.WorkloadRef;
import dev.foresight.policy.supply.ClusterSupply;
import dev.foresight.policy.supply.NodeClaimState;
import dev.foresight.policy.supply.NodeSupply;
import dev.foresight.policy.supply.NodeSupplyAnalyzer;
import dev.foresight.policy.supply.PendingPod;
import dev.foresight.policy.supply.SupplyReport;
import dev.foresight.policy.supply.WorkloadPlacement;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** client-java against the HTTP-level fake API server: informers, reads, writes, discovery. */
class KubernetesClusterTest {

  static final WorkloadRef LLAMA =
      new WorkloadRef("inference", "llama", "Deployment", "vllm-llama");
  static final Instant AT = Instant.parse("2026-11-23T10:06:00Z");
  static final String POLICIES = "/apis/autoscaling.foresight.dev/v1alpha1/scalingpolicies";
  static final String SCALE = "/apis/apps/v1/namespaces/inference/deployments/vllm-llama/scale";
  static final String PODS = "/api/v1/namespaces/inference/pods";
  static final String EVENTS = "/api/v1/events";
  static final String KARPENTER = "/apis/karpenter.sh/v1";
  static final String KARPENTER_RESOURCES =
      "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"karpenter.sh/v1\","
          + "\"resources\":["
          + "{\"name\":\"nodeclaims\",\"singularName\":\"nodeclaim\",\"namespaced\":false,"
          + "\"kind\":\"NodeClaim\",\"verbs\":[\"get\",\"list\",\"watch\"]},"
          + "{\"name\":\"nodeclaims/status\",\"singularName\":\"\",\"namespaced\":false,"
          + "\"kind\":\"NodeClaim\",\"verbs\":[\"get\",\"patch\",\"update\"]},"
          + "{\"name\":\"nodepools\",\"singularName\":\"nodepool\",\"namespaced\":false,"
          + "\"kind\":\"NodePool\",\"verbs\":[\"get\",\"list\",\"watch\"]}]}";

  private FakeApiServer api;

  @BeforeEach
  void start() throws Exception {
    api = new FakeApiServer();
    api.onGet(
            POLICIES,
            Fixtures.list(
                "ScalingPolicyList", "autoscaling.foresight.dev/v1alpha1", "scalingpolicy.json"))
        .onGet(SCALE, Fixtures.text("scale-deployment.json"))
        .onGet(
            PODS,
            Fixtures.list(
                "PodList", "v1", "pod-ready.json", "pod-starting.json", "pod-pending.json"))
        .onGet(
            EVENTS, Fixtures.list("EventList", "v1", "event-nominated.json", "event-pulled.json"));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void informerListsPoliciesThenFollowsTheWatch() throws Exception {
    try (KubernetesCluster cluster = new KubernetesCluster(api.client(), false)) {
      await(cluster.synced(), "policy informer sync");
      assertThat(cluster.policies()).extracting(PolicyResource::ref).containsExactly(LLAMA);

      JsonObject other = Fixtures.json("scalingpolicy.json");
      other.getAsJsonObject("metadata").addProperty("name", "mistral");
      other.getAsJsonObject("metadata").addProperty("resourceVersion", "1001");
      api.watchEvent(POLICIES, "ADDED", other.toString());
      await(() -> cluster.policies().size() == 2, "watched policy");
      assertThat(cluster.policies())
          .extracting(p -> p.ref().policy())
          .containsExactlyInAnyOrder("llama", "mistral");
    }
  }

  @Test
  void replicasComeFromTheScaleAndReadyPods() throws Exception {
    try (KubernetesCluster cluster = new KubernetesCluster(api.client(), false)) {
      PolicyResource p = PolicyResource.of(Fixtures.json("scalingpolicy.json"));
      // spec.replicas 3 from the scale; only pod-ready is Ready
      assertThat(cluster.replicas(p)).contains(new GovernedWorkload.Replicas(3, 1));
      assertThat(cluster.startupDurations(LLAMA)).containsExactly(Duration.ofSeconds(190));
      assertThat(cluster.startupDurations(LLAMA)).as("each pod once").isEmpty();
    }
  }

  @Test
  void unreadableScaleIsUnknownNotZero() throws Exception {
    try (KubernetesCluster cluster = new KubernetesCluster(api.client(), false)) {
      JsonObject json = Fixtures.json("scalingpolicy.json");
      json.getAsJsonObject("spec").getAsJsonObject("targetRef").addProperty("name", "missing");
      assertThat(cluster.replicas(PolicyResource.of(json))).isEmpty();
    }
  }

  @Test
  void aScaleReadTheApiServerHoldsIsCutOffByTheReadTimeout() throws Exception {
    api.slow(SCALE, Duration.ofSeconds(20));
    try (KubernetesCluster cluster =
        new KubernetesCluster(api.client(), false, Duration.ofMillis(300))) {
      PolicyResource p = PolicyResource.of(Fixtures.json("scalingpolicy.json"));
      long start = System.nanoTime();
      assertThat(cluster.replicas(p)).as("unknown, not zero").isEmpty();
      // Bounded by the call timeout, far below the fake's 20 s hold: the thread is free again.
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      api.heal();
      assertThat(cluster.replicas(p)).contains(new GovernedWorkload.Replicas(3, 1));
    }
  }

  @Test
  void errorsOnScaleOrPodsAreUnknownNotZero() throws Exception {
    try (KubernetesCluster cluster = new KubernetesCluster(api.client(), false)) {
      PolicyResource p = PolicyResource.of(Fixtures.json("scalingpolicy.json"));
      api.fail(SCALE, 500);
      assertThat(cluster.replicas(p)).isEmpty();
      api.heal().fail(PODS, 503);
      assertThat(cluster.replicas(p)).isEmpty();
      api.heal();
      assertThat(cluster.replicas(p)).contains(new GovernedWorkload.Replicas(3, 1));
    }
  }

  @Test
  void aReadTimeoutMustBePositive() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new KubernetesCluster(api.client(), false, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("readTimeout");
  }

  @Test
  void karpenterAbsentTurnsSupplyToEventsOnly() throws Exception {
    assertThat(KarpenterDiscovery.ask(api.client(), Duration.ofSeconds(10)))
        .isEqualTo(KarpenterDiscovery.Answer.NOT_SERVED);
    PrometheusRegistry registry = new PrometheusRegistry();
    try (KubernetesCluster cluster = new KubernetesCluster(api.client(), false)) {
      cluster.replicas(PolicyResource.of(Fixtures.json("scalingpolicy.json")));
      ClusterSupply s = cluster.supply(AT);
      assertThat(s.karpenterObserved()).isFalse();
      assertThat(s.nodeClaims()).isEmpty();
      // both Pending pods are in the snapshot; only one waits for a node
      assertThat(s.pendingPods()).hasSize(2);
      assertThat(s.pendingPods()).filteredOn(PendingPod::unschedulable).hasSize(1);
      SupplyTracker tracker =
          new SupplyTracker(cluster, new NodeSupplyAnalyzer(), new SupplyMetrics(registry));
      tracker.refresh(AT, List.of(WorkloadPlacement.of(LLAMA, 2)));
      assertThat(tracker.forWorkload(LLAMA).observed()).isEqualTo(NodeSupply.Observed.EVENTS_ONLY);
      assertThat(scrape(registry)).contains("foresight_karpenter_observed 0.0");
    }
    assertThat(api.writes()).isEmpty();
  }

  @Test
  void karpenterPresentReadsNodeClaimsAndNodePools() throws Exception {
    serveKarpenter();
    assertThat(KarpenterDiscovery.ask(api.client(), Duration.ofSeconds(10)))
        .isEqualTo(KarpenterDiscovery.Answer.SERVED);
    PrometheusRegistry registry = new PrometheusRegistry();
    try (KubernetesCluster cluster = new KubernetesCluster(api.client(), true)) {
      cluster.replicas(PolicyResource.of(Fixtures.json("scalingpolicy.json")));
      ClusterSupply s = cluster.supply(AT);
      assertThat(s.karpenterObserved()).isTrue();
      assertThat(s.nodePools()).hasSize(1);
      // the claim with a bad quantity is skipped, the others kept
      assertThat(s.nodeClaims())
          .extracting(NodeClaimState::name)
          .containsExactlyInAnyOrder("gpu-a100-x7k2p", "gpu-a100-b4n9q");
      // pod-ready and pod-starting run on gpu-node-a with one GPU each
      assertThat(s.nodeClaims())
          .filteredOn(c -> c.name().equals("gpu-a100-b4n9q"))
          .extracting(NodeClaimState::gpusBound)
          .containsExactly(2);
      assertThat(s.events()).hasSize(1);

      SupplyTracker tracker =
          new SupplyTracker(cluster, new NodeSupplyAnalyzer(), new SupplyMetrics(registry));
      SupplyReport r = tracker.refresh(AT, List.of(WorkloadPlacement.of(LLAMA, 2)));
      NodeSupply llama = r.forWorkload(LLAMA);
      assertThat(llama.observed()).isEqualTo(NodeSupply.Observed.KARPENTER);
      assertThat(llama.pendingPods()).isEqualTo(1);
      assertThat(llama.coveredPods()).as("nominated to the launching claim").isEqualTo(1);
      assertThat(tracker.drainProvisioning()).containsExactly(Duration.ofSeconds(210));
      assertThat(tracker.drainProvisioning()).isEmpty();
      String text = scrape(registry);
      assertThat(text)
          .contains("foresight_karpenter_observed 1.0")
          .contains("foresight_pending_pods{namespace=\"inference\",policy=\"llama\"} 1.0")
          .contains("foresight_pending_pods_covered{namespace=\"inference\",policy=\"llama\"} 1.0")
          .contains("foresight_pending_pods_unbacked{namespace=\"inference\",policy=\"llama\"} 0.0")
          .contains("foresight_nodepool_gpu_headroom{nodepool=\"gpu-a100\"}")
          .contains("foresight_node_provisioning_seconds_count{nodepool=\"gpu-a100\"} 1");
    }
  }

  private void serveKarpenter() {
    api.onGet(KARPENTER, KARPENTER_RESOURCES)
        .onGet(
            KARPENTER + "/nodeclaims",
            Fixtures.list(
                "NodeClaimList",
                "karpenter.sh/v1",
                "nodeclaim-launching.json",
                "nodeclaim-initialized.json",
                "nodeclaim-bad-gpu.json"))
        .onGet(
            KARPENTER + "/nodepools",
            Fixtures.list("NodePoolList", "karpenter.sh/v1", "nodepool-limited.json"));
  }

  @Test
  void aNodePoolListTheApiServerHoldsIsCutOffAndSupplyFallsBackToEvents() throws Exception {
    serveKarpenter();
    api.slow(KARPENTER + "/nodepools", Duration.ofSeconds(20));
    PrometheusRegistry registry = new PrometheusRegistry();
    try (KubernetesCluster cluster =
        new KubernetesCluster(
            api.client(), true, Duration.ofMillis(300), new SupplyReadErrors(registry))) {
      cluster.replicas(PolicyResource.of(Fixtures.json("scalingpolicy.json")));
      long start = System.nanoTime();
      ClusterSupply s = cluster.supply(AT);
      // Bounded by the call timeout, far below the fake's 20 s hold: the refresh goes on.
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      assertThat(s.karpenterObserved()).as("no half-read Karpenter picture").isFalse();
      assertThat(s.nodePools()).isEmpty();
      assertThat(s.pendingPods()).as("pods and Events are still read").hasSize(2);
      assertThat(s.events()).hasSize(1);
      assertThat(scrape(registry))
          .contains(
              "foresight_node_supply_read_errors_total{error=\"timeout\",resource=\"nodepools\"}"
                  + " 1.0");

      api.heal();
      assertThat(cluster.supply(AT).karpenterObserved()).isTrue();
    }
  }

  @Test
  void aKarpenterDiscoveryTheApiServerHoldsEndsAsAbsentWithinItsTimeout() {
    serveKarpenter();
    api.slow(KARPENTER, Duration.ofSeconds(20));
    long start = System.nanoTime();
    assertThat(KarpenterDiscovery.ask(api.client(), Duration.ofMillis(300)))
        .as("no answer in time: not known, asked again later")
        .isEqualTo(KarpenterDiscovery.Answer.UNKNOWN);
    // The start-up goes on with Events only instead of waiting for the fake's 20 s hold.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void aDiscoveryWithoutAnAnswerIsAskedAgainAtTheNextRefresh() throws Exception {
    serveKarpenter();
    api.fail(KARPENTER, 500); // the API server answers errors while the controller starts
    KarpenterPresence presence =
        KarpenterPresence.asking(
            () -> KarpenterDiscovery.ask(api.client(), Duration.ofSeconds(5)), AT);
    try (KubernetesCluster cluster =
        new KubernetesCluster(
            api.client(),
            presence,
            Duration.ofSeconds(5),
            new SupplyReadErrors(new PrometheusRegistry()))) {
      cluster.replicas(PolicyResource.of(Fixtures.json("scalingpolicy.json")));
      assertThat(cluster.supply(AT).karpenterObserved()).isFalse();
      api.heal();
      ClusterSupply s = cluster.supply(AT.plusSeconds(30));
      assertThat(s.karpenterObserved()).as("discovered at the next refresh").isTrue();
      assertThat(s.nodePools()).hasSize(1);
    }
  }

  @Test
  void aFailingNodeClaimListIsCountedAndNeitherCapsNorRecountsProvisioning() throws Exception {
    serveKarpenter();
    PrometheusRegistry registry = new PrometheusRegistry();
    try (KubernetesCluster cluster =
        new KubernetesCluster(
            api.client(), true, Duration.ofSeconds(5), new SupplyReadErrors(registry))) {
      cluster.replicas(PolicyResource.of(Fixtures.json("scalingpolicy.json")));
      SupplyTracker tracker =
          new SupplyTracker(cluster, new NodeSupplyAnalyzer(), new SupplyMetrics(registry));
      List<WorkloadPlacement> llama = List.of(WorkloadPlacement.of(LLAMA, 2));
      tracker.refresh(AT, llama);
      assertThat(tracker.drainProvisioning()).containsExactly(Duration.ofSeconds(210));

      api.fail(KARPENTER + "/nodeclaims", 500);
      NodeSupply during = tracker.refresh(AT, llama).forWorkload(LLAMA);
      // Pools without their claims would read as a pending pod nobody covers under a GPU limit.
      assertThat(during.observed()).isEqualTo(NodeSupply.Observed.EVENTS_ONLY);
      assertThat(during.maxBackableReplicas(3))
          .as("unknown supply never caps")
          .isEqualTo(Integer.MAX_VALUE);
      assertThat(scrape(registry))
          .contains("foresight_karpenter_observed 0.0")
          .contains(
              "foresight_node_supply_read_errors_total{error=\"http_500\",resource=\"nodeclaims\"}"
                  + " 1.0");

      api.heal();
      assertThat(tracker.refresh(AT, llama).forWorkload(LLAMA).observed())
          .isEqualTo(NodeSupply.Observed.KARPENTER);
      assertThat(tracker.drainProvisioning()).as("the claim was counted before").isEmpty();
      assertThat(scrape(registry))
          .contains("foresight_karpenter_observed 1.0")
          .contains("foresight_node_provisioning_seconds_count{nodepool=\"gpu-a100\"} 1");
    }
  }

  @Test
  void statusIsAMergePatchOfTheStatusSubresource() throws Exception {
    PolicyWriter writer = new PolicyWriter(api.client(), "foresight-0");
    Decision d = decision(3, 5, Reason.SCALE_UP);
    assertThat(writer.writeStatus(LLAMA, PolicyStatus.of(d, 3, Map.of()))).isTrue();
    FakeApiServer.Request patch = api.writes().get(0);
    assertThat(patch.method()).isEqualTo("PATCH");
    assertThat(patch.path())
        .isEqualTo(
            "/apis/autoscaling.foresight.dev/v1alpha1/namespaces/inference/scalingpolicies/llama/status");
    assertThat(patch.contentType()).startsWith("application/merge-patch+json");
    JsonObject status =
        JsonParser.parseString(patch.body()).getAsJsonObject().getAsJsonObject("status");
    assertThat(status.get("desiredReplicas").getAsInt()).isEqualTo(5);
    assertThat(status.get("currentReplicas").getAsInt()).isEqualTo(3);
    assertThat(status.get("reason").getAsString()).isEqualTo("ScaleUp");
    assertThat(status.get("observedGeneration").getAsLong()).isEqualTo(3);
    assertThat(status.getAsJsonArray("conditions")).hasSize(4);
  }

  @Test
  void writesTheApiServerHoldsAreCutOffByTheWriteTimeout() throws Exception {
    String status =
        "/apis/autoscaling.foresight.dev/v1alpha1/namespaces/inference/scalingpolicies/llama/status";
    PolicyWriter writer = new PolicyWriter(api.client(), "foresight-0", Duration.ofMillis(300));
    Decision d = decision(3, 5, Reason.SCALE_UP);
    PolicyEvents.PolicyEvent e =
        new PolicyEvents.PolicyEvent(LLAMA, "Normal", "DesiredReplicasChanged", "3 -> 5");
    api.slow(status, Duration.ofSeconds(20))
        .slow("/api/v1/namespaces/inference/events", Duration.ofSeconds(20));
    long start = System.nanoTime();
    assertThat(writer.writeStatus(LLAMA, PolicyStatus.of(d, 3, Map.of()))).isFalse();
    assertThat(writer.event(e, "sp-1", AT)).isFalse();
    // Both bounded by the call timeout, far below the fake's 20 s hold.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    api.heal();
    assertThat(writer.writeStatus(LLAMA, PolicyStatus.of(d, 3, Map.of()))).isTrue();
    assertThat(writer.event(e, "sp-1", AT)).isTrue();
    assertThat(api.writes())
        .extracting(FakeApiServer.Request::method)
        .containsExactly("PATCH", "POST");
    assertThat(api.writes().get(0).contentType()).startsWith("application/merge-patch+json");
  }

  @Test
  void eventIsCreatedOnThePolicy() throws Exception {
    PolicyWriter writer = new PolicyWriter(api.client(), "foresight-0");
    PolicyEvents.PolicyEvent e =
        new PolicyEvents.PolicyEvent(LLAMA, "Normal", "DesiredReplicasChanged", "3 -> 5");
    assertThat(writer.event(e, "sp-1", AT)).isTrue();
    FakeApiServer.Request post = api.writes().get(0);
    assertThat(post.method()).isEqualTo("POST");
    assertThat(post.path()).isEqualTo("/api/v1/namespaces/inference/events");
    JsonObject body = JsonParser.parseString(post.body()).getAsJsonObject();
    assertThat(body.get("reason").getAsString()).isEqualTo("DesiredReplicasChanged");
    assertThat(body.get("type").getAsString()).isEqualTo("Normal");
    JsonObject involved = body.getAsJsonObject("involvedObject");
    assertThat(involved.get("kind").getAsString()).isEqualTo("ScalingPolicy");
    assertThat(involved.get("name").getAsString()).isEqualTo("llama");
    assertThat(involved.get("uid").getAsString()).isEqualTo("sp-1");
    assertThat(involved.get("apiVersion").getAsString())
        .isEqualTo("autoscaling.foresight.dev/v1alpha1");
  }

  static Decision decision(int current, int desired, Reason reason) {
    return new Decision(
        AT,
        current,
        current,
        desired,
        desired,
        List.of(),
        Optional.empty(),
        Optional.empty(),
        List.of(),
        Optional.empty(),
        reason,
        "because",
        true);
  }

  static String scrape(PrometheusRegistry registry) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }
}
