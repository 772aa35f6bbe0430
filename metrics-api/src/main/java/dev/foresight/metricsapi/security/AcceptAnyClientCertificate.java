package dev.foresight.metricsapi.security;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Lets any client certificate through the TLS handshake, to be verified per request by {@link
 * RequestHeaderAuthenticator}: a certificate from the wrong CA then gets an HTTP 401 with a
 * Kubernetes {@code Status}, as from kube-apiserver, instead of a bare handshake failure; and the
 * request-header CA can change without rebuilding the TLS context. The server never acts as a TLS
 * client with this trust manager.
 */
public final class AcceptAnyClientCertificate extends X509ExtendedTrustManager {

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) {}

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("server-side trust manager: never verifies servers");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("server-side trust manager: never verifies servers");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("server-side trust manager: never verifies servers");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
