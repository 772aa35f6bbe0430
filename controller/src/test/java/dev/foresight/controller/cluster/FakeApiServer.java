package dev.foresight.controller.cluster;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP-level fake of the Kubernetes API server on loopback: serves recorded GET responses by
 * path, watch streams of queued events, records every write, and keeps Leases with the API server's
 * optimistic concurrency (a PUT with a stale {@code resourceVersion} gets 409, a POST of an
 * existing Lease gets 409). Unknown paths get the API server's 404 Status.
 */
public final class FakeApiServer implements AutoCloseable {

  /** A write the fake received. */
  public record Request(
      String method, String path, String query, String contentType, String body) {}

  private static final String LEASES = "/apis/coordination.k8s.io/v1/namespaces/";

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Map<String, String> gets = new ConcurrentHashMap<>();
  private final Map<String, BlockingQueue<String>> watches = new ConcurrentHashMap<>();
  private final Map<String, JsonObject> leases = new ConcurrentHashMap<>();
  private final List<Request> writes = new CopyOnWriteArrayList<>();
  private final List<Request> all = new CopyOnWriteArrayList<>();
  private final AtomicLong resourceVersion = new AtomicLong(1000);
  private volatile boolean closed;

  public FakeApiServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The base URL of this fake, for a kubeconfig. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** A client of this fake. */
  public ApiClient client() {
    ApiClient c =
        new ClientBuilder()
            .setBasePath("http://127.0.0.1:" + server.getAddress().getPort())
            .build();
    c.setReadTimeout(0);
    return c;
  }

  /** Serves {@code body} to GET {@code path} (without query). */
  public FakeApiServer onGet(String path, String body) {
    gets.put(path, body);
    return this;
  }

  /** Queues a watch event ({@code ADDED}, {@code MODIFIED}, {@code DELETED}) on {@code path}. */
  public void watchEvent(String path, String type, String objectJson) {
    watches
        .computeIfAbsent(path, p -> new LinkedBlockingQueue<>())
        .add("{\"type\":\"" + type + "\",\"object\":" + objectJson + "}\n");
  }

  /** Writes received so far (POST, PUT, PATCH, DELETE), in order. */
  public List<Request> writes() {
    return List.copyOf(writes);
  }

  /** Every request received so far, reads included. */
  public List<Request> requests() {
    return List.copyOf(all);
  }

  /** The holder identity of a Lease, or null. */
  public String leaseHolder(String namespace, String name) {
    JsonObject l = leases.get(LEASES + namespace + "/leases/" + name);
    if (l == null || !l.has("spec") || !l.getAsJsonObject("spec").has("holderIdentity")) {
      return null;
    }
    var h = l.getAsJsonObject("spec").get("holderIdentity");
    return h.isJsonNull() ? null : h.getAsString();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      String path = ex.getRequestURI().getPath();
      String query = ex.getRequestURI().getQuery() == null ? "" : ex.getRequestURI().getQuery();
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      all.add(
          new Request(method, path, query, ex.getRequestHeaders().getFirst("Content-Type"), body));
      if (path.startsWith(LEASES) && path.contains("/leases")) {
        lease(ex, method, path, body);
        return;
      }
      if (!method.equals("GET")) {
        writes.add(
            new Request(
                method, path, query, ex.getRequestHeaders().getFirst("Content-Type"), body));
        respond(ex, method.equals("POST") ? 201 : 200, body.isEmpty() ? "{}" : body);
        return;
      }
      if (query.contains("watch=true")) {
        watch(ex, path);
        return;
      }
      String out = gets.get(path);
      if (out == null) {
        respond(ex, 404, status(404, "NotFound", path + " not found"));
      } else {
        respond(ex, 200, out);
      }
    }
  }

  private void lease(HttpExchange ex, String method, String path, String body) throws IOException {
    synchronized (leases) {
      switch (method) {
        case "GET" -> {
          JsonObject l = leases.get(path);
          if (l == null) {
            respond(ex, 404, status(404, "NotFound", "leases not found"));
          } else {
            respond(ex, 200, l.toString());
          }
        }
        case "POST" -> {
          JsonObject l = JsonParser.parseString(body).getAsJsonObject();
          String key = path + "/" + l.getAsJsonObject("metadata").get("name").getAsString();
          if (leases.containsKey(key)) {
            respond(ex, 409, status(409, "AlreadyExists", "lease exists"));
          } else {
            store(key, l);
            respond(ex, 201, l.toString());
          }
        }
        case "PUT" -> {
          JsonObject l = JsonParser.parseString(body).getAsJsonObject();
          JsonObject old = leases.get(path);
          String sent =
              l.getAsJsonObject("metadata").has("resourceVersion")
                  ? l.getAsJsonObject("metadata").get("resourceVersion").getAsString()
                  : "";
          if (old == null) {
            respond(ex, 404, status(404, "NotFound", "lease not found"));
          } else if (!old.getAsJsonObject("metadata")
              .get("resourceVersion")
              .getAsString()
              .equals(sent)) {
            respond(ex, 409, status(409, "Conflict", "the object has been modified"));
          } else {
            store(path, l);
            respond(ex, 200, l.toString());
          }
        }
        default -> respond(ex, 405, status(405, "MethodNotAllowed", method));
      }
    }
  }

  private void store(String key, JsonObject lease) {
    lease
        .getAsJsonObject("metadata")
        .addProperty("resourceVersion", Long.toString(resourceVersion.incrementAndGet()));
    leases.put(key, lease);
  }

  private void watch(HttpExchange ex, String path) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(200, 0);
    BlockingQueue<String> q = watches.computeIfAbsent(path, p -> new LinkedBlockingQueue<>());
    OutputStream out = ex.getResponseBody();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    try {
      while (!closed && System.nanoTime() < until) {
        String event = q.poll(100, TimeUnit.MILLISECONDS);
        if (event != null) {
          out.write(event.getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // the client went away
    }
  }

  private static void respond(HttpExchange ex, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(code, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  private static String status(int code, String reason, String message) {
    return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
        + "\"message\":\""
        + message
        + "\",\"reason\":\""
        + reason
        + "\",\"code\":"
        + code
        + "}";
  }

  @Override
  public void close() {
    closed = true;
    server.stop(0);
    executor.shutdownNow();
  }
}
