package dev.foresight.controller.cluster;

import static dev.foresight.controller.cluster.KubernetesClusterTest.POLICIES;
import static dev.foresight.controller.cluster.KubernetesClusterTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.foresight.controller.loop.GovernedWorkload;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A ScalingPolicy that cannot be governed gets Ready=False, reason InvalidSpec, naming every bad
 * field, and a Warning Event; only from the leader, once per term.
 */
class InvalidPoliciesTest {

  private static final Instant AT = Instant.parse("2026-11-23T10:06:00Z");

  /** The valid fixture with an unknown preset and a negative maximum. */
  private static String invalidPolicyList() {
    JsonObject p = Fixtures.json("scalingpolicy.json");
    JsonObject spec = p.getAsJsonObject("spec");
    spec.getAsJsonObject("signals").addProperty("preset", "nope");
    spec.getAsJsonObject("policy").addProperty("maxReplicas", -2);
    return "{\"apiVersion\":\"autoscaling.foresight.dev/v1alpha1\",\"kind\":\"ScalingPolicyList\","
        + "\"metadata\":{\"resourceVersion\":\"1000\"},\"items\":["
        + p
        + "]}";
  }

  @Test
  void theLeaderWritesInvalidSpecStatusAndAWarningEventOncePerTerm() throws Exception {
    try (FakeApiServer api = new FakeApiServer()) {
      api.onGet(POLICIES, invalidPolicyList());
      AtomicBoolean leader = new AtomicBoolean(false);
      try (KubernetesCluster cluster = new KubernetesCluster(api.client(), false)) {
        await(cluster.synced(), "informer sync");
        InvalidPolicies invalid =
            new InvalidPolicies(
                cluster,
                new PolicyWriter(api.client(), "foresight-0"),
                leader::get,
                InstantSource.fixed(AT));
        List<List<GovernedWorkload>> declared = new ArrayList<>();
        PolicySync sync =
            new PolicySync(
                cluster, new ClusterWorkloads(cluster), declared::add, invalid::rejected);

        sync.sync(); // as a follower: rejected, not governed, nothing written
        assertThat(declared).containsExactly(List.of());
        assertThat(api.writes()).isEmpty();

        leader.set(true);
        invalid.publish();
        await(() -> api.writes().size() == 2, "status and event");
        FakeApiServer.Request patch = api.writes().get(0);
        assertThat(patch.method()).isEqualTo("PATCH");
        assertThat(patch.path()).endsWith("/namespaces/inference/scalingpolicies/llama/status");
        JsonObject status =
            JsonParser.parseString(patch.body()).getAsJsonObject().getAsJsonObject("status");
        assertThat(status.get("observedGeneration").getAsLong()).isEqualTo(3);
        JsonObject ready = status.getAsJsonArray("conditions").get(0).getAsJsonObject();
        assertThat(ready.get("type").getAsString()).isEqualTo("Ready");
        assertThat(ready.get("status").getAsString()).isEqualTo("False");
        assertThat(ready.get("reason").getAsString()).isEqualTo("InvalidSpec");
        assertThat(ready.get("message").getAsString())
            .contains("spec.signals.preset: got 'nope'")
            .contains("spec.policy.maxReplicas");
        JsonObject event = JsonParser.parseString(api.writes().get(1).body()).getAsJsonObject();
        assertThat(event.get("type").getAsString()).isEqualTo("Warning");
        assertThat(event.get("reason").getAsString()).isEqualTo("InvalidSpec");
        assertThat(event.get("message").getAsString())
            .isEqualTo(ready.get("message").getAsString());
        assertThat(event.getAsJsonObject("involvedObject").get("uid").getAsString())
            .isEqualTo("sp-1");

        invalid.publish(); // already written in this term
        assertThat(api.writes()).hasSize(2);

        leader.set(false);
        invalid.publish();
        leader.set(true); // a new term writes the rejection again
        invalid.publish();
        assertThat(api.writes()).hasSize(4);
      }
    }
  }
}
