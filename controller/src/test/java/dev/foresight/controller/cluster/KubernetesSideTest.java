package dev.foresight.controller.cluster;

import static dev.foresight.controller.cluster.KubernetesClusterTest.LLAMA;
import static dev.foresight.controller.cluster.KubernetesClusterTest.POLICIES;
import static dev.foresight.controller.cluster.KubernetesClusterTest.await;
import static dev.foresight.controller.cluster.KubernetesClusterTest.decision;
import static dev.foresight.controller.cluster.KubernetesClusterTest.scrape;
import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.policy.InMemoryDecisionStore;
import dev.foresight.policy.PolicySpec;
import dev.foresight.policy.Reason;
import dev.foresight.policy.StoredDecision;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two controllers share the fake API server: both decide and serve from their own stores, only the
 * Lease holder writes status; when it stops, the other takes over the writes.
 */
class KubernetesSideTest {

  @Test
  void statusWritesHandOverWithTheLease() throws Exception {
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    PolicySpec spec = PolicySpec.builder().minReplicas(1).maxReplicas(8).build();
    try (FakeApiServer api = new FakeApiServer()) {
      api.onGet(
          POLICIES,
          Fixtures.list(
              "ScalingPolicyList", "autoscaling.foresight.dev/v1alpha1", "scalingpolicy.json"));
      InMemoryDecisionStore storeA = new InMemoryDecisionStore();
      InMemoryDecisionStore storeB = new InMemoryDecisionStore();
      PrometheusRegistry registryA = new PrometheusRegistry();
      AtomicInteger aLeads = new AtomicInteger();
      AtomicInteger bLeads = new AtomicInteger();
      KubernetesSide a =
          KubernetesSide.start(
              api.client(),
              settings("foresight-a"),
              registryA,
              storeA,
              InstantSource.system(),
              scheduler,
              aLeads::incrementAndGet);
      await(a.leadership()::isLeader, "a leads");
      // the callback that rebuilds forecasters from history on a new leader
      await(() -> aLeads.get() == 1, "a's leader callback");
      await(a.cluster().synced(), "a synced");
      try (KubernetesSide b =
          KubernetesSide.start(
              api.client(),
              settings("foresight-b"),
              new PrometheusRegistry(),
              storeB,
              InstantSource.system(),
              scheduler,
              bLeads::incrementAndGet)) {
        await(b.cluster().synced(), "b synced");
        assertThat(scrape(registryA)).contains("foresight_leader 1.0");
        assertThat(scrape(registryA)).contains("foresight_karpenter_observed 0.0");

        storeB.put(new StoredDecision(LLAMA, decision(3, 4, Reason.SCALE_UP), spec));
        storeA.put(new StoredDecision(LLAMA, decision(3, 4, Reason.SCALE_UP), spec));
        await(() -> statusWrites(api) == 1, "a's status write");

        a.close();
        assertThat(bLeads).hasValue(0);
        await(b.leadership()::isLeader, "b takes over");
        await(() -> bLeads.get() == 1, "b's leader callback");
        // the follower kept serving from its own decisions all along
        assertThat(storeB.latest(LLAMA)).isPresent();
        storeB.put(new StoredDecision(LLAMA, decision(4, 4, Reason.STEADY), spec));
        await(() -> statusWrites(api) == 2, "b's status write");
        assertThat(api.leaseHolder("foresight", "foresight-leader")).isEqualTo("foresight-b");
      } finally {
        a.close();
      }
    } finally {
      scheduler.shutdownNow();
    }
  }

  private static long statusWrites(FakeApiServer api) {
    return api.writes().stream()
        .filter(r -> r.method().equals("PATCH") && r.path().endsWith("/status"))
        .count();
  }

  private static KubernetesSide.Settings settings(String id) {
    return new KubernetesSide.Settings(
        "foresight",
        "foresight-leader",
        id,
        new Leadership.Timing(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(200)),
        Duration.ofSeconds(30),
        Duration.ofMinutes(1),
        Duration.ofSeconds(1),
        Duration.ofSeconds(10));
  }
}
