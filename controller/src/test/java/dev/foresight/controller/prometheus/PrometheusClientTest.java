package dev.foresight.controller.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The client against a real loopback HTTP(S) server that answers as scripted. */
class PrometheusClientTest {

  private static final String ONE =
      "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
          + "[{\"metric\":{},\"value\":[1700000000,\"42\"]}]}}";

  private record Answer(int status, String body, long delayMillis) {}

  private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private HttpServer server;

  private URI start(HttpServer s) {
    server = s;
    s.createContext(
        "/",
        exchange -> {
          bodies.add(
              exchange.getRequestURI().getPath()
                  + "?"
                  + URLDecoder.decode(
                      new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                      StandardCharsets.UTF_8));
          authorizations.add(
              String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
          Answer a = script.poll();
          if (a == null) {
            a = new Answer(200, ONE, 0);
          }
          if (a.delayMillis > 0) {
            try {
              Thread.sleep(a.delayMillis);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          reply(exchange, a);
        });
    s.start();
    String scheme = s instanceof HttpsServer ? "https" : "http";
    return URI.create(scheme + "://127.0.0.1:" + s.getAddress().getPort() + "/prefix/");
  }

  private static void reply(HttpExchange exchange, Answer a) throws IOException {
    byte[] b = a.body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    try {
      exchange.sendResponseHeaders(a.status, b.length);
      exchange.getResponseBody().write(b);
    } catch (IOException e) {
      // the client gave up (timeout test)
    }
    exchange.close();
  }

  private HttpServer http() throws IOException {
    return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
  }

  private static PrometheusClient client(URI uri, int retries) {
    return new PrometheusClient(
        new PrometheusClient.Settings(
            uri,
            Optional.empty(),
            Optional.empty(),
            Duration.ofSeconds(2),
            retries,
            Duration.ofMillis(10)));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void instantQueryIsAFormPostUnderThePrefix() throws Exception {
    URI uri = start(http());
    QueryResult r =
        client(uri, 0).instant("sum(up{job=\"a b\"})", Instant.ofEpochMilli(1_700_000_000_123L));
    assertThat(((QueryResult.Vector) r).samples().get(0).value()).isEqualTo(42);
    assertThat(bodies)
        .containsExactly(
            "/prefix/api/v1/query?query=sum(up{job=\"a b\"})&time=1700000000.123&timeout=2");
  }

  @Test
  void rangeQuerySendsStartEndStep() throws Exception {
    URI uri = start(http());
    client(uri, 0)
        .range("up", Instant.ofEpochSecond(100), Instant.ofEpochSecond(400), Duration.ofMinutes(5));
    assertThat(bodies)
        .containsExactly(
            "/prefix/api/v1/query_range?query=up&start=100&end=400&step=300&timeout=2");
  }

  @ParameterizedTest(name = "HTTP {0} is retried")
  @CsvSource({"503", "502", "429", "500"})
  void unavailableIsRetriedThenSucceeds(int status) throws Exception {
    script.add(
        new Answer(
            status, "{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"busy\"}", 0));
    script.add(new Answer(status, "busy", 0));
    URI uri = start(http());
    QueryResult r = client(uri, 2).instant("up", Instant.EPOCH);
    assertThat(r).isInstanceOf(QueryResult.Vector.class);
    assertThat(bodies).hasSize(3);
  }

  @Test
  void retriesRunOutWithTheLastError() throws Exception {
    for (int i = 0; i < 3; i++) {
      script.add(new Answer(503, "busy", 0));
    }
    URI uri = start(http());
    assertThatThrownBy(() -> client(uri, 2).instant("up", Instant.EPOCH))
        .isInstanceOfSatisfying(
            PrometheusException.class,
            e -> assertThat(e.kind()).isEqualTo(PrometheusException.Kind.UNAVAILABLE));
    assertThat(bodies).hasSize(3);
  }

  @ParameterizedTest(name = "HTTP {0} -> {1}, not retried")
  @CsvSource({
    "400,BAD_QUERY",
    "422,BAD_QUERY",
    "401,UNAUTHORIZED",
    "403,UNAUTHORIZED",
    "404,BAD_RESPONSE"
  })
  void clientErrorsAreNotRetried(int status, PrometheusException.Kind kind) throws Exception {
    script.add(
        new Answer(
            status,
            "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error\"}",
            0));
    URI uri = start(http());
    assertThatThrownBy(() -> client(uri, 3).instant("sum(", Instant.EPOCH))
        .isInstanceOfSatisfying(
            PrometheusException.class, e -> assertThat(e.kind()).isEqualTo(kind));
    assertThat(bodies).hasSize(1);
  }

  @Test
  void slowAnswerTimesOut() throws Exception {
    script.add(new Answer(200, ONE, 1500));
    URI uri = start(http());
    PrometheusClient c =
        new PrometheusClient(
            new PrometheusClient.Settings(
                uri, Optional.empty(), Optional.empty(), Duration.ofMillis(200), 0, Duration.ZERO));
    assertThatThrownBy(() -> c.instant("up", Instant.EPOCH))
        .isInstanceOfSatisfying(
            PrometheusException.class,
            e -> assertThat(e.kind()).isEqualTo(PrometheusException.Kind.TIMEOUT));
  }

  @Test
  void nothingListeningIsUnreachable() throws Exception {
    int port;
    try (java.net.ServerSocket closed =
        new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = closed.getLocalPort();
    }
    assertThatThrownBy(
            () -> client(URI.create("http://127.0.0.1:" + port), 0).instant("up", Instant.EPOCH))
        .isInstanceOfSatisfying(
            PrometheusException.class,
            e -> assertThat(e.kind()).isEqualTo(PrometheusException.Kind.UNREACHABLE));
  }

  @Test
  void bearerTokenIsReadFromItsFileOnEveryRequest(@TempDir Path dir) throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "first\n");
    URI uri = start(http());
    PrometheusClient c =
        new PrometheusClient(
            new PrometheusClient.Settings(
                uri,
                Optional.of(token),
                Optional.empty(),
                Duration.ofSeconds(2),
                0,
                Duration.ZERO));
    c.instant("up", Instant.EPOCH);
    Files.writeString(token, "rotated");
    c.instant("up", Instant.EPOCH);
    assertThat(authorizations).containsExactly("Bearer first", "Bearer rotated");
  }

  @Test
  void httpsTrustsTheGivenCa(@TempDir Path dir) throws Exception {
    TestCertificates certs = new TestCertificates();
    HttpsServer s =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    s.setHttpsConfigurator(new HttpsConfigurator(certs.serverContext));
    URI uri = start(s);
    Path ca = certs.writeCa(dir.resolve("ca.pem"));
    PrometheusClient trusting =
        new PrometheusClient(
            new PrometheusClient.Settings(
                uri, Optional.empty(), Optional.of(ca), Duration.ofSeconds(5), 0, Duration.ZERO));
    assertThat(trusting.instant("up", Instant.EPOCH)).isInstanceOf(QueryResult.Vector.class);

    // Without the CA the JDK trust store rejects the server: a TLS failure is UNREACHABLE.
    assertThatThrownBy(() -> client(uri, 0).instant("up", Instant.EPOCH))
        .isInstanceOfSatisfying(
            PrometheusException.class,
            e -> assertThat(e.kind()).isEqualTo(PrometheusException.Kind.UNREACHABLE));
  }

  @Test
  void caFileWithoutCertificatesIsRejectedAtConstruction(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "");
    assertThatThrownBy(
            () ->
                new PrometheusClient(
                    new PrometheusClient.Settings(
                        URI.create("https://127.0.0.1:1"),
                        Optional.empty(),
                        Optional.of(empty),
                        Duration.ofSeconds(1),
                        0,
                        Duration.ZERO)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty.pem");
  }
}
