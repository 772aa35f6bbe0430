package dev.foresight.scaler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.metricsapi.testing.PeerCertificateCases;
import io.grpc.netty.shaded.io.netty.handler.ssl.OpenSsl;
import io.grpc.netty.shaded.io.netty.handler.ssl.OpenSslCertificateException;
import io.grpc.netty.shaded.io.netty.internal.tcnative.CertificateVerifier;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXReason;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The refusals that the generated chains of {@link ClientCertificateFuzzTest} do not produce, and
 * the verify errors every refusal hands to BoringSSL.
 */
class ClientCertificateRefusalTest {

  private static final X509Certificate[] GOOD_CLIENT =
      new PeerCertificateCases()
          .next(7L, PeerCertificateCases.Kind.VALID).chain().stream()
              .toArray(X509Certificate[]::new);

  static Stream<Arguments> refusals() throws CertificateException {
    CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(GOOD_CLIENT));
    return Stream.of(
        // no cause and a leaf meant for clients: nothing more specific to say
        Arguments.of(new CertificateException("no trust roots"), ClientCertificateRefusal.OTHER),
        Arguments.of(
            refusedBecause(new CertPathValidatorException("unknown", null, path, 0)),
            ClientCertificateRefusal.OTHER),
        Arguments.of(
            refusedBecause(
                new CertPathValidatorException(
                    "no anchor", null, path, -1, PKIXReason.NO_TRUST_ANCHOR)),
            ClientCertificateRefusal.UNKNOWN_ISSUER),
        Arguments.of(
            refusedBecause(
                new CertPathValidatorException(
                    "too long", null, path, 0, PKIXReason.PATH_TOO_LONG)),
            ClientCertificateRefusal.ISSUER_NOT_A_CA),
        Arguments.of(
            refusedBecause(
                new CertPathValidatorException("not a CA", null, path, 0, PKIXReason.NOT_CA_CERT)),
            ClientCertificateRefusal.ISSUER_NOT_A_CA));
  }

  private static CertificateException refusedBecause(Throwable cause) {
    return new CertificateException("PKIX path validation failed", cause);
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("refusals")
  void aRefusalIsNamedByItsCause(CertificateException refusal, ClientCertificateRefusal expected) {
    assertThat(ClientCertificateRefusal.of(refusal, GOOD_CLIENT)).isEqualTo(expected);
  }

  @Test
  void aRefusalWithoutAChainIsStillNamed() {
    assertThat(ClientCertificateRefusal.of(new CertificateException("empty"), null))
        .isEqualTo(ClientCertificateRefusal.OTHER);
  }

  /**
   * BoringSSL sends internal_error for the unspecified and out-of-memory verify errors; no refusal
   * may use them, and each must be one tcnative accepts.
   */
  @ParameterizedTest
  @EnumSource(ClientCertificateRefusal.class)
  void everyRefusalReachesTheTlsStackWithAVerifyErrorThatIsNotInternal(
      ClientCertificateRefusal refusal) {
    assertThat(OpenSsl.isAvailable()).as("BoringSSL loads here").isTrue();
    CertificateException original = new CertificateException("refused");

    assertThat(refusal.forTls(original))
        .isInstanceOfSatisfying(
            OpenSslCertificateException.class,
            e -> {
              assertThat(e.errorCode())
                  .isEqualTo(refusal.verifyError())
                  .isNotIn(
                      CertificateVerifier.X509_V_ERR_UNSPECIFIED,
                      CertificateVerifier.X509_V_ERR_OUT_OF_MEM);
              assertThat(CertificateVerifier.isValid(e.errorCode())).isTrue();
              assertThat(e).hasMessage(refusal.message()).hasCause(original);
            });
  }
}
