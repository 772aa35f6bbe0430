package dev.foresight.metricsapi;

import static dev.foresight.metricsapi.testing.JsonFields.assertSameFields;
import static dev.foresight.metricsapi.testing.JsonFields.golden;
import static dev.foresight.metricsapi.testing.JsonFields.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.foresight.metricsapi.security.CachingAuthorizer;
import dev.foresight.metricsapi.security.FileRequestHeaderConfig;
import dev.foresight.metricsapi.security.FileServingCertificate;
import dev.foresight.metricsapi.security.RequestHeaderAuthenticator;
import dev.foresight.metricsapi.security.SubjectAccessReviewAuthorizer;
import dev.foresight.metricsapi.testing.Decisions;
import dev.foresight.metricsapi.testing.FakeKubeApi;
import dev.foresight.metricsapi.testing.PeerCertificateCases;
import dev.foresight.metricsapi.testing.TestPki;
import dev.foresight.policy.InMemoryDecisionStore;
import dev.foresight.policy.Proposal;
import dev.foresight.policy.Signal;
import dev.foresight.policy.WorkloadRef;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The server over real HTTPS on loopback, with certificates generated for the test: a
 * request-header CA signing the aggregator's client certificate, a serving CA, and an intruder CA.
 * A sample of the generated client certificate cases goes through real handshakes. Authorization
 * goes through client-java's SubjectAccessReview call to a loopback fake API server.
 */
class MetricsApiServerIT {

  private static final TestPki FRONT_PROXY = TestPki.newCa("front-proxy-ca");
  private static final TestPki SERVING = TestPki.newCa("serving-ca");
  private static final TestPki INTRUDER = TestPki.newCa("intruder-ca");
  private static final TestPki.Issued AGGREGATOR = FRONT_PROXY.client("front-proxy-client");
  private static final Instant DECIDED = Instant.parse("2026-11-23T12:00:00.250Z");
  private static final String V1BETA1 = "/apis/external.metrics.k8s.io/v1beta1";
  private static final String HPA_USER =
      "system:serviceaccount:kube-system:horizontal-pod-autoscaler";

  @TempDir Path dir;
  private FakeKubeApi kube;
  private MetricsApiServer server;
  private InMemoryDecisionStore store;
  private Path[] servingFiles;

  @BeforeEach
  void start() throws IOException {
    kube = new FakeKubeApi().allow(Set.of(HPA_USER));
    store = new InMemoryDecisionStore();
    store.put(Decisions.typical(WorkloadRef.deployment("serving", "llama"), DECIDED));
    store.put(
        Decisions.stored(
            WorkloadRef.deployment("serving", "mistral"),
            DECIDED,
            4,
            List.of(
                Decisions.used(Signal.QUEUE, 14, 4, 4),
                Decisions.used(Signal.KV_CACHE, 2.5, 0.8, 4))));
    store.put(
        Decisions.stored(
            WorkloadRef.deployment("waiting", "gemma"),
            DECIDED,
            2,
            List.of(Decisions.unusable(Signal.QUEUE, Proposal.Status.MISSING, 4))));

    servingFiles = SERVING.server("foresight-metrics-api.foresight.svc").writePem(dir, "tls");
    FileServingCertificate serving = FileServingCertificate.load(servingFiles[0], servingFiles[1]);
    Path caFile = dir.resolve("requestheader-ca.crt");
    // The front-proxy CA, and the CAs of the generated client certificate cases.
    java.nio.file.Files.writeString(caFile, FRONT_PROXY.caPem() + CASES.trustedCasPem());
    FileRequestHeaderConfig requestHeader =
        FileRequestHeaderConfig.load(caFile, Set.of("front-proxy-client"));
    ServerStats stats = new ServerStats();
    ExternalMetricResolver resolver =
        new ExternalMetricResolver(
            store, MetricCatalog.standard(), Clock.systemUTC(), Duration.ofDays(365 * 100), stats);
    MetricsApiServerConfig config =
        new MetricsApiServerConfig(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            64,
            4,
            Duration.ofMillis(100),
            Duration.ofSeconds(60));
    server =
        MetricsApiServer.start(
            config,
            resolver,
            serving.keyManager(),
            new RequestHeaderAuthenticator(requestHeader),
            new CachingAuthorizer(
                new SubjectAccessReviewAuthorizer(kube.client()),
                Duration.ofSeconds(10),
                Duration.ofSeconds(10),
                Clock.systemUTC(),
                1000),
            List.of(serving::reloadIfChanged, requestHeader::refresh),
            stats);
  }

  @AfterEach
  void stop() {
    server.close();
    kube.close();
  }

  private record Reply(int code, String body, String contentType, X509Certificate servedBy) {
    JsonNode json() {
      return parse(body);
    }
  }

  private Reply get(SSLContext tls, String path, String... headers) throws Exception {
    HttpClient client =
        HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.address().getPort() + path))
            .timeout(Duration.ofSeconds(10));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    X509Certificate servedBy =
        (X509Certificate) r.sslSession().orElseThrow().getPeerCertificates()[0];
    return new Reply(
        r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""), servedBy);
  }

  /** A request as the aggregator forwards HPA's. */
  private Reply asAggregator(String path, String user) throws Exception {
    return get(
        SERVING.clientContext(AGGREGATOR),
        path,
        "X-Remote-User",
        user,
        "X-Remote-Group",
        "system:serviceaccounts",
        "X-Remote-Group",
        "system:authenticated");
  }

  private static String selector(String s) {
    return "?labelSelector=" + URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void hpaThroughTheAggregatorReadsTheDesiredReplicas() throws Exception {
    Reply r =
        asAggregator(
            V1BETA1 + "/namespaces/serving/foresight_desired_replicas" + selector("policy=llama"),
            HPA_USER);
    assertThat(r.code()).as(r.body()).isEqualTo(200);
    assertThat(r.contentType()).isEqualTo("application/json");
    assertSameFields(golden("desired-replicas-llama.json"), r.json());

    JsonNode spec = kube.reviews().get(0).get("spec");
    assertThat(spec.get("user").asText()).isEqualTo(HPA_USER);
    assertThat(spec.get("groups").toString())
        .isEqualTo("[\"system:serviceaccounts\",\"system:authenticated\"]");
    assertThat(spec.at("/resourceAttributes/resource").asText())
        .isEqualTo("foresight_desired_replicas");
    assertThat(spec.at("/resourceAttributes/namespace").asText()).isEqualTo("serving");
  }

  @Test
  void everyMatchedWorkloadIsAnItemWithItsQuantity() throws Exception {
    Reply r = asAggregator(V1BETA1 + "/namespaces/serving/foresight_signal_kv_cache", HPA_USER);
    assertThat(r.code()).as(r.body()).isEqualTo(200);
    assertSameFields(golden("kv-cache-all.json"), r.json());
  }

  @Test
  void authorizationIsCachedPerUserNamespaceAndMetric() throws Exception {
    String path =
        V1BETA1 + "/namespaces/serving/foresight_desired_replicas" + selector("policy=llama");
    for (int i = 0; i < 3; i++) {
      assertThat(asAggregator(path, HPA_USER).code()).isEqualTo(200);
    }
    assertThat(kube.reviews()).hasSize(1);
  }

  static Stream<Arguments> discovery() {
    return Stream.of(
        Arguments.of("group list", "/apis", "apis.json"),
        Arguments.of("group", "/apis/external.metrics.k8s.io", "apigroup.json"),
        Arguments.of("resources", V1BETA1, "apiresourcelist.json"),
        Arguments.of("resources, trailing slash", V1BETA1 + "/", "apiresourcelist.json"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("discovery")
  void discoveryMatchesTheKubernetesTypes(String name, String path, String golden)
      throws Exception {
    Reply r = asAggregator(path, "system:kube-aggregator");
    assertThat(r.code()).isEqualTo(200);
    assertSameFields(golden(golden), r.json());
  }

  @Test
  void openApiDocumentsAreServed() throws Exception {
    JsonNode v2 = asAggregator("/openapi/v2", "system:kube-aggregator").json();
    assertThat(v2.get("swagger").asText()).isEqualTo("2.0");
    assertThat(v2.at("/paths").has(V1BETA1 + "/namespaces/{namespace}/{metric}")).isTrue();
    assertThat(
            v2.at("/definitions")
                .has("io.k8s.metrics.pkg.apis.external_metrics.v1beta1.ExternalMetricValueList"))
        .isTrue();

    JsonNode index = asAggregator("/openapi/v3", "system:kube-aggregator").json();
    String url =
        index.at("/paths/apis~1external.metrics.k8s.io~1v1beta1/serverRelativeURL").asText();
    assertThat(url).startsWith("/openapi/v3/apis/external.metrics.k8s.io/v1beta1?hash=");
    Reply v3 = asAggregator(url, "system:kube-aggregator");
    assertThat(v3.code()).isEqualTo(200);
    assertThat(v3.json().get("openapi").asText()).isEqualTo("3.0.0");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.foresight.metricsapi.MetricsApiServerIT#healthPaths")
  void healthNeedsNoClientCertificate(String path) throws Exception {
    Reply r = get(SERVING.clientContext(null), path);
    assertThat(r.code()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("ok");
  }

  static Stream<String> healthPaths() {
    return Stream.of("/healthz", "/livez", "/readyz");
  }

  static Stream<Arguments> unauthenticated() {
    return Stream.of(
        Arguments.of("no client certificate", null),
        Arguments.of("certificate from another CA", INTRUDER.client("front-proxy-client")),
        Arguments.of(
            "request-header CA but a name not allowed", FRONT_PROXY.client("someone-else")),
        Arguments.of("serving CA's certificate", SERVING.client("front-proxy-client")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unauthenticated")
  void onlyTheAggregatorIsTrustedWithUserHeaders(String name, TestPki.Issued identity)
      throws Exception {
    for (String path :
        List.of(V1BETA1 + "/namespaces/serving/foresight_desired_replicas", "/apis", V1BETA1)) {
      Reply r = get(SERVING.clientContext(identity), path, "X-Remote-User", HPA_USER);
      assertThat(r.code()).as(path).isEqualTo(401);
      assertSameFields(golden("status-unauthorized.json"), r.json());
    }
    assertThat(kube.reviews()).as("never reaches authorization").isEmpty();
    assertThat(server.stats().unauthenticated()).isEqualTo(3);
  }

  private static final PeerCertificateCases CASES = new PeerCertificateCases();

  /** Two of each kind that {@code PeerCertificateFuzzTest} checks 10,000 of. */
  static Stream<PeerCertificateCases.Case> sampledClients() {
    return CASES.sample(0xA66E5L, 2 * PeerCertificateCases.Kind.values().length).stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sampledClients")
  void generatedClientCertificatesAreAuthenticatedOverRealTls(PeerCertificateCases.Case c)
      throws Exception {
    TestPki.Issued identity =
        new TestPki.Issued(new KeyPair(c.leaf().getPublicKey(), c.key()), c.leaf(), c.chain());
    Reply r = get(SERVING.clientContext(identity), V1BETA1, "X-Remote-User", HPA_USER);
    boolean accepted =
        Set.of(
                PeerCertificateCases.Kind.VALID,
                PeerCertificateCases.Kind.VALID_VIA_INTERMEDIATE,
                PeerCertificateCases.Kind.NO_DIGITAL_SIGNATURE)
            .contains(c.kind());
    if (accepted) {
      assertThat(r.code()).as("%s", c).isEqualTo(200);
    } else {
      assertThat(r.code()).as("%s", c).isEqualTo(401);
      assertSameFields(golden("status-unauthorized.json"), r.json());
    }
    assertThat(asAggregator(V1BETA1, HPA_USER).code())
        .as("the aggregator after %s", c)
        .isEqualTo(200);
  }

  @Test
  void theAggregatorWithoutAUserIsUnauthenticated() throws Exception {
    Reply r = get(SERVING.clientContext(AGGREGATOR), V1BETA1);
    assertThat(r.code()).isEqualTo(401);
  }

  @Test
  void aUserRbacDoesNotAllowIsForbidden() throws Exception {
    Reply r = asAggregator(V1BETA1 + "/namespaces/serving/foresight_desired_replicas", "mallory");
    assertThat(r.code()).isEqualTo(403);
    assertSameFields(golden("status-forbidden.json"), r.json());
    assertThat(server.stats().forbidden()).isEqualTo(1);
  }

  @Test
  void extraHeadersReachTheSubjectAccessReview() throws Exception {
    get(
        SERVING.clientContext(AGGREGATOR),
        V1BETA1 + "/namespaces/serving/foresight_desired_replicas",
        "X-Remote-User",
        HPA_USER,
        "X-Remote-Extra-Scopes",
        "view",
        "X-Remote-Extra-Acme.com%2Fproject",
        "p1");
    JsonNode extra = kube.reviews().get(0).at("/spec/extra");
    assertThat(extra.get("scopes").get(0).asText()).isEqualTo("view");
    assertThat(extra.get("acme.com/project").get(0).asText()).isEqualTo("p1");
  }

  @Test
  void aMalformedSelectorIsABadRequest() throws Exception {
    Reply r =
        asAggregator(
            V1BETA1 + "/namespaces/serving/foresight_desired_replicas" + selector("policy in ()"),
            HPA_USER);
    assertThat(r.code()).isEqualTo(400);
    assertSameFields(golden("status-bad-request.json"), r.json());
  }

  @Test
  void anUnknownMetricIsNotFound() throws Exception {
    Reply r = asAggregator(V1BETA1 + "/namespaces/serving/foresight_nonsense", HPA_USER);
    assertThat(r.code()).isEqualTo(404);
    assertSameFields(golden("status-not-found-metric.json"), r.json());
  }

  @Test
  void noMatchingWorkloadIsNotFound() throws Exception {
    Reply r =
        asAggregator(
            V1BETA1 + "/namespaces/serving/foresight_desired_replicas" + selector("policy=nope"),
            HPA_USER);
    assertThat(r.code()).isEqualTo(404);
    assertThat(r.json().get("reason").asText()).isEqualTo("NotFound");
    assertThat(r.json().get("message").asText()).contains("serving").contains("policy");
  }

  @Test
  void aMissingSignalIsUnavailableSoThatHpaHolds() throws Exception {
    Reply r = asAggregator(V1BETA1 + "/namespaces/waiting/foresight_signal_queue", HPA_USER);
    assertThat(r.code()).isEqualTo(503);
    assertThat(r.json().get("reason").asText()).isEqualTo("ServiceUnavailable");
    assertThat(r.json().get("message").asText()).contains("waiting/gemma").contains("MISSING");
  }

  @Test
  void anAuthorizerOutageIsAnInternalError() throws Exception {
    kube.sarStatus(500);
    Reply r = asAggregator(V1BETA1 + "/namespaces/serving/foresight_desired_replicas", HPA_USER);
    assertThat(r.code()).isEqualTo(500);
    assertThat(r.json().get("reason").asText()).isEqualTo("InternalError");
  }

  @Test
  void aNewServingCertificateOnDiskIsServedWithoutRestart() throws Exception {
    BigInteger before = get(SERVING.clientContext(null), "/healthz").servedBy().getSerialNumber();
    TestPki.Issued next = SERVING.server("foresight-metrics-api.foresight.svc");
    next.writePem(dir, "tls");
    BigInteger after = before;
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (after.equals(before) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      after = get(SERVING.clientContext(null), "/healthz").servedBy().getSerialNumber();
    }
    assertThat(after).isEqualTo(next.certificate().getSerialNumber());
  }
}
