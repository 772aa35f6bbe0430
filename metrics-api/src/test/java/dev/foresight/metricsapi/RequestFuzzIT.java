package dev.foresight.metricsapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.foresight.metricsapi.security.CachingAuthorizer;
import dev.foresight.metricsapi.security.FileRequestHeaderConfig;
import dev.foresight.metricsapi.security.FileServingCertificate;
import dev.foresight.metricsapi.security.RequestHeaderAuthenticator;
import dev.foresight.metricsapi.security.SubjectAccessReviewAuthorizer;
import dev.foresight.metricsapi.testing.Decisions;
import dev.foresight.metricsapi.testing.FakeKubeApi;
import dev.foresight.metricsapi.testing.TestPki;
import dev.foresight.policy.InMemoryDecisionStore;
import dev.foresight.policy.StoredDecision;
import dev.foresight.policy.WorkloadRef;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 500 generated metric paths and label selectors sent as raw HTTP/1.1 requests over real mutual TLS
 * on loopback (about 50 ms each here, so the 10,000-case volume runs through the same parsing and
 * resolution in {@link SelectorFuzzTest}), as the aggregator would forward them. Every answer is
 * 200, 400 or 404 (a Kubernetes Status body when the server answers itself), never 500; and a
 * bystander workload's value is served unchanged afterwards.
 *
 * <p>Requests are written by hand on a kept-alive TLS socket so that malformed escapes such as
 * {@code %zz}, which {@link java.net.URI} refuses to build, reach the server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestFuzzIT {

  private static final long SEED = 0x5EED9A7F5L;
  private static final TestPki FRONT_PROXY = TestPki.newCa("front-proxy-ca");
  private static final TestPki SERVING = TestPki.newCa("serving-ca");
  private static final TestPki.Issued AGGREGATOR = FRONT_PROXY.client("front-proxy-client");
  private static final String HPA_USER =
      "system:serviceaccount:kube-system:horizontal-pod-autoscaler";
  private static final String PREFIX = "/apis/external.metrics.k8s.io/v1beta1/namespaces/";
  private static final WorkloadRef BYSTANDER = WorkloadRef.deployment("bystander", "mistral");

  private final ObjectMapper json = new ObjectMapper();
  private FakeKubeApi kube;
  private MetricsApiServer server;
  private InMemoryDecisionStore store;
  private SSLContext tls;
  private SSLSocket socket;
  private StoredDecision bystander;

  @BeforeAll
  void start(@TempDir Path dir) throws IOException {
    kube = new FakeKubeApi().allow(Set.of(HPA_USER));
    store = new InMemoryDecisionStore();
    Instant decided = Instant.parse("2026-11-23T12:00:00Z");
    store.put(Decisions.typical(WorkloadRef.deployment("serving", "llama"), decided));
    bystander = Decisions.typical(BYSTANDER, decided);
    store.put(bystander);
    Path[] files = SERVING.server("foresight-metrics-api.foresight.svc").writePem(dir, "tls");
    FileServingCertificate serving = FileServingCertificate.load(files[0], files[1]);
    Path ca = dir.resolve("requestheader-ca.crt");
    Files.writeString(ca, FRONT_PROXY.caPem());
    FileRequestHeaderConfig requestHeader =
        FileRequestHeaderConfig.load(ca, Set.of("front-proxy-client"));
    ServerStats stats = new ServerStats();
    server =
        MetricsApiServer.start(
            new MetricsApiServerConfig(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                64,
                4,
                Duration.ofMillis(100),
                Duration.ofSeconds(60)),
            new ExternalMetricResolver(
                store,
                MetricCatalog.standard(),
                Clock.systemUTC(),
                Duration.ofDays(365 * 100),
                stats),
            serving.keyManager(),
            new RequestHeaderAuthenticator(requestHeader),
            new CachingAuthorizer(
                new SubjectAccessReviewAuthorizer(kube.client()),
                Duration.ofSeconds(60),
                Duration.ofSeconds(60),
                Clock.systemUTC(),
                10_000),
            List.of(),
            stats);
    tls = SERVING.clientContext(AGGREGATOR);
  }

  @AfterAll
  void stop() throws IOException {
    if (socket != null) {
      socket.close();
    }
    server.close();
    kube.close();
  }

  static Stream<Arguments> batches() {
    SplittableRandom root = new SplittableRandom(SEED);
    return IntStream.range(0, 5).mapToObj(i -> Arguments.of(root.nextLong()));
  }

  static final String[] NAMESPACES = {"serving", "bystander", "empty", "Bad_NS", ""};
  static final String[] METRICS = {
    "foresight_desired_replicas",
    "foresight_signal_queue",
    "foresight_signal_kv_cache",
    "foresight_proposal_queue",
    "foresight_nope",
    "Foresight_Desired_Replicas",
    ""
  };
  static final String[] SELECTOR_PARTS = {
    "policy=llama",
    "policy",
    "!policy",
    "policy!=x",
    "policy==llama",
    "policy in (llama,mistral)",
    "policy notin (llama)",
    "deployment=mistral",
    "a.b/c=d",
    "x=",
    "=x",
    "in (",
    "policy in ()",
    "policy in (a,,b)",
    "policy=" + "v".repeat(70),
    "k".repeat(300) + "=v",
    ",",
    "%",
    "%zz",
    "%E9",
    "%C3%A9=%C3%A9",
    "policy=%2F",
    "\u00e9=1",
    "a=b=c",
    "(",
    ")",
    "!"
  };

  /** Printable ASCII without space: whatever fits in a request line. */
  private static final String PRINTABLE =
      "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";

  static String printable(SplittableRandom r, int max) {
    StringBuilder out = new StringBuilder();
    int n = r.nextInt(max + 1);
    for (int i = 0; i < n; i++) {
      out.append(PRINTABLE.charAt(r.nextInt(PRINTABLE.length())));
    }
    return out.toString();
  }

  /** Percent-encodes what a request line cannot carry, leaving any {@code %} as it is. */
  private static String onTheWire(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c > 0x20 && c < 0x7f && c != '#') {
        out.append((char) c);
      } else {
        out.append('%').append(String.format("%02X", c));
      }
    }
    return out.toString();
  }

  static String path(SplittableRandom r) {
    String namespace =
        r.nextInt(5) == 0 ? printable(r, 20) : NAMESPACES[r.nextInt(NAMESPACES.length)];
    String metric = r.nextInt(5) == 0 ? printable(r, 30) : METRICS[r.nextInt(METRICS.length)];
    StringBuilder selector = new StringBuilder();
    int parts = r.nextInt(4);
    for (int i = 0; i < parts; i++) {
      selector.append(i > 0 ? "," : "");
      selector.append(
          r.nextInt(6) == 0 ? printable(r, 20) : SELECTOR_PARTS[r.nextInt(SELECTOR_PARTS.length)]);
    }
    String query =
        switch (r.nextInt(5)) {
          case 0 -> "";
          case 1 -> "?" + printable(r, 30);
          default -> "?labelSelector=" + onTheWire(selector.toString());
        };
    return PREFIX + onTheWire(namespace) + "/" + onTheWire(metric) + query;
  }

  private record Reply(int code, String body) {}

  private Reply get(String path) throws IOException {
    for (int attempt = 0; ; attempt++) {
      try {
        if (socket == null || socket.isClosed()) {
          socket = (SSLSocket) tls.getSocketFactory().createSocket();
          socket.connect(server.address(), 10_000);
          socket.setSoTimeout(30_000);
        }
        return exchange(path);
      } catch (IOException e) {
        // The server may close a kept-alive connection at any time; retry once on a new one.
        socket.close();
        socket = null;
        if (attempt > 0) {
          throw e;
        }
      }
    }
  }

  private Reply exchange(String path) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(
        ("GET "
                + path
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Remote-User: "
                + HPA_USER
                + "\r\nX-Remote-Group: system:authenticated\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    InputStream in = new BufferedInputStream(socket.getInputStream());
    String status = line(in);
    int code = Integer.parseInt(status.split(" ")[1]);
    int length = -1;
    boolean close = false;
    for (String header = line(in); !header.isEmpty(); header = line(in)) {
      String lower = header.toLowerCase(java.util.Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(lower.substring(15).trim());
      } else if (lower.startsWith("connection:") && lower.contains("close")) {
        close = true;
      }
    }
    byte[] body = length >= 0 ? in.readNBytes(length) : in.readAllBytes();
    if (close || length < 0) {
      socket.close();
      socket = null;
    }
    return new Reply(code, new String(body, StandardCharsets.UTF_8));
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("connection closed mid-response");
      }
      if (b != '\r') {
        out.write(b);
      }
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  @ParameterizedTest(name = "batch seed {0}")
  @MethodSource("batches")
  void everyPathEndsIn200Or400Or404NeverInA500(long batchSeed) throws IOException {
    SplittableRandom batch = new SplittableRandom(batchSeed);
    for (int i = 0; i < 100; i++) {
      long seed = batch.nextLong();
      String path = path(new SplittableRandom(seed));
      Reply reply = get(path);
      assertThat(reply.code())
          .as("case seed %d: GET %s -> %s", seed, path, reply.body())
          .isIn(200, 400, 404);
      if (reply.code() != 200 && reply.body().startsWith("{")) {
        JsonNode status = json.readTree(reply.body());
        assertThat(status.path("kind").asText()).as("case seed %d", seed).isEqualTo("Status");
        assertThat(status.path("code").asInt()).isEqualTo(reply.code());
        assertThat(status.path("message").asText()).isNotBlank();
      }
    }
    assertThat(store.latest(BYSTANDER)).contains(bystander);
    Reply served =
        get(PREFIX + "bystander/foresight_desired_replicas?labelSelector=policy%3Dmistral");
    assertThat(served.code()).as(served.body()).isEqualTo(200);
    assertThat(json.readTree(served.body()).at("/items/0/value").asText())
        .isEqualTo(String.valueOf(bystander.decision().desiredReplicas()));
  }
}
