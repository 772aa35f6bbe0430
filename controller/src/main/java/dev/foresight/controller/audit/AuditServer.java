package dev.foresight.controller.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.foresight.policy.WorkloadRef;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The audit endpoints on one port: {@code /metrics} (prometheus-metrics' handler over the audit
 * registry), {@code /decisions} (recent decisions per workload as JSON, optionally filtered with
 * {@code ?namespace=&policy=}), {@code /healthz} (liveness: the server answers) and {@code /readyz}
 * (readiness: 200 once the given condition holds, such as informers synced, else 503).
 */
public final class AuditServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor;
  private final DecisionHistory history;
  private final DecisionJson json;
  private final Function<WorkloadRef, Optional<Map<String, Object>>> notes;

  public AuditServer(
      InetSocketAddress address,
      PrometheusRegistry registry,
      DecisionHistory history,
      DecisionJson json)
      throws IOException {
    this(address, registry, history, json, () -> true);
  }

  /**
   * @param ready whether the controller is ready to serve ({@code /readyz})
   */
  public AuditServer(
      InetSocketAddress address,
      PrometheusRegistry registry,
      DecisionHistory history,
      DecisionJson json,
      java.util.function.BooleanSupplier ready)
      throws IOException {
    this(address, registry, history, json, ready, w -> Optional.empty());
  }

  /**
   * @param ready whether the controller is ready to serve ({@code /readyz})
   * @param notes what else {@code /decisions} shows per workload, under {@code history} (how its
   *     forecaster was seeded)
   */
  public AuditServer(
      InetSocketAddress address,
      PrometheusRegistry registry,
      DecisionHistory history,
      DecisionJson json,
      java.util.function.BooleanSupplier ready,
      Function<WorkloadRef, Optional<Map<String, Object>>> notes)
      throws IOException {
    this.history = history;
    this.json = json;
    this.notes = notes;
    this.server = HttpServer.create(address, 50);
    this.executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "foresight-audit-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/metrics", new MetricsHandler(registry));
    server.createContext("/decisions", this::decisions);
    server.createContext(
        "/healthz",
        exchange -> send(exchange, 200, "text/plain", "ok\n".getBytes(StandardCharsets.UTF_8)));
    server.createContext(
        "/readyz",
        exchange -> {
          boolean r = ready.getAsBoolean();
          send(
              exchange,
              r ? 200 : 503,
              "text/plain",
              (r ? "ready\n" : "not ready\n").getBytes(StandardCharsets.UTF_8));
        });
    server.start();
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  private void decisions(HttpExchange exchange) throws IOException {
    if (!"GET".equals(exchange.getRequestMethod())) {
      send(exchange, 405, "text/plain", "GET only\n".getBytes(StandardCharsets.UTF_8));
      return;
    }
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    ObjectNode root = json.mapper().createObjectNode();
    ArrayNode workloads = root.putArray("workloads");
    for (WorkloadRef w : history.workloads()) {
      if (!matches(query.get("namespace"), w.namespace())
          || !matches(query.get("policy"), w.policy())) {
        continue;
      }
      ObjectNode n = workloads.addObject();
      DecisionJson.workload(n, w);
      notes.apply(w).ifPresent(m -> n.set("history", json.mapper().valueToTree(m)));
      ArrayNode decisions = n.putArray("decisions");
      history.of(w).forEach(r -> decisions.add(json.render(r)));
    }
    send(exchange, 200, "application/json", json.mapper().writeValueAsBytes(root));
  }

  private static boolean matches(String wanted, String actual) {
    return wanted == null || wanted.equals(actual);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        q.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return q;
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
