package dev.foresight.controller.history;

import static dev.foresight.controller.testing.PrometheusServer.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.foresight.controller.ControllerApp;
import dev.foresight.controller.config.ControllerConfig;
import dev.foresight.controller.testing.PrometheusServer;
import dev.foresight.controller.testing.TestExporter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller in standalone mode over a real Prometheus holding a week of backfilled vLLM
 * request counters with a daily pattern: its forecaster is seeded from the history before it has
 * seen a day of live samples, and a controller without history is not.
 */
class HistoryRebuildIT {

  private static final Duration DAY = Duration.ofDays(1);
  private static final String SERIES =
      "vllm:request_success_total{namespace=\"llm\",pod=\"vllm-llama-a\"}";

  @TempDir static Path dir;
  private static TestExporter exporter;
  private static PrometheusServer prometheus;
  private static Path policies;

  /** Requests per second at {@code t}: 20 ± 15 over the day. */
  private static double daily(Instant t) {
    return 20 + 15 * Math.sin(2 * Math.PI * t.getEpochSecond() / DAY.toSeconds());
  }

  @BeforeAll
  static void startPrometheusWithAWeekOfHistory() throws Exception {
    // Every 15 s (two points in the policy's 30 s rate window) for a week and an hour, ending two
    // hours ago: a fresh Prometheus head may not
    // hold the newest backfilled data. The live exporter covers the last minutes.
    long end = Instant.now().minus(Duration.ofHours(2)).getEpochSecond() / 15 * 15;
    long start = end - DAY.toSeconds() * 7 - 3600;
    StringBuilder om = new StringBuilder("# TYPE vllm:request_success counter\n");
    double total = 0;
    for (long t = start; t <= end; t += 15) {
      total += daily(Instant.ofEpochSecond(t)) * 15;
      om.append(SERIES).append(' ').append(total).append(' ').append(t).append('\n');
    }
    om.append("# EOF\n");
    Path blocks = PrometheusServer.backfill(om.toString(), dir.resolve("blocks"));
    exporter = new TestExporter();
    exporter
        .counter(SERIES, daily(Instant.now()))
        .set("vllm:num_requests_waiting{namespace=\"llm\",pod=\"vllm-llama-a\"}", 0);
    prometheus = PrometheusServer.start(List.of(exporter.target()), blocks);
    policies =
        Files.writeString(
            dir.resolve("policies.yaml"),
            """
            policies:
              - name: vllm-llama
                namespace: llm
                target: {kind: Deployment, name: vllm-llama}
                signals: {preset: vllm, window: 30s}
                replicas: {current: 30, ready: 30}
                policy:
                  minReplicas: 1
                  maxReplicas: 100
                  target.queue: 4
                  prediction.enabled: true
            """);
    // rate() divides by its whole window: until the live series spans the window, the live rate
    // reads low, as it would for any model server that just started.
    double live = daily(Instant.now());
    eventually(
        Duration.ofSeconds(90),
        "the live rate over a full window",
        () ->
            assertThat(instant("sum(rate(vllm:request_success_total[30s]))"))
                .isCloseTo(live, within(live * 0.1)));
  }

  @AfterAll
  static void stop() throws Exception {
    if (prometheus != null) {
      prometheus.close();
    }
    if (exporter != null) {
      exporter.close();
    }
  }

  private static double instant(String query) throws Exception {
    JsonNode r =
        new ObjectMapper()
            .readTree(
                get(
                    prometheus.url()
                        + "/api/v1/query?query="
                        + java.net.URLEncoder.encode(
                            query, java.nio.charset.StandardCharsets.UTF_8)));
    JsonNode result = r.path("data").path("result");
    return result.isEmpty() ? 0 : result.get(0).path("value").get(1).asDouble();
  }

  private static String get(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static ControllerConfig config(boolean history) {
    Map<String, String> s = new HashMap<>();
    s.put("prometheus-url", prometheus.url().toString());
    s.put("policies-file", policies.toString());
    s.put("loop-period", "1s");
    s.put("evaluation-timeout", "1s");
    s.put("query-timeout", "10s");
    s.put("http-host", "127.0.0.1");
    s.put("http-port", "0");
    s.put("scaler-host", "127.0.0.1");
    s.put("scaler-port", "0");
    s.put("metrics-api-enabled", "false");
    s.put("history-enabled", String.valueOf(history));
    return ControllerConfig.load(s);
  }

  private static JsonNode workload(ControllerApp app) throws Exception {
    JsonNode all =
        new ObjectMapper()
            .readTree(
                get(
                    "http://127.0.0.1:"
                        + app.httpPort()
                        + "/decisions?namespace=llm&policy=vllm-llama"));
    return all.path("workloads").path(0);
  }

  @Test
  void theFirstDecisionsAfterStartUpForecastFromAWeekOfHistory() throws Exception {
    try (ControllerApp app = ControllerApp.start(config(true))) {
      AtomicReference<JsonNode> seeded = new AtomicReference<>();
      eventually(
          Duration.ofSeconds(60),
          "the forecaster seeded from history",
          () -> {
            JsonNode h = workload(app).path("history");
            assertThat(h.path("result").asText()).as(h.toString()).isEqualTo("seeded");
            seeded.set(h);
          });
      // A week at 5 minutes is 2,016 slots; the two hours before the live data are a gap.
      assertThat(seeded.get().path("points").asInt()).isBetween(2016 - 26, 2016);
      assertThat(seeded.get().path("samples").asInt()).isGreaterThan(9_900);
      Instant seededAt = Instant.parse(seeded.get().path("at").asText());

      AtomicReference<JsonNode> prediction = new AtomicReference<>();
      eventually(
          Duration.ofSeconds(30),
          "a decision made after seeding",
          () -> {
            JsonNode first = null;
            for (JsonNode d : workload(app).path("decisions")) {
              if (Instant.parse(d.path("at").asText()).isAfter(seededAt) && d.has("prediction")) {
                first = d; // newest first: the last match is the first decision after seeding
              }
            }
            assertThat(first).isNotNull();
            prediction.set(first);
          });
      JsonNode p = prediction.get().path("prediction");
      // The daily season is known at once: Holt-Winters forecasts, not the trend a fresh
      // forecaster starts with, and its point forecast follows the week's pattern.
      assertThat(p.path("model").asText()).as(p.toString()).isEqualTo("holt-winters");
      Instant ahead = Instant.now().plusSeconds(p.path("horizonSeconds").asLong());
      assertThat(p.path("pointRequestRate").asDouble()).isCloseTo(daily(ahead), within(4.0));
      String metrics = get("http://127.0.0.1:" + app.httpPort() + "/metrics");
      assertThat(metrics)
          .contains("foresight_history_rebuild_total{result=\"seeded\"} 1.0")
          .contains(
              "foresight_history_points{namespace=\"llm\",policy=\"vllm-llama\"} "
                  + seeded.get().path("points").asInt()
                  + ".0");
    }
  }

  @Test
  void withoutHistoryTheForecasterStartsFresh() throws Exception {
    try (ControllerApp app = ControllerApp.start(config(false))) {
      AtomicReference<JsonNode> prediction = new AtomicReference<>();
      eventually(
          Duration.ofSeconds(30),
          "a decision with a prediction",
          () -> {
            JsonNode decisions = workload(app).path("decisions");
            assertThat(decisions.isEmpty()).isFalse();
            JsonNode oldest = decisions.get(decisions.size() - 1);
            assertThat(oldest.has("prediction")).as(oldest.toString()).isTrue();
            prediction.set(oldest.path("prediction"));
          });
      assertThat(workload(app).has("history")).isFalse();
      assertThat(prediction.get().path("model").asText()).isNotEqualTo("holt-winters");
    }
  }
}
