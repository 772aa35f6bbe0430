package dev.foresight.metricsapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.foresight.metricsapi.ApiServiceOwnership.State;
import dev.foresight.metricsapi.security.AuthorizationUnavailableException;
import dev.foresight.metricsapi.security.Authorizer;
import dev.foresight.metricsapi.security.ConfigMapRequestHeaderConfig;
import dev.foresight.metricsapi.security.RequestHeaderConfig;
import dev.foresight.metricsapi.security.SubjectAccessReviewAuthorizer;
import dev.foresight.metricsapi.security.UserInfo;
import dev.foresight.metricsapi.testing.FakeKubeApi;
import dev.foresight.metricsapi.testing.TestPki;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The Kubernetes calls, made with client-java against a loopback fake serving recorded JSON. */
class KubernetesCallsIT {

  private final TestPki frontProxyCa = TestPki.newCa("front-proxy-ca");
  private FakeKubeApi kube;

  @BeforeEach
  void start() throws IOException {
    kube = new FakeKubeApi();
    kube.set("REQUESTHEADER_CA_PEM", frontProxyCa.caPem())
        .set("CLIENT_CA_PEM", TestPki.newCa("kubernetes").caPem());
  }

  @AfterEach
  void stop() {
    kube.close();
  }

  @Test
  void readsTheRequestHeaderConfigurationFromTheConfigMap() throws IOException {
    ConfigMapRequestHeaderConfig source = ConfigMapRequestHeaderConfig.load(kube.client());
    RequestHeaderConfig c = source.get();
    assertThat(c.clientCa()).containsExactly(frontProxyCa.caCertificate());
    assertThat(c.allowedNames()).containsExactly("front-proxy-client");
    assertThat(c.usernameHeaders()).containsExactly("X-Remote-User");
    assertThat(c.groupHeaders()).containsExactly("X-Remote-Group");
    assertThat(c.extraHeaderPrefixes()).containsExactly("X-Remote-Extra-");
    assertThat(source.refresh()).as("unchanged ConfigMap").isFalse();

    TestPki rotated = TestPki.newCa("front-proxy-ca-2");
    kube.set("REQUESTHEADER_CA_PEM", rotated.caPem());
    assertThat(source.refresh()).isTrue();
    assertThat(source.get().clientCa()).containsExactly(rotated.caCertificate());
  }

  @Test
  void aConfigMapWithoutTheRequestHeaderCaIsRejectedNamingTheKey() {
    kube.set("REQUESTHEADER_CA_PEM", "");
    assertThatThrownBy(() -> ConfigMapRequestHeaderConfig.load(kube.client()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("requestheader-client-ca-file");
  }

  static Stream<Arguments> apiServices() {
    return Stream.of(
        Arguments.of(
            "owned by KEDA",
            "apiservice-keda.json",
            State.ELSEWHERE,
            "keda/keda-operator-metrics-apiserver",
            0),
        Arguments.of(
            "owned by Foresight",
            "apiservice-foresight.json",
            State.OURS,
            "foresight/foresight-metrics-api",
            1),
        Arguments.of(
            "absent", null, State.ABSENT, "no APIService v1beta1.external.metrics.k8s.io", 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("apiServices")
  void detectsWhoOwnsTheApiService(
      String name, String resource, State state, String target, int gauge) {
    kube.apiService(resource);
    ApiServiceOwnership o =
        ApiServiceOwnership.check(kube.client(), "foresight", "foresight-metrics-api");
    assertThat(o.state()).isEqualTo(state);
    assertThat(o.target()).isEqualTo(target);
    assertThat(o.ownedGauge()).isEqualTo(gauge);
  }

  @Test
  void subjectAccessReviewAsksForTheMetricInTheExternalMetricsGroup() throws Exception {
    kube.allow(Set.of("system:serviceaccount:kube-system:horizontal-pod-autoscaler"));
    Authorizer sar = new SubjectAccessReviewAuthorizer(kube.client());
    UserInfo hpa =
        new UserInfo(
            "system:serviceaccount:kube-system:horizontal-pod-autoscaler",
            List.of("system:serviceaccounts", "system:authenticated"),
            Map.of("authentication.kubernetes.io/credential-id", List.of("JTI=1")));
    Authorizer.Verdict v = sar.authorize(hpa, "serving", "foresight_desired_replicas");
    assertThat(v.allowed()).isTrue();
    assertThat(v.reason()).contains("RBAC: allowed");

    JsonNode spec = kube.reviews().get(0).get("spec");
    assertThat(kube.reviews().get(0).get("apiVersion").asText())
        .isEqualTo("authorization.k8s.io/v1");
    assertThat(spec.get("user").asText()).isEqualTo(hpa.name());
    assertThat(spec.get("groups")).hasSize(2);
    assertThat(
            spec.path("extra").path("authentication.kubernetes.io/credential-id").get(0).asText())
        .isEqualTo("JTI=1");
    JsonNode ra = spec.get("resourceAttributes");
    assertThat(ra.get("group").asText()).isEqualTo("external.metrics.k8s.io");
    assertThat(ra.get("version").asText()).isEqualTo("v1beta1");
    assertThat(ra.get("resource").asText()).isEqualTo("foresight_desired_replicas");
    assertThat(ra.get("namespace").asText()).isEqualTo("serving");
    assertThat(ra.get("verb").asText()).isEqualTo("get");

    assertThat(
            sar.authorize(new UserInfo("mallory", List.of(), Map.of()), "serving", "x").allowed())
        .isFalse();
  }

  @Test
  void anUnreachableAuthorizerIsAnErrorNotADenialOrAnAllow() {
    kube.sarStatus(500);
    Authorizer sar = new SubjectAccessReviewAuthorizer(kube.client());
    assertThatThrownBy(
            () -> sar.authorize(new UserInfo("alice", List.of(), Map.of()), "serving", "m"))
        .isInstanceOf(AuthorizationUnavailableException.class)
        .hasMessageContaining("500");
  }
}
