package dev.foresight.scaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.foresight.metricsapi.testing.PeerCertificateCases;
import dev.foresight.metricsapi.testing.PeerCertificateCases.Kind;
import dev.foresight.metricsapi.testing.PresentedCertificates;
import io.grpc.netty.shaded.io.netty.handler.ssl.OpenSslCertificateException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 10,000 generated client certificate chains (100 batches of 100, fixed seeds; see {@link
 * PeerCertificateCases} for the kinds) through the mutual-TLS server's client check, built as the
 * server builds it ({@link RotatingClientTrust#fromFile} over grpc-java's trust manager and a CA
 * bundle file holding an EC and an RSA CA).
 *
 * <p>Valid chains are trusted whatever their common name (the scaler authorises no names); every
 * other case, a key usage without digitalSignature included (the JDK's TLS client check), fails
 * with a {@link CertificateException} and nothing else, one that names the cause for the TLS alert
 * ({@link ClientCertificateRefusal}). After each case a bystander client's chain is still trusted.
 * Each check gets the server engine's handshake session as the TLS stack passes it ({@link
 * HandshakeInProgress}); real handshakes with a sample of the same cases run in {@link TlsIT}.
 */
class ClientCertificateFuzzTest {

  private static final long SEED = 0x5CA1E7F0L;
  private static final PeerCertificateCases CASES = new PeerCertificateCases();
  private static final Set<Kind> TRUSTED =
      EnumSet.of(Kind.VALID, Kind.VALID_VIA_INTERMEDIATE, Kind.WRONG_COMMON_NAME);

  /** How each refused kind is reported, and so which TLS alert the client receives. */
  private static final Map<Kind, Set<ClientCertificateRefusal>> REFUSALS =
      Map.ofEntries(
          Map.entry(Kind.EXPIRED, EnumSet.of(ClientCertificateRefusal.EXPIRED)),
          Map.entry(Kind.EXPIRED_INTERMEDIATE, EnumSet.of(ClientCertificateRefusal.EXPIRED)),
          Map.entry(Kind.NOT_YET_VALID, EnumSet.of(ClientCertificateRefusal.NOT_YET_VALID)),
          // an untrusted CA named like a trusted one is found, and its signature fails
          Map.entry(
              Kind.WRONG_CA,
              EnumSet.of(
                  ClientCertificateRefusal.UNKNOWN_ISSUER, ClientCertificateRefusal.BAD_SIGNATURE)),
          Map.entry(Kind.SELF_SIGNED, EnumSet.of(ClientCertificateRefusal.UNKNOWN_ISSUER)),
          Map.entry(Kind.TRUNCATED_CHAIN, EnumSet.of(ClientCertificateRefusal.UNKNOWN_ISSUER)),
          Map.entry(Kind.FORGED_ISSUER, EnumSet.of(ClientCertificateRefusal.BAD_SIGNATURE)),
          Map.entry(Kind.ISSUED_BY_A_LEAF, EnumSet.of(ClientCertificateRefusal.ISSUER_NOT_A_CA)),
          Map.entry(Kind.SERVER_AUTH_ONLY, EnumSet.of(ClientCertificateRefusal.NOT_FOR_CLIENTS)),
          Map.entry(
              Kind.NO_DIGITAL_SIGNATURE, EnumSet.of(ClientCertificateRefusal.NOT_FOR_CLIENTS)));

  private static final Map<Kind, Integer> SEEN = new EnumMap<>(Kind.class);
  private static final ScheduledExecutorService WATCHER =
      Executors.newSingleThreadScheduledExecutor();

  @TempDir Path dir;
  private final List<Closeable> watchers = new ArrayList<>();

  static Stream<Arguments> batches() {
    SplittableRandom root = new SplittableRandom(SEED);
    return IntStream.range(0, 100).mapToObj(i -> Arguments.of(root.nextLong()));
  }

  @AfterEach
  void closeWatchers() throws IOException {
    for (Closeable w : watchers) {
      w.close();
    }
  }

  @AfterAll
  static void everyKindWasGenerated() {
    WATCHER.shutdownNow();
    assertThat(SEEN.keySet()).containsExactlyInAnyOrder(Kind.values());
    assertThat(SEEN.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(10_000);
  }

  /** The server's engine while {@code chain} is being checked. */
  private static SSLEngine during(X509Certificate[] chain) {
    return new HandshakeInProgress(new PresentedCertificates(List.of(chain)));
  }

  /**
   * The refusal carries the verify error of its kind's refusal (BoringSSL's alert follows from it),
   * that refusal's message, and the trust manager's own exception as its cause.
   */
  private static void assertNamesTheCause(PeerCertificateCases.Case c, Throwable thrown) {
    assertThat(thrown)
        .as("%s is refused with a verify error for the TLS alert", c)
        .isInstanceOfSatisfying(
            OpenSslCertificateException.class,
            e -> {
              assertThat(REFUSALS.get(c.kind()))
                  .as("%s: verify error %s, message %s", c, e.errorCode(), e.getMessage())
                  .anySatisfy(
                      r -> {
                        assertThat(e.errorCode()).isEqualTo(r.verifyError());
                        assertThat(e.getMessage()).isEqualTo(r.message());
                      });
              assertThat(e.getCause()).isInstanceOf(CertificateException.class);
            });
  }

  @ParameterizedTest(name = "batch seed {0}")
  @MethodSource("batches")
  void onlyValidClientChainsAreTrustedAndEveryOtherFailsWithACertificateException(long batchSeed)
      throws Exception {
    Path caFile = dir.resolve("client-ca.crt");
    Files.writeString(caFile, CASES.trustedCasPem());
    RotatingClientTrust trust =
        RotatingClientTrust.fromFile(caFile, WATCHER, Duration.ofHours(1), watchers);
    X509Certificate[] bystander =
        CASES.next(batchSeed, Kind.VALID).chain().toArray(new X509Certificate[0]);
    String bystanderAuthType = bystander[0].getPublicKey().getAlgorithm();
    SSLEngine bystanderEngine = during(bystander);
    trust.checkClientTrusted(bystander, bystanderAuthType, bystanderEngine);

    SplittableRandom batch = new SplittableRandom(batchSeed);
    for (int i = 0; i < 100; i++) {
      PeerCertificateCases.Case c = CASES.next(batch.nextLong());
      SEEN.merge(c.kind(), 1, Integer::sum);
      X509Certificate[] chain = c.chain().toArray(new X509Certificate[0]);
      String authType = c.leaf().getPublicKey().getAlgorithm();
      SSLEngine engine = during(chain);
      if (TRUSTED.contains(c.kind())) {
        assertThatCode(() -> trust.checkClientTrusted(chain, authType, engine))
            .as("%s", c)
            .doesNotThrowAnyException();
      } else {
        Throwable thrown = null;
        try {
          trust.checkClientTrusted(chain, authType, engine);
        } catch (Exception | Error e) {
          thrown = e;
        }
        assertThat(thrown)
            .as("%s is refused with a CertificateException", c)
            .isInstanceOf(CertificateException.class);
        assertNamesTheCause(c, thrown);
      }
      assertThatCode(() -> trust.checkClientTrusted(bystander, bystanderAuthType, bystanderEngine))
          .as("after %s the bystander is still trusted", c)
          .doesNotThrowAnyException();
    }
  }
}
