package dev.foresight.controller.cluster;

import static dev.foresight.controller.cluster.KubernetesClusterTest.LLAMA;
import static dev.foresight.controller.cluster.KubernetesClusterTest.POLICIES;
import static dev.foresight.controller.cluster.KubernetesClusterTest.await;
import static dev.foresight.controller.cluster.KubernetesClusterTest.decision;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import dev.foresight.policy.Decision;
import dev.foresight.policy.InMemoryDecisionStore;
import dev.foresight.policy.PolicySpec;
import dev.foresight.policy.Reason;
import dev.foresight.policy.StoredDecision;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Only the leader writes; it writes on change, and Events compare with the real predecessor. */
class ClusterPublisherTest {

  @Test
  void leaderWritesStatusAndEventsOnChangeFollowerWritesNothing() throws Exception {
    try (FakeApiServer api = new FakeApiServer()) {
      api.onGet(
          POLICIES,
          Fixtures.list(
              "ScalingPolicyList", "autoscaling.foresight.dev/v1alpha1", "scalingpolicy.json"));
      InMemoryDecisionStore store = new InMemoryDecisionStore();
      AtomicBoolean leader = new AtomicBoolean(false);
      PolicySpec spec = PolicySpec.builder().minReplicas(1).maxReplicas(8).build();
      try (KubernetesCluster cluster = new KubernetesCluster(api.client(), false);
          ClusterPublisher publisher =
              new ClusterPublisher(
                  store,
                  cluster,
                  new PolicyWriter(api.client(), "foresight-0"),
                  new PolicyEvents(Duration.ofSeconds(30)),
                  leader::get,
                  Duration.ofMinutes(1))) {
        await(cluster.synced(), "informer sync");

        store.put(new StoredDecision(LLAMA, decision(3, 3, Reason.STEADY), spec));
        leader.set(true);
        store.put(new StoredDecision(LLAMA, decision(3, 5, Reason.SCALE_UP), spec));
        await(() -> api.writes().size() == 2, "status and event");
        List<FakeApiServer.Request> w = api.writes();
        assertThat(w).extracting(FakeApiServer.Request::method).containsExactly("PATCH", "POST");
        assertThat(
                JsonParser.parseString(w.get(1).body())
                    .getAsJsonObject()
                    .get("message")
                    .getAsString())
            .startsWith("desired replicas 3 -> 5");

        // same summary within the refresh period: no write; then a change: one status write
        store.put(new StoredDecision(LLAMA, at(decision(3, 5, Reason.SCALE_UP), 5), spec));
        store.put(new StoredDecision(LLAMA, at(decision(5, 5, Reason.WITHIN_TOLERANCE), 10), spec));
        await(() -> api.writes().size() >= 3, "second status");
        assertThat(api.writes()).hasSize(3);
        var status =
            JsonParser.parseString(api.writes().get(2).body())
                .getAsJsonObject()
                .getAsJsonObject("status");
        assertThat(status.get("reason").getAsString()).isEqualTo("WithinTolerance");
        assertThat(status.get("currentReplicas").getAsInt()).isEqualTo(5);
      }
    }
  }

  @Test
  void decisionsArrivingFasterThanASlowApiServerTakesThemReplaceTheWaitingOne() throws Exception {
    String status =
        "/apis/autoscaling.foresight.dev/v1alpha1/namespaces/inference/scalingpolicies/llama/status";
    try (FakeApiServer api = new FakeApiServer()) {
      api.onGet(
              POLICIES,
              Fixtures.list(
                  "ScalingPolicyList", "autoscaling.foresight.dev/v1alpha1", "scalingpolicy.json"))
          .slow(status, Duration.ofSeconds(1))
          .slow("/api/v1/namespaces/inference/events", Duration.ofSeconds(1));
      InMemoryDecisionStore store = new InMemoryDecisionStore();
      PolicySpec spec = PolicySpec.builder().minReplicas(1).maxReplicas(80).build();
      try (KubernetesCluster cluster = new KubernetesCluster(api.client(), false);
          ClusterPublisher publisher =
              new ClusterPublisher(
                  store,
                  cluster,
                  new PolicyWriter(api.client(), "foresight-0", Duration.ofSeconds(10)),
                  new PolicyEvents(Duration.ofSeconds(30)),
                  () -> true,
                  Duration.ofMinutes(1))) {
        await(cluster.synced(), "informer sync");
        // 40 decisions, each with a new summary, while each write takes a second.
        for (int i = 1; i <= 40; i++) {
          store.put(new StoredDecision(LLAMA, at(decision(3, 3 + i, Reason.SCALE_UP), i), spec));
        }
        await(
            () ->
                statusWrites(api, status).stream()
                    .anyMatch(
                        r ->
                            JsonParser.parseString(r.body())
                                    .getAsJsonObject()
                                    .getAsJsonObject("status")
                                    .get("desiredReplicas")
                                    .getAsInt()
                                == 43),
            "the newest decision written");
        // The first write was under way; the 39 that came meanwhile collapsed into the newest.
        assertThat(statusWrites(api, status)).hasSizeLessThanOrEqualTo(3);
      }
    }
  }

  private static List<FakeApiServer.Request> statusWrites(FakeApiServer api, String path) {
    return api.requests().stream()
        .filter(r -> r.method().equals("PATCH") && r.path().equals(path))
        .toList();
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
}
