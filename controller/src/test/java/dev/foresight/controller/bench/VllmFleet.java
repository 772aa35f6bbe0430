package dev.foresight.controller.bench;

import dev.foresight.controller.prometheus.PrometheusClient;
import dev.foresight.controller.prometheus.QueryResult;
import dev.foresight.controller.testing.TestExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A fleet of {@code size} vLLM deployments {@code w0..w<size-1>} in one namespace, as the load
 * benchmarks need it: their series on a {@link TestExporter} (one pod each; queue, running and a
 * growing request counter), the standalone policies file that governs them with the vLLM preset,
 * and a wait until a real Prometheus has ingested them.
 *
 * @param namespace the namespace of every deployment and policy
 * @param size how many deployments
 */
record VllmFleet(String namespace, int size) {

  /** The deployment (and policy) names, {@code w0} first. */
  List<String> names() {
    return IntStream.range(0, size).mapToObj(i -> "w" + i).toList();
  }

  /** Serves every pod's vLLM series: waiting {@code i % 13}, running {@code i % 7}. */
  void serveOn(TestExporter exporter) {
    for (int i = 0; i < size; i++) {
      String labels = "{namespace=\"" + namespace + "\",pod=\"w" + i + "-0\"}";
      exporter
          .set("vllm:num_requests_waiting" + labels, i % 13)
          .set("vllm:num_requests_running" + labels, i % 7)
          .counter("vllm:request_success_total" + labels, 1 + i % 3);
    }
  }

  /**
   * Writes the policies file: one policy per deployment, vLLM preset with a 30 s window, two
   * replicas, 1 to 50 replicas at 4 waiting requests per replica.
   */
  Path writePolicies(Path file) throws Exception {
    StringBuilder yaml = new StringBuilder("policies:\n");
    for (String name : names()) {
      yaml.append("  - name: ")
          .append(name)
          .append("\n    namespace: ")
          .append(namespace)
          .append("\n    target: {kind: Deployment, name: ")
          .append(name)
          .append("}\n    signals: {preset: vllm, window: 30s}\n")
          .append("    replicas: {current: 2}\n")
          .append("    policy: {minReplicas: 1, maxReplicas: 50, target.queue: 4}\n");
    }
    return Files.writeString(file, yaml);
  }

  /** Waits until Prometheus has every request counter, then a few scrapes so rate() has points. */
  void awaitIngested(PrometheusClient client) throws Exception {
    Instant deadline = Instant.now().plusSeconds(60);
    String query = "count(vllm:request_success_total{namespace=\"" + namespace + "\"})";
    while (Instant.now().isBefore(deadline)) {
      QueryResult r = client.instant(query, Instant.now());
      if (r instanceof QueryResult.Vector v
          && !v.samples().isEmpty()
          && v.samples().get(0).value() >= size) {
        Thread.sleep(3000);
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("Prometheus did not ingest " + size + " workloads in 60 s");
  }
}
