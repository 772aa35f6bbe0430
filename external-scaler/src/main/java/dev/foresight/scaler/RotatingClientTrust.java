package dev.foresight.scaler;

import io.grpc.util.AdvancedTlsX509TrustManager;
import java.io.Closeable;
import java.net.Socket;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Checks client certificates with a trust manager whose CAs can be replaced at run time, and
 * advertises no CA names in the TLS CertificateRequest.
 *
 * <p>Why no names: the TLS stack reads the accepted-issuer list once, when the server's TLS context
 * is built, and sends it with every handshake. Clients (Go's crypto/tls in KEDA as well as the JDK)
 * send a certificate only if it was issued by a CA on that list, so after a client-CA rotation a
 * correctly issued client certificate would never be sent. With an empty list the client sends its
 * certificate (RFC 8446 4.2.4 / RFC 5246 7.4.4 allow any), and this trust manager, which always
 * sees the current CAs, decides.
 *
 * <p>A refused chain is reported as a {@link ClientCertificateRefusal}, which picks the TLS alert
 * the client receives.
 */
final class RotatingClientTrust extends X509ExtendedTrustManager {

  private static final X509Certificate[] NONE = new X509Certificate[0];

  private final X509ExtendedTrustManager delegate;

  RotatingClientTrust(X509ExtendedTrustManager delegate) {
    this.delegate = delegate;
  }

  /**
   * The client check of the mutual-TLS server: grpc-java's trust manager, verifying the chain only
   * (a client certificate names a client, not a host), trusting the CAs in {@code clientCa},
   * re-read every {@code refresh}. The file watcher is added to {@code watchers}, to be closed with
   * the server.
   *
   * @throws java.io.UncheckedIOException naming the file, when it cannot be read or parsed
   */
  static RotatingClientTrust fromFile(
      Path clientCa, ScheduledExecutorService executor, Duration refresh, List<Closeable> watchers)
      throws CertificateException {
    AdvancedTlsX509TrustManager trustManager =
        AdvancedTlsX509TrustManager.newBuilder()
            .setVerification(AdvancedTlsX509TrustManager.Verification.CERTIFICATE_ONLY_VERIFICATION)
            .build();
    watchers.add(TlsMaterial.trust(trustManager, clientCa, executor, refresh));
    return new RotatingClientTrust(trustManager);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    try {
      delegate.checkClientTrusted(chain, authType, socket);
    } catch (CertificateException refusal) {
      throw namingTheCause(refusal, chain);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    try {
      delegate.checkClientTrusted(chain, authType, engine);
    } catch (CertificateException refusal) {
      throw namingTheCause(refusal, chain);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    try {
      delegate.checkClientTrusted(chain, authType);
    } catch (CertificateException refusal) {
      throw namingTheCause(refusal, chain);
    }
  }

  /**
   * The refusal as the TLS stack should see it, so that the client's TLS alert says why its
   * certificate was refused (unknown_ca, certificate_expired, ...) instead of internal_error; the
   * refusal itself is kept as the cause.
   */
  private static CertificateException namingTheCause(
      CertificateException refusal, X509Certificate[] chain) {
    return ClientCertificateRefusal.of(refusal, chain).forTls(refusal);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("this trust manager checks clients only");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("this trust manager checks clients only");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("this trust manager checks clients only");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return NONE;
  }
}
