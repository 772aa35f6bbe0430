package dev.foresight.controller.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.foresight.controller.manifests.KubernetesCalls.ApiCall;
import dev.foresight.controller.manifests.KubernetesCalls.UnmappedCallException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The RBAC in manifests/base lets the controller's ServiceAccount make every Kubernetes API call
 * found in the project's main sources, and nothing it should not: no Secrets, no wildcards, writes
 * only to ScalingPolicy status, Events and its Lease.
 */
class RbacTest {

  static final String SA_NAMESPACE = "foresight-system";
  static final String SA_NAME = "foresight-controller";

  /** Resources the controller may write, and why (see the comments in controller/rbac.yaml). */
  static final Set<String> WRITABLE = Set.of("scalingpolicies/status", "events", "leases");

  static final Set<String> WRITE_VERBS =
      Set.of("create", "update", "patch", "delete", "deletecollection", "*");

  /**
   * Roles the bindings reference that Kubernetes itself defines (its bootstrap RBAC policy), with
   * the rules it gives them, since they are not among the rendered objects.
   */
  static final Map<String, List<Rule>> BUILT_IN =
      Map.of(
          "ClusterRole/system:auth-delegator",
          List.of(
              new Rule(Set.of("authentication.k8s.io"), Set.of("tokenreviews"), Set.of("create")),
              new Rule(
                  Set.of("authorization.k8s.io"),
                  Set.of("subjectaccessreviews"),
                  Set.of("create"))),
          "Role/extension-apiserver-authentication-reader",
          List.of(new Rule(Set.of(""), Set.of("configmaps"), Set.of("get", "list", "watch"))));

  record Rule(Set<String> groups, Set<String> resources, Set<String> verbs) {
    static Rule of(JsonNode r) {
      return new Rule(set(r.path("apiGroups")), set(r.path("resources")), set(r.path("verbs")));
    }

    boolean allows(ApiCall c) {
      return any(groups, c.group()) && any(resources, c.resource()) && any(verbs, c.verb());
    }

    private static boolean any(Set<String> s, String v) {
      return s.contains(v) || s.contains("*");
    }

    private static Set<String> set(JsonNode array) {
      Set<String> s = new java.util.TreeSet<>();
      array.forEach(n -> s.add(n.asText()));
      return s;
    }
  }

  private static List<JsonNode> base;

  @BeforeAll
  static void render() throws Exception {
    base = Kustomize.render(Repository.manifests().resolve("base"));
  }

  @Test
  void everyKubernetesCallInTheSourcesIsAllowed() throws Exception {
    List<ApiCall> calls = KubernetesCalls.inModules(Repository.root());
    assertThat(calls).as("client-java calls found in the main sources").isNotEmpty();
    List<Rule> rules = new ArrayList<>();
    boundRoles().forEach(r -> rules.addAll(r.rules()));
    List<ApiCall> denied =
        calls.stream().filter(c -> rules.stream().noneMatch(r -> r.allows(c))).toList();
    assertThat(denied).as("calls no rule bound to %s/%s allows", SA_NAMESPACE, SA_NAME).isEmpty();
  }

  @Test
  void foresightsOwnRolesReadWhatIsReadAndWriteOnlyStatusEventsAndTheLease() {
    List<BoundRole> own = boundRoles().stream().filter(r -> !r.builtIn()).toList();
    assertThat(own)
        .extracting(BoundRole::id)
        .contains("ClusterRole/foresight-controller", "Role/foresight-leader-election");
    for (BoundRole role : own) {
      for (Rule r : role.rules()) {
        assertThat(r.groups()).as("%s apiGroups", role.id()).doesNotContain("*");
        assertThat(r.resources()).as("%s resources", role.id()).doesNotContain("*", "secrets");
        assertThat(r.verbs())
            .as("%s verbs", role.id())
            .doesNotContain("*", "escalate", "bind", "impersonate");
        if (r.verbs().stream().anyMatch(WRITE_VERBS::contains)) {
          assertThat(WRITABLE)
              .as("%s writes %s with %s", role.id(), r.resources(), r.verbs())
              .containsAll(r.resources());
        }
      }
    }
  }

  @Test
  void noRenderedRoleGrantsSecrets() {
    for (JsonNode role :
        Stream.concat(
                Repository.ofKind(base, "ClusterRole").stream(),
                Repository.ofKind(base, "Role").stream())
            .toList()) {
      for (JsonNode r : role.path("rules")) {
        assertThat(Rule.of(r).resources())
            .as("%s %s", role.path("kind").asText(), role.path("metadata").path("name").asText())
            .doesNotContain("secrets");
      }
    }
  }

  @Test
  void leaseRenewalIsLimitedToForesightsLease() {
    JsonNode role = Repository.one(base, "Role", "foresight-leader-election");
    for (JsonNode r : role.path("rules")) {
      Rule rule = Rule.of(r);
      if (rule.verbs().contains("update") || rule.verbs().contains("get")) {
        assertThat(r.path("resourceNames").toString()).contains("foresight-controller");
      }
    }
  }

  record BoundRole(String id, boolean builtIn, List<Rule> rules) {}

  /** Every role bound to the controller's ServiceAccount, resolved to its rules. */
  static List<BoundRole> boundRoles() {
    List<BoundRole> roles = new ArrayList<>();
    for (JsonNode b :
        Stream.concat(
                Repository.ofKind(base, "ClusterRoleBinding").stream(),
                Repository.ofKind(base, "RoleBinding").stream())
            .toList()) {
      boolean bound = false;
      for (JsonNode s : b.path("subjects")) {
        bound |=
            "ServiceAccount".equals(s.path("kind").asText())
                && SA_NAME.equals(s.path("name").asText())
                && SA_NAMESPACE.equals(s.path("namespace").asText());
      }
      if (!bound) {
        continue;
      }
      String kind = b.path("roleRef").path("kind").asText();
      String name = b.path("roleRef").path("name").asText();
      String id = kind + "/" + name;
      List<JsonNode> rendered =
          Repository.ofKind(base, kind).stream()
              .filter(r -> name.equals(r.path("metadata").path("name").asText()))
              .toList();
      if (!rendered.isEmpty()) {
        List<Rule> rules = new ArrayList<>();
        rendered.get(0).path("rules").forEach(r -> rules.add(Rule.of(r)));
        roles.add(new BoundRole(id, false, rules));
      } else if (BUILT_IN.containsKey(id)) {
        roles.add(new BoundRole(id, true, BUILT_IN.get(id)));
      } else {
        throw new AssertionError(
            b.path("kind").asText()
                + " "
                + b.path("metadata").path("name").asText()
                + " binds "
                + id
                + ", which is neither rendered nor a known built-in role");
      }
    }
    return roles;
  }

  static Stream<Arguments> sources() {
    return Stream.of(
        Arguments.of(
            "typed call on a new API object",
            "import io.kubernetes.client.openapi.apis.ApiregistrationV1Api;\n"
                + "class A { void f() { new ApiregistrationV1Api(client).readAPIService(N).execute(); } }",
            List.of("get apiregistration.k8s.io/apiservices")),
        Arguments.of(
            "call on a field, namespaced",
            "import io.kubernetes.client.openapi.apis.CoreV1Api;\n"
                + "class A { private final CoreV1Api api; void f() { api.readNamespacedConfigMap(n, ns); } }",
            List.of("get core/configmaps")),
        Arguments.of(
            "status subresource and policies plural",
            "import io.kubernetes.client.openapi.apis.AutoscalingV2Api;\n"
                + "class A { AutoscalingV2Api a; void f() { a.patchNamespacedHorizontalPodAutoscalerStatus(n, ns, p); } }",
            List.of("patch autoscaling/horizontalpodautoscalers/status")),
        Arguments.of(
            "informer list adds watch",
            "import io.kubernetes.client.openapi.apis.CoreV1Api;\n"
                + "class A { CoreV1Api core; void f() { factory.sharedIndexInformerFor(p -> core.listPodForAllNamespaces().watch(p.watch).buildCall(null), V1Pod.class, V1PodList.class); } }",
            List.of("list core/pods", "watch core/pods")),
        Arguments.of(
            "dotted group from camel case; replace is update",
            "import io.kubernetes.client.openapi.apis.RbacAuthorizationV1Api;\n"
                + "class A { RbacAuthorizationV1Api r; void f() { r.replaceClusterRole(n, b); } }",
            List.of("update rbac.authorization.k8s.io/clusterroles")),
        Arguments.of(
            "leader election lock",
            "class A { Lock l = new LeaseLock(ns, \"foresight-controller\", id, client); }",
            List.of(
                "get coordination.k8s.io/leases",
                "create coordination.k8s.io/leases",
                "update coordination.k8s.io/leases")),
        Arguments.of(
            "non-client calls are ignored",
            "import io.kubernetes.client.openapi.apis.CoreV1Api;\n"
                + "class A { CoreV1Api api; void f() { Files.readString(p); list.replaceAll(x); } }",
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sources")
  void mapsCallsToRequests(String name, String source, List<String> expected) {
    assertThat(KubernetesCalls.inSource("A.java", source))
        .extracting(
            c -> c.verb() + " " + (c.group().isEmpty() ? "core" : c.group()) + "/" + c.resource())
        .containsExactlyElementsOf(expected);
  }

  static Stream<Arguments> unmappable() {
    return Stream.of(
        Arguments.of("custom objects", "class A { CustomObjectsApi c; }", "CustomObjectsApi"),
        Arguments.of(
            "wildcard import",
            "import io.kubernetes.client.openapi.apis.*;\nclass A {}",
            "wildcard"),
        Arguments.of(
            "generic API",
            "class A { GenericKubernetesApi<V1Pod, V1PodList> g; }",
            "GenericKubernetesApi"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unmappable")
  void failsLoudlyOnCallsItCannotMap(String name, String source, String named) {
    assertThatThrownBy(() -> KubernetesCalls.inSource("A.java", source))
        .isInstanceOf(UnmappedCallException.class)
        .hasMessageContaining("A.java")
        .hasMessageContaining(named);
  }
}
