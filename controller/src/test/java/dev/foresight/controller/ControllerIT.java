package dev.foresight.controller;

import static dev.foresight.controller.testing.PrometheusServer.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.foresight.controller.config.ControllerConfig;
import dev.foresight.controller.testing.PrometheusServer;
import dev.foresight.controller.testing.TestExporter;
import dev.foresight.policy.Decision;
import dev.foresight.policy.Reason;
import dev.foresight.policy.WorkloadRef;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole controller in standalone mode: a policies file, a real Prometheus scraping a
 * vLLM-format exporter, the decision engine, the store, and the audit endpoints.
 */
class ControllerIT {

  private static String get(int port, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void decidesFromPrometheusAndHoldsWhenSignalsAreMissing(@TempDir Path dir) throws Exception {
    try (TestExporter exporter = new TestExporter()) {
      exporter
          .set("vllm:num_requests_waiting{namespace=\"llm\",pod=\"vllm-llama-a\"}", 30)
          .set("vllm:num_requests_waiting{namespace=\"llm\",pod=\"vllm-llama-b\"}", 10);
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
                  - name: dark
                    namespace: llm
                    target: {kind: Deployment, name: dark}
                    signals: {preset: vllm}
                    replicas: {current: 3}
                    policy: {minReplicas: 1, maxReplicas: 20, target.queue: 4}
                """);
        ControllerConfig config =
            ControllerConfig.load(
                Map.of(
                    "prometheus-url", prometheus.url().toString(),
                    "policies-file", policies.toString(),
                    "loop-period", "1s",
                    "evaluation-timeout", "1s",
                    "http-host", "127.0.0.1",
                    "http-port", "0",
                    "scaler-host", "127.0.0.1",
                    "scaler-port", "0",
                    // Outside a cluster: no request-header CA to read (see ServingIT).
                    "metrics-api-enabled", "false"));
        try (ControllerApp app = ControllerApp.start(config)) {
          WorkloadRef llama = WorkloadRef.deployment("llm", "vllm-llama");
          WorkloadRef dark = WorkloadRef.deployment("llm", "dark");
          eventually(
              Duration.ofSeconds(30),
              "rate-limited scale-up on the queue",
              () -> {
                assertThat(app.store().latest(llama)).isPresent();
                Decision d = app.store().latest(llama).get().decision();
                assertThat(d.reason()).isEqualTo(Reason.RATE_LIMITED);
                assertThat(d.desiredReplicas()).isEqualTo(6); // 2 + 4 pods per 15 s (HPA default)
                assertThat(d.recommendedReplicas()).isEqualTo(10); // ceil(40 / 4)
              });
          Decision held = app.store().latest(dark).orElseThrow().decision();
          assertThat(held.reason()).isEqualTo(Reason.HOLD_NO_USABLE_SIGNAL);
          assertThat(held.desiredReplicas()).isEqualTo(3);

          JsonNode decisions =
              new ObjectMapper()
                  .readTree(get(app.httpPort(), "/decisions?namespace=llm&policy=vllm-llama"));
          JsonNode latest = decisions.path("workloads").get(0).path("decisions").get(0);
          assertThat(latest.path("inputs").path("signals").path("queue").path("value").asDouble())
              .isEqualTo(40);
          // KEDA asks the external scaler, which answers from the same decisions.
          io.grpc.ManagedChannel channel =
              io.grpc.ManagedChannelBuilder.forAddress("127.0.0.1", app.scalerPort())
                  .usePlaintext()
                  .build();
          try {
            var keda = dev.foresight.scaler.proto.ExternalScalerGrpc.newBlockingStub(channel);
            var ref =
                dev.foresight.scaler.proto.ScaledObjectRef.newBuilder()
                    .setName("vllm-llama")
                    .setNamespace("llm")
                    .putScalerMetadata("policy", "vllm-llama")
                    .build();
            assertThat(keda.isActive(ref).getResult()).isTrue();
            assertThat(keda.getMetricSpec(ref).getMetricSpecsList()).isNotEmpty();
          } finally {
            channel.shutdownNow();
          }
          // The file's replica count never changes, so the engine's rate window alternates between
          // adding 4 pods and holding: assert the series and reasons, not one tick's count.
          assertThat(get(app.httpPort(), "/metrics"))
              .contains("foresight_desired_replicas{namespace=\"llm\",policy=\"vllm-llama\"} ")
              .contains("policy=\"vllm-llama\",reason=\"RATE_LIMITED\"")
              .contains("policy=\"dark\",reason=\"HOLD_NO_USABLE_SIGNAL\"")
              .contains("foresight_loop_duration_seconds_count");
        }
      }
    }
  }
}
