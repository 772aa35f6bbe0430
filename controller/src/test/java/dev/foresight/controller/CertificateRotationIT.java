package dev.foresight.controller;

import static dev.foresight.controller.testing.PrometheusServer.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.foresight.controller.testing.PrometheusServer;
import dev.foresight.controller.testing.SecretVolume;
import dev.foresight.controller.testing.ServerCertificateRecorder;
import dev.foresight.controller.testing.ServerProbes;
import dev.foresight.controller.testing.TestExporter;
import dev.foresight.controller.testing.TestPki;
import dev.foresight.metricsapi.security.FileServingCertificate;
import dev.foresight.policy.Reason;
import dev.foresight.policy.StoredDecision;
import dev.foresight.policy.WorkloadRef;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Certificates rotated on disk while {@code foresight run} serves, with both servers on files: the
 * KEDA scaler on mutual TLS and the external metrics API on TLS with the aggregator's client
 * certificate checked against a request-header CA file. All four files sit in Secret-style volumes
 * ({@link SecretVolume}) and are rotated the way kubelet rotates a mounted Secret, by a {@code
 * ..data} symlink swap, and once by a tool that writes the key before the certificate.
 *
 * <p>Two callers, a KEDA-like gRPC client and an aggregator-like HTTPS client, call without pause
 * on long-lived connections through every step; every call must answer the stored count. An
 * established TLS connection keeps the certificate it was opened with (TLS does not re-key on a
 * file change), so new connections are opened to see what the servers now present, identified by
 * the serving certificate's serial number.
 *
 * <p>Steps: (1) both serving pairs swapped for new keys from the same CA; (2) the key overwritten
 * before the certificate: the reloaders must reject the mismatched pair (they log it) and keep
 * serving the previous one, then take the pair once the certificate follows; (3) the client CAs
 * rotated: a bundle of old and new CA, the callers move to certificates from the new CA, then the
 * new CA alone, after which the old client certificates are refused.
 */
class CertificateRotationIT {

  private static final Duration LOOP = Duration.ofMillis(500);
  private static final Duration RELOAD = Duration.ofMillis(200);

  /** How long a rotated file may take to be served: a few reload periods on a loaded machine. */
  private static final Duration PICKED_UP = Duration.ofSeconds(15);

  private static final WorkloadRef LLAMA = WorkloadRef.deployment("llm", "vllm-llama");
  private static final int DESIRED = 6; // queue 24 / target 4 at 6 replicas
  private static final String METRICS_PATH =
      "/apis/external.metrics.k8s.io/v1beta1/namespaces/llm/foresight_desired_replicas"
          + "?labelSelector=policy%3Dvllm-llama";
  private static final char[] PASSWORD = "test".toCharArray();

  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final List<String> report = new ArrayList<>();
  private final List<Instant> decisions = new CopyOnWriteArrayList<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<Thread> callers = new ArrayList<>();
  private final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();
  private final ListAppender<ILoggingEvent> apiReloadLog = new ListAppender<>();
  private final List<LogRecord> scalerReloadLog = new CopyOnWriteArrayList<>();
  // Held strongly: java.util.logging keeps loggers only weakly.
  private final java.util.logging.Logger scalerLogger =
      java.util.logging.Logger.getLogger("dev.foresight.scaler.TlsMaterial");
  private final Handler scalerHandler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          scalerReloadLog.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private ControllerApp app;
  private TestPki scalerCa;
  private TestPki apiCa;

  @AfterEach
  void stopEverything() throws Exception {
    stop.set(true);
    for (Thread t : callers) {
      t.join(10_000);
    }
    for (ManagedChannel c : channels) {
      c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (app != null) {
      app.close();
    }
    scalerLogger.removeHandler(scalerHandler);
    ((Logger) LoggerFactory.getLogger(FileServingCertificate.class)).detachAppender(apiReloadLog);
    System.out.println("certificate rotation:\n  " + String.join("\n  ", report));
  }

  @Test
  void rotatedCertificatesAreServedWithoutAFailedCall(@TempDir Path dir) throws Exception {
    apiReloadLog.start();
    ((Logger) LoggerFactory.getLogger(FileServingCertificate.class)).addAppender(apiReloadLog);
    scalerLogger.addHandler(scalerHandler);

    scalerCa = TestPki.newCa("scaler serving CA");
    apiCa = TestPki.newCa("metrics API serving CA");
    TestPki kedaCa = TestPki.newCa("KEDA client CA");
    TestPki frontProxyCa = TestPki.newCa("front-proxy CA");
    TestPki.Issued keda = kedaCa.client("keda-operator");
    TestPki.Issued aggregator = frontProxyCa.client("front-proxy-client");

    TestPki.Issued scalerServing = scalerCa.server();
    TestPki.Issued apiServing = apiCa.server();
    SecretVolume scalerTls = SecretVolume.create(dir.resolve("scaler-tls"), pair(scalerServing));
    SecretVolume apiTls = SecretVolume.create(dir.resolve("api-tls"), pair(apiServing));
    SecretVolume kedaTrust =
        SecretVolume.create(dir.resolve("keda-client-ca"), Map.of("ca.crt", kedaCa.caPem()));
    SecretVolume requestHeaderTrust =
        SecretVolume.create(
            dir.resolve("requestheader-ca"), Map.of("ca.crt", frontProxyCa.caPem()));

    try (TestExporter exporter = new TestExporter()) {
      exporter
          .set("vllm:num_requests_waiting{namespace=\"llm\",pod=\"vllm-llama-a\"}", 14)
          .set("vllm:num_requests_waiting{namespace=\"llm\",pod=\"vllm-llama-b\"}", 10);
      try (PrometheusServer prometheus = PrometheusServer.start(List.of(exporter.target()))) {
        Path policies =
            Files.writeString(
                dir.resolve("policies.yaml"),
                """
                policies:
                  - name: vllm-llama
                    namespace: llm
                    target: {kind: Deployment, name: vllm-llama}
                    signals: {preset: vllm, window: 5s}
                    replicas: {current: 6}
                    policy: {minReplicas: 1, maxReplicas: 20, target.queue: 4}
                """);
        app =
            ControllerFromFlags.start(
                "--prometheus-url=" + prometheus.url(),
                "--policies-file=" + policies,
                "--loop-period=" + LOOP.toMillis() + "ms",
                "--evaluation-timeout=400ms",
                "--http-host=127.0.0.1",
                "--http-port=0",
                "--scaler-host=127.0.0.1",
                "--scaler-port=0",
                "--scaler-security=mtls",
                "--scaler-cert-chain=" + scalerTls.path("tls.crt"),
                "--scaler-private-key=" + scalerTls.path("tls.key"),
                "--scaler-client-ca=" + kedaTrust.path("ca.crt"),
                "--metrics-api-host=127.0.0.1",
                "--metrics-api-port=0",
                "--metrics-api-tls-cert-file=" + apiTls.path("tls.crt"),
                "--metrics-api-tls-key-file=" + apiTls.path("tls.key"),
                "--metrics-api-requestheader-ca-file=" + requestHeaderTrust.path("ca.crt"),
                "--metrics-api-delegated-authorization=false",
                "--tls-reload-period=" + RELOAD.toMillis() + "ms");
        app.store().subscribe(this::record);
        eventually(
            Duration.ofSeconds(60),
            "a first healthy decision",
            () -> {
              StoredDecision d = app.store().latest(LLAMA).orElse(null);
              assertThat(d).isNotNull();
              assertThat(d.decision().reason()).isNotEqualTo(Reason.HOLD_NO_USABLE_SIGNAL);
              assertThat(d.decision().desiredReplicas()).isEqualTo(DESIRED);
            });
        assertThat(scalerProbe(keda).serial()).isEqualTo(serial(scalerServing));
        assertThat(apiProbe(aggregator).serial()).isEqualTo(serial(apiServing));

        AtomicReference<ManagedChannel> kedaChannel = new AtomicReference<>(channel(keda));
        AtomicReference<HttpClient> aggregatorClient =
            new AtomicReference<>(httpClient(aggregator));
        AtomicLong scalerCalls = new AtomicLong();
        AtomicLong apiCalls = new AtomicLong();
        startCaller("keda", scalerCalls, () -> getMetrics(kedaChannel.get()));
        startCaller("aggregator", apiCalls, () -> metricsApi(aggregatorClient.get()).value());

        // (1) kubelet's symlink swap: new key pairs, same CAs.
        Instant step = Instant.now();
        TestPki.Issued scalerServing2 = scalerCa.server();
        TestPki.Issued apiServing2 = apiCa.server();
        scalerTls.swap(pair(scalerServing2));
        apiTls.swap(pair(apiServing2));
        awaitServed("symlink swap", step, keda, aggregator, scalerServing2, apiServing2);
        assertCallsGoOn(scalerCalls, apiCalls);

        // (2) Key first, certificate later: the mismatched pair must never be served.
        step = Instant.now();
        TestPki.Issued scalerServing3 = scalerCa.server();
        TestPki.Issued apiServing3 = apiCa.server();
        int scalerWarnings = scalerReloadLog.size();
        int apiWarnings = apiReloadLog.list.size();
        scalerTls.overwrite("tls.key", scalerServing3.privateKeyPem());
        apiTls.overwrite("tls.key", apiServing3.privateKeyPem());
        eventually(
            PICKED_UP,
            "both reloaders saw the key that does not match the certificate",
            () -> {
              assertThat(messagesSince(scalerWarnings, apiWarnings))
                  .anySatisfy(m -> assertThat(m).contains("scaler").contains("does not belong"))
                  .anySatisfy(m -> assertThat(m).contains("api").contains("does not match"));
            });
        Thread.sleep(RELOAD.multipliedBy(5).toMillis()); // several more reload attempts
        assertThat(scalerProbe(keda).serial())
            .as("the scaler keeps its previous pair while the key does not match")
            .isEqualTo(serial(scalerServing2));
        assertThat(apiProbe(aggregator).serial())
            .as("the metrics API keeps its previous pair while the key does not match")
            .isEqualTo(serial(apiServing2));
        scalerTls.overwrite("tls.crt", scalerServing3.certificatePem());
        apiTls.overwrite("tls.crt", apiServing3.certificatePem());
        awaitServed("key before certificate", step, keda, aggregator, scalerServing3, apiServing3);
        assertCallsGoOn(scalerCalls, apiCalls);

        // (3) Client CA rotation: old and new CA trusted, callers move, then the new CA alone.
        step = Instant.now();
        TestPki kedaCa2 = TestPki.newCa("KEDA client CA 2");
        TestPki frontProxyCa2 = TestPki.newCa("front-proxy CA 2");
        TestPki.Issued keda2 = kedaCa2.client("keda-operator");
        TestPki.Issued aggregator2 = frontProxyCa2.client("front-proxy-client");
        kedaTrust.swap(Map.of("ca.crt", kedaCa.caPem() + kedaCa2.caPem()));
        requestHeaderTrust.swap(Map.of("ca.crt", frontProxyCa.caPem() + frontProxyCa2.caPem()));
        eventually(
            PICKED_UP,
            "certificates from the new client CAs are accepted",
            () -> {
              // Until the bundle is re-read the scaler refuses the handshake: retried.
              assertThat(accepted(() -> scalerProbe(keda2).value())).isEqualTo(DESIRED);
              assertThat(apiProbe(aggregator2).status()).isEqualTo(200);
            });
        assertThat(scalerProbe(keda).value())
            .as("old KEDA CA still in the bundle")
            .isEqualTo(DESIRED);
        assertThat(apiProbe(aggregator).status())
            .as("old front-proxy CA still in the bundle")
            .isEqualTo(200);
        ManagedChannel oldChannel = kedaChannel.getAndSet(channel(keda2));
        aggregatorClient.set(httpClient(aggregator2));
        Thread.sleep(500); // let a call already started on the old channel finish
        oldChannel.shutdown();
        kedaTrust.swap(Map.of("ca.crt", kedaCa2.caPem()));
        requestHeaderTrust.swap(Map.of("ca.crt", frontProxyCa2.caPem()));
        eventually(
            PICKED_UP,
            "certificates from the retired client CAs are refused on new connections",
            () -> {
              StatusRuntimeException refused =
                  catchThrowableOfType(() -> scalerProbe(keda), StatusRuntimeException.class);
              assertThat(refused).as("KEDA with a certificate of the retired CA").isNotNull();
              assertThat(apiProbe(aggregator).status()).isEqualTo(401);
            });
        assertThat(scalerProbe(keda2).value()).isEqualTo(DESIRED);
        assertThat(apiProbe(aggregator2).status()).isEqualTo(200);
        report.add(
            "client CAs rotated, old ones refused after "
                + Duration.between(step, Instant.now()).toMillis()
                + " ms");
        assertCallsGoOn(scalerCalls, apiCalls);

        stop.set(true);
        for (Thread t : callers) {
          t.join(10_000);
        }
        report.add(
            "calls on long-lived connections: "
                + scalerCalls.get()
                + " GetMetrics, "
                + apiCalls.get()
                + " metrics API, failed: "
                + failures.size());
        assertThat(failures).as("failed calls during the rotations").isEmpty();
        assertDecisionsKeptComing();
      }
    }
  }

  // ---- the steps' checks ----

  /** Waits until new connections to both servers see the new serving certificates. */
  private void awaitServed(
      String step,
      Instant since,
      TestPki.Issued keda,
      TestPki.Issued aggregator,
      TestPki.Issued scalerServing,
      TestPki.Issued apiServing)
      throws Exception {
    eventually(
        PICKED_UP,
        step + ": new connections see the new certificates",
        () -> {
          Probe scaler = scalerProbe(keda);
          Probe api = apiProbe(aggregator);
          assertThat(scaler.serial()).isEqualTo(serial(scalerServing));
          assertThat(api.serial()).isEqualTo(serial(apiServing));
          assertThat(scaler.value()).isEqualTo(DESIRED);
          assertThat(api.value()).isEqualTo(DESIRED);
        });
    report.add(
        step
            + ": new certificates served to new connections after "
            + Duration.between(since, Instant.now()).toMillis()
            + " ms (reload period "
            + RELOAD.toMillis()
            + " ms)");
  }

  /** The long-lived callers answered again after the step. */
  private void assertCallsGoOn(AtomicLong scalerCalls, AtomicLong apiCalls) throws Exception {
    long scaler = scalerCalls.get();
    long api = apiCalls.get();
    eventually(
        Duration.ofSeconds(10),
        "the callers keep being answered",
        () -> {
          assertThat(scalerCalls.get()).isGreaterThan(scaler + 5);
          assertThat(apiCalls.get()).isGreaterThan(api + 5);
        });
    assertThat(failures).isEmpty();
  }

  /**
   * The call's answer; a refused call becomes an assertion error, which {@code eventually} retries.
   */
  private static long accepted(Call call) throws Exception {
    try {
      return call.value();
    } catch (StatusRuntimeException e) {
      throw new AssertionError("refused: " + e.getStatus(), e);
    }
  }

  private List<String> messagesSince(int scalerFrom, int apiFrom) {
    List<String> messages = new ArrayList<>();
    for (LogRecord r : scalerReloadLog.subList(scalerFrom, scalerReloadLog.size())) {
      messages.add(
          "scaler: "
              + r.getMessage()
              + (r.getThrown() == null ? "" : " " + r.getThrown().getMessage()));
    }
    for (ILoggingEvent e : apiReloadLog.list.subList(apiFrom, apiReloadLog.list.size())) {
      messages.add("api: " + e.getFormattedMessage());
    }
    return messages;
  }

  private void record(StoredDecision d) {
    if (d.workload().equals(LLAMA)) {
      decisions.add(d.decision().at());
    }
  }

  /**
   * The loop went on deciding through the rotations: no gap longer than 10 loop periods, generous
   * because the test shares two cores with builds, while a stall would show as seconds.
   */
  private void assertDecisionsKeptComing() {
    assertThat(decisions).hasSizeGreaterThan(10);
    Duration longest = Duration.ZERO;
    for (int i = 1; i < decisions.size(); i++) {
      Duration gap = Duration.between(decisions.get(i - 1), decisions.get(i));
      longest = gap.compareTo(longest) > 0 ? gap : longest;
    }
    report.add(decisions.size() + " decisions, longest gap " + longest.toMillis() + " ms");
    assertThat(longest).isLessThanOrEqualTo(LOOP.multipliedBy(10));
  }

  // ---- callers and probes ----

  /** What one call on a new connection saw: the server certificate's serial and the answer. */
  private record Probe(BigInteger serial, long value, int status) {}

  @FunctionalInterface
  private interface Call {
    long value() throws Exception;
  }

  private void startCaller(String name, AtomicLong answered, Call call) {
    Thread t =
        new Thread(
            () -> {
              while (!stop.get()) {
                try {
                  long value = call.value();
                  if (value != DESIRED) {
                    failures.add(Instant.now() + " " + name + ": answered " + value);
                  }
                  answered.incrementAndGet();
                  Thread.sleep(20);
                } catch (InterruptedException e) {
                  return;
                } catch (Exception e) {
                  failures.add(Instant.now() + " " + name + ": " + e);
                }
              }
            },
            "rotation-caller-" + name);
    t.setDaemon(true);
    callers.add(t);
    t.start();
  }

  private ManagedChannel channel(TestPki.Issued client) throws Exception {
    return channel(client, new ServerCertificateRecorder(scalerCa.caCertificate()));
  }

  private ManagedChannel channel(TestPki.Issued client, ServerCertificateRecorder trust)
      throws Exception {
    ChannelCredentials credentials =
        TlsChannelCredentials.newBuilder()
            .trustManager(trust)
            .keyManager(keyManagers(client))
            .build();
    ManagedChannel channel =
        Grpc.newChannelBuilderForAddress("127.0.0.1", app.scalerPort(), credentials).build();
    channels.add(channel);
    return channel;
  }

  private static long getMetrics(ManagedChannel channel) {
    return ServerProbes.kedaMetric(channel, "llm", "vllm-llama", "vllm-llama");
  }

  /** One GetMetrics on a new connection presenting {@code client}. */
  private Probe scalerProbe(TestPki.Issued client) throws Exception {
    ServerCertificateRecorder trust = new ServerCertificateRecorder(scalerCa.caCertificate());
    ManagedChannel channel = channel(client, trust);
    try {
      long value = getMetrics(channel);
      return new Probe(trust.lastSerial(), value, 0);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      channels.remove(channel);
    }
  }

  private HttpClient httpClient(TestPki.Issued client) throws Exception {
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(
        keyManagers(client),
        new TrustManager[] {new ServerCertificateRecorder(apiCa.caCertificate())},
        null);
    return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** One metrics API read, as the aggregator makes it; value -1 when not 200. */
  private Probe metricsApi(HttpClient client) throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "https://127.0.0.1:"
                            + app.metricsApiAddress().orElseThrow().getPort()
                            + METRICS_PATH))
                .header(
                    "X-Remote-User", "system:serviceaccount:kube-system:horizontal-pod-autoscaler")
                .header("X-Remote-Group", "system:serviceaccounts")
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    BigInteger serial =
        ((X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0])
            .getSerialNumber();
    if (response.statusCode() != 200) {
      return new Probe(serial, -1, response.statusCode());
    }
    JsonNode items = new ObjectMapper().readTree(response.body()).path("items");
    return new Probe(serial, Long.parseLong(items.get(0).path("value").asText()), 200);
  }

  /** One metrics API read on a new connection presenting {@code client}. */
  private Probe apiProbe(TestPki.Issued client) throws Exception {
    return metricsApi(httpClient(client));
  }

  // ---- material ----

  private static Map<String, String> pair(TestPki.Issued serving) throws Exception {
    return Map.of("tls.crt", serving.certificatePem(), "tls.key", serving.privateKeyPem());
  }

  private static BigInteger serial(TestPki.Issued issued) {
    return issued.certificate().getSerialNumber();
  }

  private static KeyManager[] keyManagers(TestPki.Issued identity) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry(
        "client",
        identity.keys().getPrivate(),
        PASSWORD,
        new X509Certificate[] {identity.certificate()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, PASSWORD);
    return kmf.getKeyManagers();
  }

  /** {@code foresight run} from its flags, in-process. */
}
