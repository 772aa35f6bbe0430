package dev.foresight.metricsapi.testing;

import java.security.Principal;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;

/**
 * A TLS session as the server sees it after a handshake in which the client presented {@code
 * chain}: what the request authenticator reads, without a handshake per case. Real handshakes with
 * a sample of the same chains run in {@code MetricsApiServerIT}.
 */
public final class PresentedCertificates implements SSLSession {

  private final Certificate[] chain;
  private final Map<String, Object> values = new HashMap<>();

  /** A session in which the client presented {@code chain}, leaf first (empty: none). */
  public PresentedCertificates(List<X509Certificate> chain) {
    this.chain = chain.toArray(new Certificate[0]);
  }

  @Override
  public Certificate[] getPeerCertificates() throws SSLPeerUnverifiedException {
    if (chain.length == 0) {
      throw new SSLPeerUnverifiedException("peer not authenticated");
    }
    return chain.clone();
  }

  @Override
  public Object getValue(String name) {
    return values.get(name);
  }

  @Override
  public void putValue(String name, Object value) {
    values.put(name, value);
  }

  @Override
  public void removeValue(String name) {
    values.remove(name);
  }

  @Override
  public String[] getValueNames() {
    return values.keySet().toArray(new String[0]);
  }

  @Override
  public byte[] getId() {
    return new byte[0];
  }

  @Override
  public SSLSessionContext getSessionContext() {
    return null;
  }

  @Override
  public long getCreationTime() {
    return 0;
  }

  @Override
  public long getLastAccessedTime() {
    return 0;
  }

  @Override
  public void invalidate() {}

  @Override
  public boolean isValid() {
    return true;
  }

  @Override
  public Certificate[] getLocalCertificates() {
    return null;
  }

  @Override
  public Principal getPeerPrincipal() throws SSLPeerUnverifiedException {
    if (chain.length == 0) {
      throw new SSLPeerUnverifiedException("peer not authenticated");
    }
    return ((X509Certificate) chain[0]).getSubjectX500Principal();
  }

  @Override
  public Principal getLocalPrincipal() {
    return null;
  }

  @Override
  public String getCipherSuite() {
    return "TLS_AES_128_GCM_SHA256";
  }

  @Override
  public String getProtocol() {
    return "TLSv1.3";
  }

  @Override
  public String getPeerHost() {
    return "127.0.0.1";
  }

  @Override
  public int getPeerPort() {
    return 0;
  }

  @Override
  public int getPacketBufferSize() {
    return 16709;
  }

  @Override
  public int getApplicationBufferSize() {
    return 16384;
  }
}
