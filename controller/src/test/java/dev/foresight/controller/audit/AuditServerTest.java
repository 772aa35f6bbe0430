package dev.foresight.controller.audit;

import static dev.foresight.controller.audit.SampleDecisions.LLAMA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.foresight.policy.Reason;
import dev.foresight.policy.WorkloadRef;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The audit endpoints over real loopback HTTP. */
class AuditServerTest {

  private final ObjectMapper mapper = new ObjectMapper();
  private DecisionAudit audit;
  private AuditServer server;

  @BeforeEach
  void start() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    DecisionHistory history = new DecisionHistory(3);
    DecisionJson json = new DecisionJson(mapper);
    audit = new DecisionAudit(new AuditMetrics(registry), history, json);
    server =
        new AuditServer(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), registry, history, json);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String get(String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  @Test
  void metricsCarryEveryPartOfTheDecision() throws Exception {
    audit.record(SampleDecisions.scaleUp(LLAMA, 4, 9));
    audit.error(LLAMA, ErrorType.PROMETHEUS_TIMEOUT);
    audit.loopDuration(Duration.ofMillis(12));
    String m = get("/metrics");
    String l = "namespace=\"llm\",policy=\"vllm-llama\"";
    assertThat(m)
        .contains("foresight_desired_replicas{" + l + "} 9.0")
        .contains("foresight_current_replicas{" + l + "} 4.0")
        .contains("foresight_recommended_replicas{" + l + "} 10.0")
        .contains("foresight_signal_value{" + l + ",signal=\"queue\",unit=\"requests\"} 37.0")
        .contains("foresight_signal_target{" + l + ",signal=\"kv_cache\",unit=\"ratio\"} 0.8")
        .contains("foresight_signal_proposed_replicas{" + l + ",signal=\"queue\"} 10.0")
        .contains("foresight_signal_status{" + l + ",signal=\"kv_cache\",status=\"NAN\"} 1.0")
        .contains("foresight_signal_age_seconds{" + l + ",signal=\"queue\"} 2.0")
        .contains(
            "foresight_decision_reason{limit=\"MAX_REPLICAS\","
                + l
                + ",reason=\"SCALE_UP\",winning_signal=\"queue\"} 1.0")
        .contains(
            "foresight_guard_rails_active{effect=\"UNHEALTHY_REPLICA\","
                + l
                + ",rail=\"TEMPERATURE\"} 2.0")
        .contains("foresight_forecast_requests_per_second{bound=\"upper\"," + l + "} 15.0")
        .contains("foresight_lead_time_seconds{" + l + "} 180.0")
        .contains("foresight_capacity_per_replica_requests_per_second{" + l + "} 2.0")
        .contains("foresight_errors_total{" + l + ",type=\"prometheus_timeout\"} 1.0")
        .contains("foresight_loop_duration_seconds_count 1");
    // A NaN value is not exported as a value; a signal that did not propose has no proposal.
    assertThat(m)
        .doesNotContain("foresight_signal_value{" + l + ",signal=\"kv_cache\"")
        .doesNotContain("foresight_signal_proposed_replicas{" + l + ",signal=\"kv_cache\"");
  }

  @Test
  void theSameSeriesWithNewValuesShowTheNewValues() throws Exception {
    WorkloadRef other = WorkloadRef.deployment("llm", "other");
    audit.record(SampleDecisions.scaleUp(LLAMA, 4, 9));
    audit.record(SampleDecisions.scaleUp(other, 1, 2));
    audit.record(SampleDecisions.scaleUp(LLAMA, 5, 12)); // same series as before, new values
    String m = get("/metrics");
    String l = "namespace=\"llm\",policy=\"vllm-llama\"";
    assertThat(m)
        .contains("foresight_desired_replicas{" + l + "} 12.0")
        .contains("foresight_current_replicas{" + l + "} 5.0")
        .contains("foresight_signal_proposed_replicas{" + l + ",signal=\"queue\"} 13.0")
        .contains("foresight_desired_replicas{namespace=\"llm\",policy=\"other\"} 2.0")
        .doesNotContain("foresight_desired_replicas{" + l + "} 9.0");
    audit.record(SampleDecisions.record(LLAMA, 12, 12, Reason.STEADY)); // a series changes
    audit.record(SampleDecisions.record(LLAMA, 12, 11, Reason.STEADY)); // same again
    assertThat(get("/metrics"))
        .contains("foresight_desired_replicas{" + l + "} 11.0")
        .contains("reason=\"STEADY\"")
        .contains("policy=\"other\",reason=\"SCALE_UP\"")
        .doesNotContain(l + ",reason=\"SCALE_UP\"");
  }

  @Test
  void aNewReasonReplacesTheOldSeriesAndRemovalForgetsTheWorkload() throws Exception {
    audit.record(SampleDecisions.scaleUp(LLAMA, 4, 9));
    audit.record(SampleDecisions.record(LLAMA, 9, 9, Reason.STEADY));
    String m = get("/metrics");
    assertThat(m).contains("reason=\"STEADY\"").doesNotContain("reason=\"SCALE_UP\"");
    audit.remove(LLAMA);
    assertThat(get("/metrics")).doesNotContain("policy=\"vllm-llama\"");
  }

  @Test
  void decisionsEndpointListsRecentDecisionsNewestFirstAndFilters() throws Exception {
    WorkloadRef other = WorkloadRef.deployment("chat", "tgi-mistral");
    for (int i = 1; i <= 5; i++) {
      audit.record(SampleDecisions.scaleUp(LLAMA, i, i + 1));
    }
    audit.record(SampleDecisions.scaleUp(other, 1, 2));
    JsonNode all = mapper.readTree(get("/decisions"));
    assertThat(all.path("workloads")).hasSize(2);
    JsonNode llama = mapper.readTree(get("/decisions?namespace=llm&policy=vllm-llama"));
    assertThat(llama.path("workloads")).hasSize(1);
    JsonNode decisions = llama.path("workloads").get(0).path("decisions");
    assertThat(decisions).hasSize(3); // history capacity
    assertThat(decisions.get(0).path("desiredReplicas").asInt()).isEqualTo(6);
    assertThat(decisions.get(2).path("desiredReplicas").asInt()).isEqualTo(4);
    assertThat(mapper.readTree(get("/decisions?namespace=none")).path("workloads")).isEmpty();
  }

  @Test
  void healthz() throws Exception {
    assertThat(get("/healthz")).isEqualTo("ok\n");
  }
}
