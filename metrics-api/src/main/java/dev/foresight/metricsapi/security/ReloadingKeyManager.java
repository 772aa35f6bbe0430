package dev.foresight.metricsapi.security;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A key manager that always offers the current serving certificate. Swapping the certificate takes
 * effect on the next TLS handshake; connections already open keep theirs.
 */
public final class ReloadingKeyManager extends X509ExtendedKeyManager {

  private static final String ALIAS = "serving";

  private volatile ServingCertificate current;

  public ReloadingKeyManager(ServingCertificate initial) {
    this.current = Objects.requireNonNull(initial, "initial");
  }

  /** Serves {@code next} from the next handshake on. */
  public void set(ServingCertificate next) {
    this.current = Objects.requireNonNull(next, "next");
  }

  /** The certificate being served. */
  public ServingCertificate current() {
    return current;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return ALIAS;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return ALIAS;
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return new String[] {ALIAS};
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return current.chain().toArray(new X509Certificate[0]);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return current.key();
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }
}
