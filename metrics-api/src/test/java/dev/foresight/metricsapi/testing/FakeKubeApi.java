package dev.foresight.metricsapi.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kubernetes.client.openapi.ApiClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback HTTP server standing in for kube-apiserver: it answers the three calls the metrics
 * server makes with recorded JSON written from the Kubernetes API schemas (in {@code
 * src/test/resources/kube/}), and records the SubjectAccessReviews it receives. A real client-java
 * {@link ApiClient} talks to it over HTTP.
 */
public final class FakeKubeApi implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONFIGMAP =
      "/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication";
  private static final String APISERVICE =
      "/apis/apiregistration.k8s.io/v1/apiservices/v1beta1.external.metrics.k8s.io";
  private static final String SAR = "/apis/authorization.k8s.io/v1/subjectaccessreviews";

  private final HttpServer server;
  private final Map<String, String> placeholders = new ConcurrentHashMap<>();
  private final List<JsonNode> reviews = new CopyOnWriteArrayList<>();
  private volatile Set<String> allowedUsers = Set.of();
  private volatile String apiService = "apiservice-foresight.json";
  private volatile int sarStatus = 201;

  public FakeKubeApi() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", this::handle);
    server.start();
  }

  /** A client-java client pointed at this server. */
  public ApiClient client() {
    ApiClient c = new ApiClient();
    c.setBasePath("http://127.0.0.1:" + server.getAddress().getPort());
    return c;
  }

  /** Sets {@code ${name}} in recorded documents to {@code value} (JSON-escaped). */
  public FakeKubeApi set(String name, String value) {
    placeholders.put(name, value);
    return this;
  }

  /** Users whose SubjectAccessReview is allowed; everyone else is denied. */
  public FakeKubeApi allow(Set<String> users) {
    allowedUsers = Set.copyOf(users);
    return this;
  }

  /** Which recorded APIService to serve, or null for 404. */
  public FakeKubeApi apiService(String resource) {
    apiService = resource;
    return this;
  }

  /** HTTP status for SubjectAccessReviews (201 normally; 500 to simulate an outage). */
  public FakeKubeApi sarStatus(int status) {
    sarStatus = status;
    return this;
  }

  /** The SubjectAccessReview bodies received, in order. */
  public List<JsonNode> reviews() {
    return List.copyOf(reviews);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      if (method.equals("GET") && path.equals(CONFIGMAP)) {
        send(ex, 200, recorded("configmap-extension-apiserver-authentication.json"));
      } else if (method.equals("GET") && path.equals(APISERVICE)) {
        String r = apiService;
        send(
            ex,
            r == null ? 404 : 200,
            recorded(r == null ? "status-apiservice-not-found.json" : r));
      } else if (method.equals("POST") && path.equals(SAR)) {
        JsonNode body = JSON.readTree(ex.getRequestBody());
        reviews.add(body);
        if (sarStatus != 201) {
          send(
              ex,
              sarStatus,
              "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"code\":" + sarStatus + "}");
          return;
        }
        boolean allowed = allowedUsers.contains(body.path("spec").path("user").asText());
        String doc =
            recorded(
                allowed ? "subjectaccessreview-allowed.json" : "subjectaccessreview-denied.json");
        send(ex, 201, doc.replace("\"${SPEC}\"", JSON.writeValueAsString(body.get("spec"))));
      } else {
        send(ex, 404, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"code\":404}");
      }
    }
  }

  private String recorded(String name) throws IOException {
    try (InputStream in = FakeKubeApi.class.getResourceAsStream("/kube/" + name)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (Map.Entry<String, String> e : placeholders.entrySet()) {
        String quoted = JSON.writeValueAsString(e.getValue());
        text = text.replace("${" + e.getKey() + "}", quoted.substring(1, quoted.length() - 1));
      }
      return text;
    }
  }

  private static void send(HttpExchange ex, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
