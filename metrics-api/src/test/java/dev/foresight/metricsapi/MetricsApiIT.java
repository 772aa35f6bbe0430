package dev.foresight.metricsapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.foresight.metricsapi.testing.Decisions;
import dev.foresight.metricsapi.testing.FakeKubeApi;
import dev.foresight.metricsapi.testing.TestPki;
import dev.foresight.policy.InMemoryDecisionStore;
import dev.foresight.policy.WorkloadRef;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Start-up as the controller wires it: self-signed certificate, CA from the ConfigMap. */
class MetricsApiIT {

  private static final TestPki FRONT_PROXY = TestPki.newCa("front-proxy-ca");
  private static final String PATH =
      "/apis/external.metrics.k8s.io/v1beta1/namespaces/serving/foresight_desired_replicas";

  private FakeKubeApi kube;
  private final InMemoryDecisionStore store = new InMemoryDecisionStore();

  @BeforeEach
  void start() throws Exception {
    kube =
        new FakeKubeApi()
            .set("REQUESTHEADER_CA_PEM", FRONT_PROXY.caPem())
            .set("CLIENT_CA_PEM", TestPki.newCa("kubernetes").caPem())
            .apiService("apiservice-keda.json")
            .allow(Set.of("alice"));
    store.put(Decisions.typical(WorkloadRef.deployment("serving", "llama"), Instant.now()));
  }

  @AfterEach
  void stop() {
    kube.close();
  }

  private MetricsApiSettings settings(boolean delegated) {
    MetricsApiSettings d = MetricsApiSettings.defaults("foresight");
    return new MetricsApiSettings(
        d.server().withListen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Set.of(),
        delegated,
        d.authorizationAllowedTtl(),
        d.authorizationDeniedTtl(),
        d.serviceNamespace(),
        d.serviceName());
  }

  private int get(MetricsApi api, String user) throws Exception {
    HttpClient client =
        HttpClient.newBuilder()
            .sslContext(
                TestPki.clientContext(
                    api.servingCertificate(), FRONT_PROXY.client("front-proxy-client")))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    // The self-signed certificate names the Service, not 127.0.0.1: reach it as "localhost".
    URI uri = URI.create("https://localhost:" + api.address().getPort() + PATH);
    return client
        .send(
            HttpRequest.newBuilder(uri).header("X-Remote-User", user).build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  @Test
  void selfSignedForTheServiceNameWithTheCaFromTheConfigMap() throws Exception {
    try (MetricsApi api =
        MetricsApi.start(settings(true), store, Optional.of(kube.client()), Clock.systemUTC())) {
      X509Certificate cert = api.servingCertificate();
      assertThat(cert.getSubjectAlternativeNames().stream().map(san -> (String) san.get(1)))
          .contains("foresight-metrics-api.foresight.svc", "localhost");
      assertThat(get(api, "alice")).isEqualTo(200);
      assertThat(get(api, "mallory")).isEqualTo(403);
      assertThat(api.ownership().state()).isEqualTo(ApiServiceOwnership.State.ELSEWHERE);
      assertThat(api.ownership().target()).isEqualTo("keda/keda-operator-metrics-apiserver");
    }
  }

  @Test
  void withDelegationOffNoSubjectAccessReviewIsMade() throws Exception {
    try (MetricsApi api =
        MetricsApi.start(settings(false), store, Optional.of(kube.client()), Clock.systemUTC())) {
      assertThat(get(api, "mallory")).isEqualTo(200);
      assertThat(kube.reviews()).isEmpty();
    }
  }

  @Test
  void settingsThatNeedKubernetesSayWhichWithoutAClient() {
    assertThatThrownBy(
            () -> MetricsApi.start(settings(true), store, Optional.empty(), Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("requestheader-client-ca-file");
  }

  @Test
  void certificateAndKeyComeTogether() {
    MetricsApiSettings d = settings(false);
    assertThatThrownBy(
            () ->
                new MetricsApiSettings(
                    d.server(),
                    Optional.of(java.nio.file.Path.of("tls.crt")),
                    Optional.empty(),
                    Optional.empty(),
                    Set.of(),
                    false,
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(10),
                    "foresight",
                    "foresight-metrics-api"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tls-cert-file")
        .hasMessageContaining("only the certificate");
  }

  @Test
  void serviceNamesCoverWhatTheAggregatorDials() {
    assertThat(settings(true).serviceDnsNames())
        .startsWith("foresight-metrics-api.foresight.svc")
        .contains("foresight-metrics-api.foresight.svc.cluster.local");
  }
}
