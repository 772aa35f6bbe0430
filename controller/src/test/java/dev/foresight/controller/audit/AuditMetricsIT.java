package dev.foresight.controller.audit;

import static dev.foresight.controller.testing.PrometheusServer.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.foresight.controller.prometheus.PrometheusClient;
import dev.foresight.controller.prometheus.QueryResult;
import dev.foresight.controller.testing.PrometheusServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Foresight's own /metrics: linted by promtool and scraped by a real Prometheus. */
class AuditMetricsIT {

  @Test
  void promtoolAcceptsTheExpositionAndPrometheusScrapesIt() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    DecisionHistory history = new DecisionHistory(5);
    DecisionJson json = new DecisionJson(new ObjectMapper());
    DecisionAudit audit = new DecisionAudit(new AuditMetrics(registry), history, json);
    audit.record(SampleDecisions.scaleUp(SampleDecisions.LLAMA, 4, 9));
    audit.error(SampleDecisions.LLAMA, ErrorType.EVALUATION_TIMEOUT);
    audit.loopDuration(Duration.ofMillis(30));
    try (AuditServer server =
        new AuditServer(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), registry, history, json)) {
      String exposition =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();

      Path promtool = PrometheusServer.binary("promtool");
      Process p =
          new ProcessBuilder(promtool.toString(), "check", "metrics")
              .redirectErrorStream(true)
              .start();
      p.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("promtool check metrics:\n" + output).isZero();

      try (PrometheusServer prometheus =
          PrometheusServer.start(List.of("127.0.0.1:" + server.port()))) {
        PrometheusClient client =
            new PrometheusClient(PrometheusClient.Settings.of(prometheus.url()));
        eventually(
            Duration.ofSeconds(30),
            "Prometheus scraped foresight",
            () -> {
              QueryResult.Vector up = (QueryResult.Vector) client.instant("up", Instant.now());
              assertThat(up.samples()).hasSize(1);
              assertThat(up.samples().get(0).value()).isEqualTo(1);
              QueryResult.Vector desired =
                  (QueryResult.Vector)
                      client.instant(
                          "foresight_desired_replicas{namespace=\"llm\",policy=\"vllm-llama\"}",
                          Instant.now());
              assertThat(desired.samples()).hasSize(1);
              assertThat(desired.samples().get(0).value()).isEqualTo(9);
            });
      }
    }
  }
}
