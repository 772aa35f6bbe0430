package dev.foresight.scaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.foresight.metricsapi.testing.PeerCertificateCases;
import dev.foresight.policy.InMemoryDecisionStore;
import dev.foresight.policy.WorkloadRef;
import dev.foresight.scaler.proto.ExternalScalerGrpc;
import dev.foresight.scaler.proto.ScaledObjectRef;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.assertj.core.util.Throwables;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scaler on real Netty on loopback, plaintext, TLS and mutual TLS, with certificates generated
 * for each test: a CA, server and client certificates it signs, and an unknown CA with a client of
 * its own; and a sample of the generated client certificate cases in real handshakes.
 */
class TlsIT {

  private static final WorkloadRef LLAMA = WorkloadRef.deployment("llm", "vllm-llama");
  private static final ScaledObjectRef REF =
      ScaledObjectRef.newBuilder()
          .setNamespace("llm")
          .setName("vllm-llama")
          .putScalerMetadata("policy", "vllm-llama")
          .build();

  @TempDir Path dir;

  private final InMemoryDecisionStore store = new InMemoryDecisionStore();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final TestCertificates.Authority ca = TestCertificates.Authority.create("foresight-ca");
  private final TestCertificates.Authority unknownCa =
      TestCertificates.Authority.create("someone-else");
  private Path serverCert;
  private Path serverKey;
  private Path caFile;
  private Path unknownCaFile;
  private ScalerServer server;

  @BeforeEach
  void certificates() throws IOException {
    serverCert = dir.resolve("tls.crt");
    serverKey = dir.resolve("tls.key");
    caFile = dir.resolve("ca.crt");
    unknownCaFile = dir.resolve("unknown-ca.crt");
    ca.server("foresight").write(serverCert, serverKey);
    ca.writeCertificate(caFile);
    unknownCa.writeCertificate(unknownCaFile);
    store.put(Decisions.stored(LLAMA, 4, true, Instant.now()));
  }

  @AfterEach
  void stop() {
    channels.forEach(ManagedChannel::shutdownNow);
    if (server != null) {
      server.close();
    }
  }

  private void start(ScalerServerConfig.Builder config) throws IOException {
    server =
        ScalerServer.builder(
                config.host("127.0.0.1").port(0).certRefresh(Duration.ofMillis(100)).build(), store)
            .start();
  }

  private ExternalScalerGrpc.ExternalScalerBlockingStub client(ChannelCredentials credentials) {
    ManagedChannel channel =
        Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(), credentials).build();
    channels.add(channel);
    return ExternalScalerGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
  }

  private ChannelCredentials trusting(Path ca) throws IOException {
    return TlsChannelCredentials.newBuilder().trustManager(ca.toFile()).build();
  }

  private ChannelCredentials clientOf(TestCertificates.Authority issuer, Path trusted)
      throws IOException {
    Path cert = Files.createTempFile(dir, "client", ".crt");
    Path key = Files.createTempFile(dir, "client", ".key");
    issuer.client("keda-operator").write(cert, key);
    return TlsChannelCredentials.newBuilder()
        .trustManager(trusted.toFile())
        .keyManager(cert.toFile(), key.toFile())
        .build();
  }

  private static void assertRefused(ExternalScalerGrpc.ExternalScalerBlockingStub client) {
    assertThatThrownBy(() -> client.getMetrics(GetMetrics.of(REF)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  /** Refused with {@code alert}, the TLS alert as it appears in the client's exception. */
  private static void assertRefused(
      ExternalScalerGrpc.ExternalScalerBlockingStub client, String alert) {
    assertThatThrownBy(() -> client.getMetrics(GetMetrics.of(REF)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE))
        .hasStackTraceContaining(alert);
  }

  @Test
  void plaintextServes() throws IOException {
    start(ScalerServerConfig.builder().plaintext());

    assertThat(client(InsecureChannelCredentials.create()).getMetrics(GetMetrics.of(REF)))
        .satisfies(r -> assertThat(r.getMetricValues(0).getMetricValue()).isEqualTo(4));
  }

  @Test
  void tlsServesAClientTrustingTheCaAndRefusesOneThatDoesNot() throws IOException {
    start(ScalerServerConfig.builder().tls(serverCert, serverKey));

    assertThat(client(trusting(caFile)).isActive(REF).getResult()).isTrue();
    assertRefused(client(trusting(unknownCaFile)));
    assertRefused(client(InsecureChannelCredentials.create()));
  }

  @Test
  void mutualTlsServesAClientWithACertificateFromTheClientCa() throws IOException {
    start(ScalerServerConfig.builder().mutualTls(serverCert, serverKey, caFile));

    assertThat(client(clientOf(ca, caFile)).getMetrics(GetMetrics.of(REF)).getMetricValues(0))
        .satisfies(v -> assertThat(v.getMetricValueFloat()).isEqualTo(4.0));
  }

  @Test
  void mutualTlsRefusesAClientWithoutACertificate() throws IOException {
    start(ScalerServerConfig.builder().mutualTls(serverCert, serverKey, caFile));

    assertRefused(client(trusting(caFile)));
  }

  @Test
  void mutualTlsRefusesAClientCertificateFromAnUnknownCa() throws IOException {
    start(ScalerServerConfig.builder().mutualTls(serverCert, serverKey, caFile));

    assertRefused(client(clientOf(unknownCa, caFile)), UNKNOWN_CA);
  }

  @Test
  void rotatedServerCertificateIsServedWithoutARestart() throws Exception {
    start(ScalerServerConfig.builder().tls(serverCert, serverKey));
    assertRefused(client(trusting(unknownCaFile)));

    unknownCa.server("foresight").write(serverCert, serverKey); // cert-manager re-issues

    awaitServed(() -> client(trusting(unknownCaFile)));
    assertRefused(client(trusting(caFile)));
  }

  @Test
  void rotatedClientCaIsTrustedWithoutARestart() throws Exception {
    start(ScalerServerConfig.builder().mutualTls(serverCert, serverKey, caFile));
    ChannelCredentials newClient = clientOf(unknownCa, caFile);
    assertRefused(client(newClient));

    unknownCa.writeCertificate(caFile); // the client CA bundle is replaced

    awaitServed(() -> client(newClient));
    assertRefused(client(clientOf(ca, caFile)));
  }

  private static final PeerCertificateCases CASES = new PeerCertificateCases();
  private static final Set<PeerCertificateCases.Kind> TRUSTED =
      EnumSet.of(
          PeerCertificateCases.Kind.VALID,
          PeerCertificateCases.Kind.VALID_VIA_INTERMEDIATE,
          PeerCertificateCases.Kind.WRONG_COMMON_NAME);

  private static final String CERTIFICATE_EXPIRED = "ALERT_CERTIFICATE_EXPIRED";
  private static final String UNKNOWN_CA = "ALERT_UNKNOWN_CA";
  private static final String DECRYPT_ERROR = "ALERT_DECRYPT_ERROR";
  private static final String UNSUPPORTED_CERTIFICATE = "ALERT_UNSUPPORTED_CERTIFICATE";

  /**
   * The TLS alert the client receives for each refused kind, as BoringSSL names it in the client's
   * exception. A key without digitalSignature is refused by BoringSSL itself before the client
   * check, with illegal_parameter or a closed connection.
   */
  private static final Map<PeerCertificateCases.Kind, List<String>> ALERTS =
      Map.ofEntries(
          Map.entry(PeerCertificateCases.Kind.EXPIRED, List.of(CERTIFICATE_EXPIRED)),
          Map.entry(PeerCertificateCases.Kind.EXPIRED_INTERMEDIATE, List.of(CERTIFICATE_EXPIRED)),
          Map.entry(PeerCertificateCases.Kind.NOT_YET_VALID, List.of(CERTIFICATE_EXPIRED)),
          // an untrusted CA named like a trusted one is found, and its signature fails
          Map.entry(PeerCertificateCases.Kind.WRONG_CA, List.of(UNKNOWN_CA, DECRYPT_ERROR)),
          Map.entry(PeerCertificateCases.Kind.SELF_SIGNED, List.of(UNKNOWN_CA)),
          Map.entry(PeerCertificateCases.Kind.TRUNCATED_CHAIN, List.of(UNKNOWN_CA)),
          Map.entry(PeerCertificateCases.Kind.ISSUED_BY_A_LEAF, List.of(UNKNOWN_CA)),
          Map.entry(PeerCertificateCases.Kind.FORGED_ISSUER, List.of(DECRYPT_ERROR)),
          Map.entry(PeerCertificateCases.Kind.SERVER_AUTH_ONLY, List.of(UNSUPPORTED_CERTIFICATE)),
          Map.entry(
              PeerCertificateCases.Kind.NO_DIGITAL_SIGNATURE,
              List.of("ALERT_ILLEGAL_PARAMETER", "UNAVAILABLE: io exception")));

  /** Two of each kind that {@link ClientCertificateFuzzTest} checks 10,000 of. */
  static Stream<PeerCertificateCases.Case> sampledClients() {
    return CASES.sample(0x7A5E5L, 2 * PeerCertificateCases.Kind.values().length).stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sampledClients")
  void generatedClientCertificatesAreCheckedInTheHandshake(PeerCertificateCases.Case c)
      throws IOException {
    Path clientCa = dir.resolve("client-ca.crt");
    Files.writeString(clientCa, CASES.trustedCasPem());
    start(ScalerServerConfig.builder().mutualTls(serverCert, serverKey, clientCa));

    ExternalScalerGrpc.ExternalScalerBlockingStub client = client(presenting(c));
    if (TRUSTED.contains(c.kind())) {
      assertThat(client.isActive(REF).getResult()).as("%s", c).isTrue();
    } else {
      assertThatThrownBy(() -> client.getMetrics(GetMetrics.of(REF)))
          .as("%s", c)
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(ALERTS.get(c.kind()))
                    .as("%s: the client's TLS alert", c)
                    .anySatisfy(alert -> assertThat(e).hasStackTraceContaining(alert));
                assertThat(Throwables.getStackTrace(e))
                    .as("%s", c)
                    .doesNotContain("INTERNAL_ERROR");
              });
    }
    assertThat(
            client(presenting(CASES.next(c.seed(), PeerCertificateCases.Kind.VALID)))
                .getMetrics(GetMetrics.of(REF))
                .getMetricValues(0)
                .getMetricValue())
        .as("a good client after %s", c)
        .isEqualTo(4);
  }

  private ChannelCredentials presenting(PeerCertificateCases.Case c) throws IOException {
    Path cert = Files.createTempFile(dir, "client", ".crt");
    Path key = Files.createTempFile(dir, "client", ".key");
    Files.writeString(cert, c.chainPem());
    Files.writeString(key, c.keyPem());
    return TlsChannelCredentials.newBuilder()
        .trustManager(caFile.toFile())
        .keyManager(cert.toFile(), key.toFile())
        .build();
  }

  /** Retries on fresh connections until the server serves, or fails after 10 s. */
  private void awaitServed(ThrowingSupplier client) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    StatusRuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try {
        assertThat(client.get().isActive(REF).getResult()).isTrue();
        return;
      } catch (StatusRuntimeException e) {
        last = e;
        Thread.sleep(50); // poll interval while the file watcher catches up
      }
    }
    throw new AssertionError("rotated credentials were not picked up within 10 s", last);
  }

  @FunctionalInterface
  private interface ThrowingSupplier {
    ExternalScalerGrpc.ExternalScalerBlockingStub get() throws IOException;
  }
}
