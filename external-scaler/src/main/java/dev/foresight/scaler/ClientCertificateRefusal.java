package dev.foresight.scaler;

import io.grpc.netty.shaded.io.netty.handler.ssl.OpenSsl;
import io.grpc.netty.shaded.io.netty.handler.ssl.OpenSslCertificateException;
import io.grpc.netty.shaded.io.netty.internal.tcnative.CertificateVerifier;
import java.security.InvalidKeyException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXReason;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * Why a client certificate chain was refused, so that the TLS alert the client receives names it.
 *
 * <p>Why: the scaler's TLS runs on BoringSSL (netty-tcnative, which grpc-netty-shaded prefers when
 * it loads). Netty turns a trust manager's exception into an X.509 verify error for BoringSSL,
 * which picks the alert from it ({@code SSL_alert_from_verify_result}); Netty recognises only
 * expiry and revocation by itself and reports every other refusal as "unspecified", which BoringSSL
 * sends as {@code internal_error}: a client from the wrong CA could not tell its certificate from a
 * server fault. An {@link OpenSslCertificateException} carries the verify error, and so the alert,
 * itself.
 *
 * <table>
 *   <caption>Refusals and the alerts they send</caption>
 *   <tr><th>refusal</th><th>verify error</th><th>alert</th></tr>
 *   <tr><td>{@link #UNKNOWN_ISSUER}</td><td>unable to get local issuer</td><td>unknown_ca</td></tr>
 *   <tr><td>{@link #ISSUER_NOT_A_CA}</td><td>invalid CA</td><td>unknown_ca</td></tr>
 *   <tr><td>{@link #BAD_SIGNATURE}</td><td>signature failure</td><td>decrypt_error</td></tr>
 *   <tr><td>{@link #EXPIRED}</td><td>has expired</td><td>certificate_expired</td></tr>
 *   <tr><td>{@link #NOT_YET_VALID}</td><td>not yet valid</td><td>certificate_expired</td></tr>
 *   <tr><td>{@link #NOT_FOR_CLIENTS}</td><td>invalid purpose</td><td>unsupported_certificate</td></tr>
 *   <tr><td>{@link #OTHER}</td><td>rejected</td><td>bad_certificate</td></tr>
 * </table>
 */
enum ClientCertificateRefusal {
  UNKNOWN_ISSUER(
      "the client certificate does not chain to a trusted client CA",
      () -> CertificateVerifier.X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY),
  ISSUER_NOT_A_CA(
      "the client certificate chain has an issuer that is not a CA",
      () -> CertificateVerifier.X509_V_ERR_INVALID_CA),
  BAD_SIGNATURE(
      "a signature in the client certificate chain does not verify with its issuer's key",
      () -> CertificateVerifier.X509_V_ERR_CERT_SIGNATURE_FAILURE),
  EXPIRED(
      "a certificate in the client certificate chain has expired",
      () -> CertificateVerifier.X509_V_ERR_CERT_HAS_EXPIRED),
  NOT_YET_VALID(
      "a certificate in the client certificate chain is not yet valid",
      () -> CertificateVerifier.X509_V_ERR_CERT_NOT_YET_VALID),
  NOT_FOR_CLIENTS(
      "the client certificate's key usage or extended key usage does not allow TLS client"
          + " authentication",
      () -> CertificateVerifier.X509_V_ERR_INVALID_PURPOSE),
  OTHER("the client certificate was refused", () -> CertificateVerifier.X509_V_ERR_CERT_REJECTED);

  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final String ANY_PURPOSE = "2.5.29.37.0";
  private static final int DIGITAL_SIGNATURE = 0;

  private final String message;
  // The verify error codes are read from the native library, so only once it is known to load.
  private final IntSupplier verifyError;

  ClientCertificateRefusal(String message, IntSupplier verifyError) {
    this.message = message;
    this.verifyError = verifyError;
  }

  /** What was wrong with {@code chain}, judged from the trust manager's refusal of it. */
  static ClientCertificateRefusal of(CertificateException refusal, X509Certificate[] chain) {
    for (Throwable t = refusal.getCause(); t != null; t = t.getCause()) {
      if (t instanceof CertPathBuilderException) {
        return UNKNOWN_ISSUER;
      }
      if (t instanceof CertPathValidatorException invalid) {
        return ofPathValidation(invalid);
      }
    }
    // The path validated; the JDK then refuses a leaf not meant for client authentication, with
    // no cause to say so.
    return chain != null && chain.length > 0 && notForClients(chain[0]) ? NOT_FOR_CLIENTS : OTHER;
  }

  private static ClientCertificateRefusal ofPathValidation(CertPathValidatorException invalid) {
    CertPathValidatorException.Reason reason = invalid.getReason();
    if (reason == BasicReason.EXPIRED) {
      return EXPIRED;
    } else if (reason == BasicReason.NOT_YET_VALID) {
      return NOT_YET_VALID;
    } else if (reason == BasicReason.INVALID_SIGNATURE
        // an issuer's key of another algorithm than the signature's cannot have made it
        || invalid.getCause() instanceof InvalidKeyException) {
      return BAD_SIGNATURE;
    } else if (reason == PKIXReason.NO_TRUST_ANCHOR) {
      return UNKNOWN_ISSUER;
    } else if (reason == PKIXReason.NOT_CA_CERT
        || reason == PKIXReason.INVALID_KEY_USAGE
        || reason == PKIXReason.PATH_TOO_LONG) {
      return ISSUER_NOT_A_CA;
    }
    return OTHER;
  }

  private static boolean notForClients(X509Certificate leaf) {
    boolean[] keyUsage = leaf.getKeyUsage();
    if (keyUsage != null && !keyUsage[DIGITAL_SIGNATURE]) {
      return true;
    }
    try {
      List<String> purposes = leaf.getExtendedKeyUsage();
      return purposes != null && !purposes.contains(CLIENT_AUTH) && !purposes.contains(ANY_PURPOSE);
    } catch (CertificateParsingException e) {
      return false;
    }
  }

  /** A message saying what was wrong, naming no certificate field values. */
  String message() {
    return message;
  }

  /**
   * {@code refusal} as the TLS stack should see it: an {@link OpenSslCertificateException} with
   * this refusal's verify error, its message, and {@code refusal} as the cause. With BoringSSL
   * unavailable (grpc then uses the JDK's TLS, which chooses alerts from the refusal's own cause),
   * {@code refusal} itself.
   */
  CertificateException forTls(CertificateException refusal) {
    if (!OpenSsl.isAvailable()) {
      return refusal;
    }
    return new OpenSslCertificateException(message, refusal, verifyError());
  }

  /** The X.509 verify error BoringSSL chooses this refusal's alert from. */
  int verifyError() {
    return verifyError.getAsInt();
  }
}
