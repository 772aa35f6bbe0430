package dev.foresight.metricsapi.security;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A serving certificate chain (leaf first) and its private key.
 *
 * @param key the leaf's private key
 * @param chain the leaf, then any intermediates
 */
public record ServingCertificate(PrivateKey key, List<X509Certificate> chain) {

  public ServingCertificate {
    Objects.requireNonNull(key, "key");
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("serving certificate chain must not be empty");
    }
  }

  /** The leaf certificate. */
  public X509Certificate leaf() {
    return chain.get(0);
  }
}
