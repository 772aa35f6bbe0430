package dev.foresight.metricsapi.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serving certificate and key from PEM files (for example a mounted {@code kubernetes.io/tls}
 * Secret's {@code tls.crt} and {@code tls.key}), loaded into a {@link ReloadingKeyManager} and
 * reloaded when either file changes. A pair that fails to load, or whose key does not match the
 * certificate (mid-rotation), is skipped with a warning and the previous pair keeps serving.
 */
public final class FileServingCertificate {

  private static final Logger LOG = LoggerFactory.getLogger(FileServingCertificate.class);

  private final Path certFile;
  private final Path keyFile;
  private final WatchedFiles watched;
  private final ReloadingKeyManager keyManager;

  private FileServingCertificate(
      Path certFile, Path keyFile, WatchedFiles watched, ServingCertificate first) {
    this.certFile = certFile;
    this.keyFile = keyFile;
    this.watched = watched;
    this.keyManager = new ReloadingKeyManager(first);
  }

  /**
   * Loads the pair now.
   *
   * @throws IOException naming the file and what was wrong
   */
  public static FileServingCertificate load(Path certFile, Path keyFile) throws IOException {
    Objects.requireNonNull(certFile, "certFile");
    Objects.requireNonNull(keyFile, "keyFile");
    WatchedFiles watched = new WatchedFiles(List.of(certFile, keyFile));
    List<byte[]> contents = watched.changed();
    ServingCertificate first = parse(certFile, keyFile, contents);
    watched.accept(contents);
    return new FileServingCertificate(certFile, keyFile, watched, first);
  }

  /** The key manager to build the TLS context from. */
  public ReloadingKeyManager keyManager() {
    return keyManager;
  }

  /**
   * Reloads the pair when the files changed.
   *
   * @return true when a new pair is now served
   */
  public boolean reloadIfChanged() {
    try {
      List<byte[]> contents = watched.changed();
      if (contents == null) {
        return false;
      }
      ServingCertificate next = parse(certFile, keyFile, contents);
      keyManager.set(next);
      watched.accept(contents);
      LOG.info(
          "serving certificate loaded from {}: subject {}, expires {}",
          certFile,
          next.leaf().getSubjectX500Principal().getName(),
          next.leaf().getNotAfter().toInstant());
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot reload serving certificate {} / {}: {}", certFile, keyFile, e.toString());
      return false;
    }
  }

  private static ServingCertificate parse(Path certFile, Path keyFile, List<byte[]> contents)
      throws IOException {
    List<X509Certificate> chain =
        Pem.certificates(
            new String(contents.get(0), StandardCharsets.US_ASCII), certFile.toString());
    PrivateKey key =
        Pem.privateKey(new String(contents.get(1), StandardCharsets.US_ASCII), keyFile.toString());
    if (!matches(key, chain.get(0))) {
      throw new IOException(
          "serving key " + keyFile + " does not match the certificate in " + certFile);
    }
    return new ServingCertificate(key, chain);
  }

  /** Whether {@code key} is the private half of {@code cert}'s public key: sign and verify. */
  static boolean matches(PrivateKey key, X509Certificate cert) {
    String alg =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519" -> "Ed25519";
          default -> null;
        };
    if (alg == null) {
      return true;
    }
    try {
      byte[] nonce = new byte[32];
      new SecureRandom().nextBytes(nonce);
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(nonce);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(cert.getPublicKey());
      v.update(nonce);
      return v.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
