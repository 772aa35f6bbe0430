package dev.foresight.controller;

import static dev.foresight.controller.testing.PrometheusServer.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.foresight.controller.cluster.FakeApiServer;
import dev.foresight.controller.cluster.Fixtures;
import dev.foresight.controller.testing.PrometheusServer;
import dev.foresight.controller.testing.TestExporter;
import dev.foresight.policy.Decision;
import dev.foresight.policy.StoredDecision;
import dev.foresight.policy.WorkloadRef;
import dev.foresight.scaler.proto.ExternalScalerGrpc;
import dev.foresight.scaler.proto.GetMetricsRequest;
import dev.foresight.scaler.proto.ScaledObjectRef;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code foresight run} in cluster mode, in-process from its flags, against an HTTP-level fake of
 * the API server (recorded ScalingPolicy list and watch, Deployment scale, pods, Lease) and a real
 * Prometheus: {@code /readyz} stays 503 until the ScalingPolicy list arrives, the policy is decided
 * on the target's scale and pods, its status PATCH carries the decided count, KEDA reads the same
 * count, and this single replica leads.
 */
class ClusterModeIT {

  private static final String POLICIES = "/apis/autoscaling.foresight.dev/v1alpha1/scalingpolicies";
  private static final String SCALE =
      "/apis/apps/v1/namespaces/inference/deployments/vllm-llama/scale";
  private static final String PODS = "/api/v1/namespaces/inference/pods";
  private static final String STATUS =
      "/apis/autoscaling.foresight.dev/v1alpha1/namespaces/inference/scalingpolicies/llama/status";
  private static final WorkloadRef LLAMA =
      new WorkloadRef("inference", "llama", "Deployment", "vllm-llama");

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static long keda(ExternalScalerGrpc.ExternalScalerBlockingStub stub) {
    ScaledObjectRef ref =
        ScaledObjectRef.newBuilder()
            .setNamespace("inference")
            .setName("vllm-llama")
            .putScalerMetadata("policy", "llama")
            .build();
    String metric = stub.getMetricSpec(ref).getMetricSpecs(0).getMetricName();
    return stub.getMetrics(
            GetMetricsRequest.newBuilder().setScaledObjectRef(ref).setMetricName(metric).build())
        .getMetricValues(0)
        .getMetricValue();
  }

  /** The desired count of the last status PATCH, or -1 before the first. */
  private static int lastStatusDesired(FakeApiServer api) {
    int desired = -1;
    for (FakeApiServer.Request r : api.writes()) {
      if (r.method().equals("PATCH") && r.path().equals(STATUS)) {
        JsonObject body = JsonParser.parseString(r.body()).getAsJsonObject();
        desired = body.getAsJsonObject("status").get("desiredReplicas").getAsInt();
      }
    }
    return desired;
  }

  @Test
  void governsScalingPoliciesAndPublishesTheirDecisions(@TempDir Path dir) throws Exception {
    try (TestExporter exporter = new TestExporter();
        FakeApiServer api = new FakeApiServer()) {
      // 20 waiting requests at a target of 4 per replica: 5 replicas wanted, 3 there.
      exporter
          .set("vllm:num_requests_waiting{namespace=\"inference\",pod=\"vllm-llama-a\"}", 12)
          .set("vllm:num_requests_waiting{namespace=\"inference\",pod=\"vllm-llama-b\"}", 8);
      api.onGet(SCALE, Fixtures.text("scale-deployment.json"))
          .onGet(
              PODS,
              Fixtures.list(
                  "PodList", "v1", "pod-ready.json", "pod-starting.json", "pod-pending.json"));
      Path kubeconfig = api.writeKubeconfig(dir.resolve("kubeconfig"));
      try (PrometheusServer prometheus = PrometheusServer.start(List.of(exporter.target()))) {
        try (ControllerApp app =
            ControllerFromFlags.start(
                "--kubeconfig=" + kubeconfig,
                "--pod-name=foresight-controller-0",
                "--pod-namespace=foresight-system",
                "--prometheus-url=" + prometheus.url(),
                "--loop-period=1s",
                "--evaluation-timeout=1s",
                "--supply-period=1s",
                "--http-host=127.0.0.1",
                "--http-port=0",
                "--scaler-host=127.0.0.1",
                "--scaler-port=0",
                "--metrics-api-enabled=false")) {
          assertThat(app.kubernetes()).isPresent();
          // The ScalingPolicy list fails (404) until recorded: not ready, nothing governed.
          assertThat(get(app.httpPort(), "/readyz").statusCode()).isEqualTo(503);
          assertThat(get(app.httpPort(), "/healthz").statusCode()).isEqualTo(200);
          assertThat(app.store().workloads()).isEmpty();

          api.onGet(
              POLICIES,
              Fixtures.list(
                  "ScalingPolicyList", "autoscaling.foresight.dev/v1alpha1", "scalingpolicy.json"));
          eventually(
              Duration.ofSeconds(60),
              "ready after the informer synced",
              () -> assertThat(get(app.httpPort(), "/readyz").statusCode()).isEqualTo(200));

          ManagedChannel channel =
              ManagedChannelBuilder.forAddress("127.0.0.1", app.scalerPort())
                  .usePlaintext()
                  .build();
          try {
            var stub = ExternalScalerGrpc.newBlockingStub(channel);
            eventually(
                Duration.ofSeconds(60),
                "a scale-up decided on the cluster's replicas, in the status and to KEDA",
                () -> {
                  assertThat(app.store().latest(LLAMA)).isPresent();
                  StoredDecision stored = app.store().latest(LLAMA).get();
                  Decision d = stored.decision();
                  assertThat(d.currentReplicas()).isEqualTo(3); // scale subresource
                  assertThat(d.desiredReplicas()).isGreaterThan(3);
                  assertThat(lastStatusDesired(api)).isEqualTo(d.desiredReplicas());
                  assertThat(keda(stub)).isEqualTo(d.desiredReplicas());
                  assertThat(app.store().latest(LLAMA).orElseThrow()).isEqualTo(stored);
                });
          } finally {
            channel.shutdownNow();
          }
          assertThat(api.leaseHolder("foresight-system", "foresight-controller"))
              .isEqualTo("foresight-controller-0");
          assertThat(get(app.httpPort(), "/metrics").body())
              .contains("foresight_leader 1.0")
              .contains("policy=\"llama\"");
        }
      }
    }
  }
}
