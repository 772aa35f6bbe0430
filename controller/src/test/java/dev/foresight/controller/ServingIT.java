package dev.foresight.controller;

import static dev.foresight.controller.testing.PrometheusServer.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.foresight.controller.testing.PrometheusServer;
import dev.foresight.controller.testing.TestExporter;
import dev.foresight.controller.testing.TestPki;
import dev.foresight.policy.Reason;
import dev.foresight.policy.StoredDecision;
import dev.foresight.policy.WorkloadRef;
import dev.foresight.scaler.proto.ExternalScalerGrpc;
import dev.foresight.scaler.proto.GetMetricsRequest;
import dev.foresight.scaler.proto.ScaledObjectRef;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code foresight run} in-process, from its flags, against a real Prometheus: KEDA (gRPC) and HPA
 * (the external metrics API over mutual TLS, as the API aggregator calls it) read the same
 * decisions, an inline policy from a ScaledObject is governed like a declared one, and {@code
 * /metrics} carries both servers' counters.
 */
class ServingIT {

  private static final String METRICS_PATH =
      "/apis/external.metrics.k8s.io/v1beta1/namespaces/llm/foresight_desired_replicas";

  private static ScaledObjectRef reference(String name, Map<String, String> metadata) {
    return ScaledObjectRef.newBuilder()
        .setNamespace("llm")
        .setName(name)
        .putAllScalerMetadata(metadata)
        .build();
  }

  /** KEDA's GetMetrics for {@code ref}: the desired replica count. */
  private static long keda(
      ExternalScalerGrpc.ExternalScalerBlockingStub stub, ScaledObjectRef ref) {
    String metric = stub.getMetricSpec(ref).getMetricSpecs(0).getMetricName();
    return stub.getMetrics(
            GetMetricsRequest.newBuilder().setScaledObjectRef(ref).setMetricName(metric).build())
        .getMetricValues(0)
        .getMetricValue();
  }

  private static HttpResponse<String> metricsApi(
      SSLContext tls, int port, String policy, boolean aggregatorHeaders) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(
                    "https://127.0.0.1:"
                        + port
                        + METRICS_PATH
                        + "?labelSelector="
                        + URLEncoder.encode("policy=" + policy, StandardCharsets.UTF_8)))
            .timeout(Duration.ofSeconds(30));
    if (aggregatorHeaders) {
      request
          .header("X-Remote-User", "system:serviceaccount:kube-system:horizontal-pod-autoscaler")
          .header("X-Remote-Group", "system:serviceaccounts");
    }
    return HttpClient.newBuilder()
        .sslContext(tls)
        .build()
        .send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The one item's value of an {@code ExternalMetricValueList}. */
  private static long value(String body) throws Exception {
    JsonNode list = new ObjectMapper().readTree(body);
    assertThat(list.path("kind").asText()).isEqualTo("ExternalMetricValueList");
    assertThat(list.path("items")).hasSize(1);
    return Long.parseLong(list.path("items").get(0).path("value").asText());
  }

  private static String get(int port, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void kedaAndHpaReadTheSameDecisionsAndMetricsShowBothServers(@TempDir Path dir) throws Exception {
    // Certificates: a serving CA and certificate for the metrics API, and the aggregator's
    // front-proxy CA with its client certificate (CN front-proxy-client).
    TestPki servingCa = TestPki.newCa("foresight serving CA");
    Path[] serving = servingCa.server().writePem(dir, "tls");
    TestPki frontProxyCa = TestPki.newCa("front-proxy CA");
    Path requestHeaderCa = frontProxyCa.writeCa(dir.resolve("requestheader-ca.crt"));
    SSLContext aggregator =
        TestPki.clientContext(servingCa.caCertificate(), frontProxyCa.client("front-proxy-client"));
    SSLContext anonymous = TestPki.clientContext(servingCa.caCertificate(), null);

    try (TestExporter exporter = new TestExporter()) {
      exporter
          .set("vllm:num_requests_waiting{namespace=\"llm\",pod=\"vllm-llama-a\"}", 30)
          .set("vllm:num_requests_waiting{namespace=\"llm\",pod=\"vllm-llama-b\"}", 10)
          // The inline policy's workload: replicas from kube-state-metrics, queue 12.
          .set("vllm:num_requests_waiting{namespace=\"llm\",pod=\"chat-7d9f-x\"}", 12)
          .set("kube_deployment_spec_replicas{namespace=\"llm\",deployment=\"chat\"}", 2)
          .set("kube_deployment_status_replicas_ready{namespace=\"llm\",deployment=\"chat\"}", 2);
      try (PrometheusServer prometheus = PrometheusServer.start(List.of(exporter.target()))) {
        Path policies =
            Files.writeString(
                dir.resolve("policies.yaml"),
                """
                policies:
                  - name: vllm-llama
                    namespace: llm
                    target: {kind: Deployment, name: vllm-llama}
                    signals: {preset: vllm, window: 5s}
                    replicas: {current: 2}
                    policy: {minReplicas: 1, maxReplicas: 20, target.queue: 4}
                """);
        String[] args = {
          "--prometheus-url=" + prometheus.url(),
          "--policies-file=" + policies,
          "--loop-period=1s",
          "--evaluation-timeout=1s",
          "--http-host=127.0.0.1",
          "--http-port=0",
          "--scaler-host=127.0.0.1",
          "--scaler-port=0",
          "--metrics-api-host=127.0.0.1",
          "--metrics-api-port=0",
          "--metrics-api-tls-cert-file=" + serving[0],
          "--metrics-api-tls-key-file=" + serving[1],
          "--metrics-api-requestheader-ca-file=" + requestHeaderCa,
          "--metrics-api-delegated-authorization=false",
          "--inline-signals-window=5s",
        };
        try (ControllerApp app = ControllerFromFlags.start(args)) {
          int apiPort = app.metricsApiAddress().orElseThrow().getPort();
          ManagedChannel channel =
              ManagedChannelBuilder.forAddress("127.0.0.1", app.scalerPort())
                  .usePlaintext()
                  .build();
          try {
            var stub = ExternalScalerGrpc.newBlockingStub(channel);
            WorkloadRef llama = WorkloadRef.deployment("llm", "vllm-llama");
            ScaledObjectRef llamaRef = reference("vllm-llama", Map.of("policy", "vllm-llama"));
            // The loop keeps deciding every second; compare answers taken between two reads of
            // the same stored decision.
            eventually(
                Duration.ofSeconds(60),
                "KEDA and HPA both answer the stored scale-up of vllm-llama",
                () -> {
                  StoredDecision before = app.store().latest(llama).orElse(null);
                  assertThat(before).isNotNull();
                  assertThat(before.decision().reason()).isNotEqualTo(Reason.HOLD_NO_USABLE_SIGNAL);
                  assertThat(before.decision().recommendedReplicas()).isEqualTo(10); // 40 / 4
                  long fromKeda = keda(stub, llamaRef);
                  HttpResponse<String> hpa = metricsApi(aggregator, apiPort, "vllm-llama", true);
                  assertThat(hpa.statusCode()).as(hpa.body()).isEqualTo(200);
                  StoredDecision after = app.store().latest(llama).orElseThrow();
                  assertThat(after).isEqualTo(before);
                  assertThat(fromKeda).isEqualTo(before.decision().desiredReplicas());
                  assertThat(value(hpa.body())).isEqualTo(before.decision().desiredReplicas());
                  assertThat(fromKeda).isGreaterThan(2);
                });

            // An inline policy: registered by its first call, decided by the loop from Prometheus,
            // then served to KEDA and to HPA under the ScaledObject's name.
            ScaledObjectRef chatRef =
                reference(
                    "chat", Map.of("minReplicas", "1", "maxReplicas", "10", "target.queue", "4"));
            eventually(
                Duration.ofSeconds(60),
                "the inline policy chat is decided and served",
                () -> {
                  long fromKeda;
                  try {
                    fromKeda = keda(stub, chatRef);
                  } catch (StatusRuntimeException e) {
                    // No decision yet: never a count, so KEDA keeps the current one.
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    throw new AssertionError("no decision yet", e);
                  }
                  assertThat(fromKeda).isEqualTo(3); // ceil(12 / 4), from 2 replicas
                  HttpResponse<String> hpa = metricsApi(aggregator, apiPort, "chat", true);
                  assertThat(hpa.statusCode()).as(hpa.body()).isEqualTo(200);
                  assertThat(value(hpa.body())).isEqualTo(3);
                });

            // Name clash: the declared policy keeps its name.
            StatusRuntimeException clash =
                catchThrowableOfType(
                    () ->
                        keda(
                            stub,
                            reference(
                                "vllm-llama",
                                Map.of(
                                    "minReplicas", "1", "maxReplicas", "3", "target.queue", "9"))),
                    StatusRuntimeException.class);
            assertThat(clash.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(clash.getStatus().getDescription())
                .contains("already governs Deployment/vllm-llama");
          } finally {
            channel.shutdownNow();
          }

          // Without the aggregator's client certificate: 401, and counted.
          assertThat(metricsApi(anonymous, apiPort, "vllm-llama", true).statusCode())
              .isEqualTo(401);

          String metrics = get(app.httpPort(), "/metrics");
          assertThat(metrics)
              .containsPattern("foresight_metrics_api_requests_total\\{outcome=\"served\"} [1-9]")
              .contains("foresight_metrics_api_requests_total{outcome=\"unauthenticated\"} 1")
              .contains("foresight_metrics_api_stale_values_total 0")
              // No Kubernetes client (delegation off, CA from a file): ownership unknown.
              .contains("foresight_metrics_api_apiservice_owned{state=\"UNKNOWN\"} 0")
              .containsPattern(
                  "foresight_scaler_requests_total\\{outcome=\"ok\",rpc=\"GetMetrics\"} [1-9]")
              .containsPattern(
                  "foresight_scaler_requests_total\\{outcome=\"invalid_argument\",rpc=\"GetMetricSpec\"} 1")
              .containsPattern(
                  "foresight_desired_replicas\\{namespace=\"llm\",policy=\"chat\"} 3(\\.0)?\\n");
        }
      }
    }
  }
}
