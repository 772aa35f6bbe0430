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
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP-level fake of the Kubernetes API server on loopback: serves recorded GET responses by
 * path, watch streams of queued events, records every write, and keeps Leases with the API server's
 * optimistic concurrency (a PUT with a stale {@code resourceVersion} gets 409, a POST of an
 * existing Lease gets 409). Unknown paths get the API server's 404 Status.
 *
 * <p>Faults, switched on and off while clients run: {@link #fail} answers a path prefix with an
 * error Status; {@link #slow} answers a path prefix only after a delay; {@link #cutWatches} breaks
 * every open watch stream in the middle of an event; {@link #expireResourceVersions} compacts the
 * history as etcd does, so a watch resumed from an older {@code resourceVersion} gets an {@code
 * ERROR} event with a 410 {@code Expired} Status and a list from one gets HTTP 410 (what the API
 * server answers in either case; an open watch from such a version gets the same event), and the
 * client must list again from scratch; {@link #refuseLeaseWrites} fails every Lease create and
 * renewal, so the leader loses its Lease.
 */
public final class FakeApiServer implements AutoCloseable {

  /** A write the fake received. */
  public record Request(
      String method, String path, String query, String contentType, String body, Instant at) {}

  private static final String LEASES = "/apis/coordination.k8s.io/v1/namespaces/";

  private final HttpServer server;

  /** Threads of the fake are named, so that leak checks can tell them from the client's. */
  public static final String THREAD_NAME = "fake-apiserver";

  private final ExecutorService executor =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, THREAD_NAME);
            t.setDaemon(true);
            return t;
          });
  private final Map<String, String> gets = new ConcurrentHashMap<>();
  private final Map<String, BlockingQueue<String>> watches = new ConcurrentHashMap<>();
  private final Map<String, JsonObject> leases = new ConcurrentHashMap<>();
  private final List<Request> writes = new CopyOnWriteArrayList<>();
  private final List<Request> all = new CopyOnWriteArrayList<>();
  private final AtomicLong resourceVersion = new AtomicLong(1000);
  private final Map<String, Integer> failing = new ConcurrentHashMap<>();
  private final Map<String, Duration> slow = new ConcurrentHashMap<>();
  private final AtomicLong watchCuts = new AtomicLong();
  private final AtomicInteger openWatches = new AtomicInteger();
  private volatile long compactedBelow;
  private volatile boolean refuseLeaseWrites;
  private volatile boolean closed;

  public FakeApiServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * Writes a kubeconfig pointing at this fake (no credentials) to {@code file}, for a controller
   * started with {@code --kubeconfig}.
   */
  public Path writeKubeconfig(Path file) throws IOException {
    return Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Config
        clusters:
          - name: fake
            cluster: {server: "%s"}
        users:
          - name: nobody
            user: {}
        contexts:
          - name: fake
            context: {cluster: fake, user: nobody}
        current-context: fake
        """
            .formatted(url()));
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

  /** Answers every request whose path starts with {@code prefix} with HTTP {@code code}. */
  public FakeApiServer fail(String prefix, int code) {
    failing.put(prefix, code);
    return this;
  }

  /** Answers every request whose path starts with {@code prefix} only after {@code delay}. */
  public FakeApiServer slow(String prefix, Duration delay) {
    slow.put(prefix, delay);
    return this;
  }

  /**
   * Breaks every watch stream open now: each gets half an event and then the end of its response,
   * as when a connection or the API server dies mid-write. Watches opened later are not affected.
   */
  public void cutWatches() {
    watchCuts.incrementAndGet();
  }

  /**
   * Compacts the history: every {@code resourceVersion} issued so far expires. A watch from one of
   * them, new or already open, gets an {@code ERROR} event with Status 410 {@code Expired} and
   * ends; a list from one gets HTTP 410. Lists from scratch (no {@code resourceVersion}, or {@code
   * ""}) or from the cache ({@code "0"}) are served with a fresh {@code resourceVersion}, from
   * which watches work again.
   */
  public void expireResourceVersions() {
    compactedBelow = resourceVersion.incrementAndGet();
  }

  /** While true, every Lease create and update gets HTTP 500: the holder cannot renew. */
  public void refuseLeaseWrites(boolean refuse) {
    refuseLeaseWrites = refuse;
  }

  /**
   * Writes the Lease as another replica would on taking it: {@code holder} holds it from now for
   * {@code duration}, and never renews it.
   */
  public void grantLease(String namespace, String name, String holder, Duration duration) {
    String now =
        java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX")
            .format(Instant.now().atOffset(java.time.ZoneOffset.UTC));
    JsonObject lease =
        JsonParser.parseString(
                """
                {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                 "metadata": {"name": "%s", "namespace": "%s"},
                 "spec": {"holderIdentity": "%s", "leaseDurationSeconds": %d,
                          "acquireTime": "%s", "renewTime": "%s", "leaseTransitions": 1}}
                """
                    .formatted(name, namespace, holder, duration.toSeconds(), now, now))
            .getAsJsonObject();
    synchronized (leases) {
      store(LEASES + namespace + "/leases/" + name, lease);
    }
  }

  /** Ends every fault: errors, delays, refused Lease writes (expired versions stay expired). */
  public FakeApiServer heal() {
    failing.clear();
    slow.clear();
    refuseLeaseWrites = false;
    return this;
  }

  /** Watch streams open right now. */
  public int openWatches() {
    return openWatches.get();
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

  /** The {@code spec.leaseDurationSeconds} of a Lease, or -1 when there is none. */
  public long leaseDurationSeconds(String namespace, String name) {
    JsonObject l = leases.get(LEASES + namespace + "/leases/" + name);
    if (l == null
        || !l.has("spec")
        || !l.getAsJsonObject("spec").has("leaseDurationSeconds")
        || l.getAsJsonObject("spec").get("leaseDurationSeconds").isJsonNull()) {
      return -1;
    }
    return l.getAsJsonObject("spec").get("leaseDurationSeconds").getAsLong();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      String path = ex.getRequestURI().getPath();
      String query = ex.getRequestURI().getQuery() == null ? "" : ex.getRequestURI().getQuery();
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Request request =
          new Request(
              method,
              path,
              query,
              ex.getRequestHeaders().getFirst("Content-Type"),
              body,
              Instant.now());
      all.add(request);
      if (!delay(path)) {
        return;
      }
      Integer failure = matching(failing, path);
      if (failure != null) {
        respond(ex, failure, status(failure, "InternalError", "injected fault on " + path));
        return;
      }
      if (path.startsWith(LEASES) && path.contains("/leases")) {
        if (refuseLeaseWrites && !method.equals("GET")) {
          respond(ex, 500, status(500, "InternalError", "injected fault: lease write refused"));
          return;
        }
        lease(ex, method, path, body);
        return;
      }
      if (!method.equals("GET")) {
        writes.add(request);
        respond(ex, method.equals("POST") ? 201 : 200, body.isEmpty() ? "{}" : body);
        return;
      }
      String from = parameter(query, "resourceVersion");
      if (query.contains("watch=true")) {
        watch(ex, path, from);
        return;
      }
      String out = gets.get(path);
      if (out == null) {
        respond(ex, 404, status(404, "NotFound", path + " not found"));
      } else if (expired(from)) {
        respond(ex, 410, status(410, "Expired", "too old resource version: " + from));
      } else {
        respond(ex, 200, compactedBelow == 0 ? out : withListVersion(out));
      }
    }
  }

  /** Waits out an injected delay; false when interrupted (the fake is closing). */
  private boolean delay(String path) {
    Duration d = matching(slow, path);
    if (d == null) {
      return true;
    }
    try {
      Thread.sleep(d.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static <T> T matching(Map<String, T> byPrefix, String path) {
    for (Map.Entry<String, T> e : byPrefix.entrySet()) {
      if (path.startsWith(e.getKey())) {
        return e.getValue();
      }
    }
    return null;
  }

  /** True for a {@code resourceVersion} issued before the last compaction. */
  private boolean expired(String version) {
    if (compactedBelow == 0 || version == null || version.isEmpty() || version.equals("0")) {
      return false;
    }
    try {
      return Long.parseLong(version) < compactedBelow;
    } catch (NumberFormatException e) {
      return true; // not one this fake issued
    }
  }

  /** A list body carrying the version after the last compaction, so watches can start from it. */
  private String withListVersion(String list) {
    JsonObject o = JsonParser.parseString(list).getAsJsonObject();
    if (!o.has("items")) {
      return list;
    }
    JsonObject meta = o.has("metadata") ? o.getAsJsonObject("metadata") : new JsonObject();
    meta.addProperty("resourceVersion", Long.toString(compactedBelow));
    o.add("metadata", meta);
    return o.toString();
  }

  private static String parameter(String query, String name) {
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
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

  private void watch(HttpExchange ex, String path, String from) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(200, 0);
    OutputStream out = ex.getResponseBody();
    BlockingQueue<String> q = watches.computeIfAbsent(path, p -> new LinkedBlockingQueue<>());
    long cuts = watchCuts.get();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    openWatches.incrementAndGet();
    try {
      while (!closed && System.nanoTime() < until) {
        if (expired(from)) {
          // A watch from a compacted version, new or open, gets one ERROR event and its end.
          String event =
              "{\"type\":\"ERROR\",\"object\":"
                  + status(410, "Expired", "too old resource version: " + from)
                  + "}\n";
          out.write(event.getBytes(StandardCharsets.UTF_8));
          out.flush();
          return;
        }
        if (watchCuts.get() != cuts) {
          out.write(
              "{\"type\":\"MODIFIED\",\"object\":{\"metadata\":".getBytes(StandardCharsets.UTF_8));
          out.flush();
          return;
        }
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
    } finally {
      openWatches.decrementAndGet();
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
