package dev.foresight.controller.audit;

import static dev.foresight.controller.audit.SampleDecisions.LLAMA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.foresight.policy.Reason;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

class DecisionJsonTest {

  private final ObjectMapper mapper = new ObjectMapper();
  private final DecisionJson json = new DecisionJson(mapper);

  @Test
  void oneLineWithEveryInputAndTheReason() throws Exception {
    String line = json.line(SampleDecisions.scaleUp(LLAMA, 4, 9));
    assertThat(line).doesNotContain("\n");
    JsonNode n = mapper.readTree(line);
    assertThat(n.path("workload").path("policy").asText()).isEqualTo("vllm-llama");
    assertThat(n.path("reason").asText()).isEqualTo("SCALE_UP");
    assertThat(n.path("desiredReplicas").asInt()).isEqualTo(9);
    assertThat(n.path("winningSignal").asText()).isEqualTo("queue");
    assertThat(n.path("limit").asText()).isEqualTo("MAX_REPLICAS");
    assertThat(n.path("proposals").get(0).path("replicas").asInt()).isEqualTo(10);
    assertThat(n.path("proposals").get(1).path("value").asText()).isEqualTo("NaN");
    assertThat(n.path("proposals").get(1).has("replicas")).isFalse();
    assertThat(n.path("guardRails")).hasSize(2);
    assertThat(n.path("prediction").path("horizonSeconds").asDouble()).isEqualTo(180);
    JsonNode inputs = n.path("inputs");
    assertThat(inputs.path("signals").path("queue").path("ageSeconds").asDouble()).isEqualTo(2);
    assertThat(inputs.path("signals").path("ttft_p95").path("error").asText()).isEqualTo("TIMEOUT");
    assertThat(inputs.path("gpus").get(0).path("temperatureCelsius").asDouble()).isEqualTo(91);
  }

  @Test
  void onlyChangedDecisionsAreLogged() {
    DecisionAudit audit =
        new DecisionAudit(new AuditMetrics(new PrometheusRegistry()), new DecisionHistory(5), json);
    assertThat(audit.record(SampleDecisions.scaleUp(LLAMA, 4, 9))).isPresent();
    assertThat(audit.record(SampleDecisions.scaleUp(LLAMA, 4, 9))).isEmpty();
    assertThat(audit.record(SampleDecisions.record(LLAMA, 4, 9, Reason.BOUNDED_MAX))).isPresent();
    assertThat(audit.record(SampleDecisions.scaleUp(LLAMA, 9, 10))).isPresent();
  }
}
