package dev.foresight.controller.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.foresight.scaler.proto.ExternalScalerGrpc;
import dev.foresight.scaler.proto.GetMetricsRequest;
import dev.foresight.scaler.proto.ScaledObjectRef;
import io.grpc.ManagedChannel;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What KEDA, HPA and an operator read from a running controller, asked as they ask it, for the
 * tests that check those answers keep coming through faults.
 */
public final class ServerProbes {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private ServerProbes() {}

  /** KEDA's GetMetrics for the ScaledObject {@code namespace/name} whose trigger names a policy. */
  public static long kedaMetric(
      ManagedChannel channel, String namespace, String name, String policy) {
    ScaledObjectRef ref =
        ScaledObjectRef.newBuilder()
            .setNamespace(namespace)
            .setName(name)
            .putScalerMetadata("policy", policy)
            .build();
    return ExternalScalerGrpc.newBlockingStub(channel)
        .withDeadlineAfter(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(ref).build())
        .getMetricValues(0)
        .getMetricValue();
  }

  /**
   * HPA's read of {@code foresight_desired_replicas} for a policy through the API aggregator (its
   * client, its identity headers): the one item's value.
   */
  public static long hpaDesired(HttpClient aggregator, int port, String namespace, String policy)
      throws Exception {
    HttpResponse<String> response =
        aggregator.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "https://127.0.0.1:"
                            + port
                            + "/apis/external.metrics.k8s.io/v1beta1/namespaces/"
                            + namespace
                            + "/foresight_desired_replicas?labelSelector="
                            + URLEncoder.encode("policy=" + policy, StandardCharsets.UTF_8)))
                .header(
                    "X-Remote-User", "system:serviceaccount:kube-system:horizontal-pod-autoscaler")
                .header("X-Remote-Group", "system:serviceaccounts")
                .timeout(TIMEOUT)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode items = new ObjectMapper().readTree(response.body()).path("items");
    assertThat(items).hasSize(1);
    return Long.parseLong(items.get(0).path("value").asText());
  }

  /** The newest decision of a policy as {@code /decisions} audits it. */
  public static JsonNode auditedLatest(HttpClient http, int port, String namespace, String policy)
      throws Exception {
    String body =
        http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + port
                                + "/decisions?namespace="
                                + namespace
                                + "&policy="
                                + policy))
                    .timeout(TIMEOUT)
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return new ObjectMapper().readTree(body).path("workloads").get(0).path("decisions").get(0);
  }
}
