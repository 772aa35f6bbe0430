package dev.foresight.controller.cluster;

import static dev.foresight.controller.cluster.KubernetesClusterTest.AT;
import static dev.foresight.controller.cluster.KubernetesClusterTest.KARPENTER;
import static dev.foresight.controller.cluster.KubernetesClusterTest.KARPENTER_RESOURCES;
import static dev.foresight.controller.cluster.KubernetesClusterTest.POLICIES;
import static dev.foresight.controller.cluster.KubernetesClusterTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.policy.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every request the adapters send, through every code path, is covered by a {@link
 * KubernetesAccess} entry (group, resource, verb, scope): the registry the RBAC test reads is
 * complete.
 */
class KubernetesAccessTest {

  private static final Pattern PATH =
      Pattern.compile(
          "^/(?:api|apis/(?<group>[^/]+))/v[^/]+(?:/namespaces/(?<ns>[^/]+))?/(?<resource>[^/]+)"
              + "(?:/(?<name>[^/]+)(?:/(?<sub>[^/]+))?)?$");

  @Test
  void everyRequestIsInTheRegistry() throws Exception {
    try (FakeApiServer api = new FakeApiServer()) {
      api.onGet(
              POLICIES,
              Fixtures.list(
                  "ScalingPolicyList", "autoscaling.foresight.dev/v1alpha1", "scalingpolicy.json"))
          .onGet(KubernetesClusterTest.SCALE, Fixtures.text("scale-deployment.json"))
          .onGet(KubernetesClusterTest.PODS, Fixtures.list("PodList", "v1", "pod-ready.json"))
          .onGet(KubernetesClusterTest.EVENTS, Fixtures.list("EventList", "v1"))
          .onGet(KARPENTER, KARPENTER_RESOURCES)
          .onGet(KARPENTER + "/nodeclaims", Fixtures.list("NodeClaimList", "karpenter.sh/v1"))
          .onGet(KARPENTER + "/nodepools", Fixtures.list("NodePoolList", "karpenter.sh/v1"));
      assertThat(KarpenterDiscovery.ask(api.client(), Duration.ofSeconds(10)))
          .isEqualTo(KarpenterDiscovery.Answer.SERVED);
      try (KubernetesCluster cluster = new KubernetesCluster(api.client(), true)) {
        await(cluster.synced(), "informer sync");
        PolicyResource p = cluster.policies().get(0);
        cluster.replicas(p);
        cluster.supply(AT);
        PolicyWriter writer = new PolicyWriter(api.client(), "foresight-0");
        writer.writeStatus(
            p.ref(),
            PolicyStatus.of(KubernetesClusterTest.decision(3, 5, Reason.SCALE_UP), 1, Map.of()));
        writer.event(
            new PolicyEvents.PolicyEvent(p.ref(), "Normal", "DesiredReplicasChanged", "3 -> 5"),
            "sp-1",
            AT);
      }
      Leadership l =
          new Leadership(
                  api.client(),
                  "foresight",
                  "foresight-leader",
                  "a",
                  new Leadership.Timing(
                      Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(200)),
                  () -> {},
                  () -> {})
              .start();
      try {
        await(l::isLeader, "leadership");
      } finally {
        l.close();
      }

      List<String> uncovered = new ArrayList<>();
      List<String> seen = new ArrayList<>();
      for (FakeApiServer.Request r : api.requests()) {
        if (r.path().equals(KubernetesAccess.KARPENTER_DISCOVERY_PATH)) {
          continue; // discovery: a non-resource URL every authenticated user may read
        }
        Optional<KubernetesAccess.Access> a = access(r);
        seen.add(r.method() + " " + r.path());
        if (a.isEmpty()) {
          uncovered.add(r.method() + " " + r.path());
        }
      }
      assertThat(seen).as("the paths exercised").hasSizeGreaterThan(8);
      assertThat(uncovered).isEmpty();
      assertThat(api.requests())
          .as("the informer watches")
          .anyMatch(r -> r.path().equals(POLICIES) && r.query().contains("watch=true"));
    }
  }

  private static Optional<KubernetesAccess.Access> access(FakeApiServer.Request r) {
    Matcher m = PATH.matcher(r.path());
    if (!m.matches()) {
      return Optional.empty();
    }
    String group = m.group("group") == null ? "" : m.group("group");
    String resource = m.group("resource");
    if (m.group("name") != null && m.group("sub") != null) {
      resource = resource + "/" + m.group("sub");
    }
    boolean namespaced = m.group("ns") != null;
    boolean named = m.group("name") != null;
    String verb =
        switch (r.method()) {
          case "GET" -> named ? "get" : r.query().contains("watch=true") ? "watch" : "list";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> "delete";
          default -> r.method();
        };
    String v = verb;
    String res = resource;
    return KubernetesAccess.ALL.stream()
        .filter(a -> a.group().equals(group) && a.resource().equals(res) && a.verbs().contains(v))
        .filter(a -> a.namespaced() || !namespaced)
        .findFirst();
  }
}
