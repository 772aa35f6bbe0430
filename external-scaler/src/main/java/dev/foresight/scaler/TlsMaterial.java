package dev.foresight.scaler;

import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import io.grpc.util.CertificateUtils;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keeps grpc-java's {@link AdvancedTlsX509KeyManager} and {@link AdvancedTlsX509TrustManager}
 * loaded from PEM files, re-reading them every {@code refresh}: a rotated certificate (cert-manager
 * renewing a Secret mounted as a volume) is served to new connections without a restart.
 *
 * <p>Why not the managers' own file watchers: they re-read at most once a minute, and only when
 * both files' modification times changed. Here the files' contents are compared (a Secret volume
 * swaps a symlink, which need not change modification times), and a new certificate is installed
 * only with a private key that matches it, so a half-written pair never replaces a working one. A
 * failed reload is logged and the previous material stays in use.
 */
final class TlsMaterial implements Closeable {

  private static final System.Logger LOG = System.getLogger(TlsMaterial.class.getName());

  private final ScheduledFuture<?> watcher;
  private final Reloadable reloadable;

  private TlsMaterial(Reloadable reloadable, ScheduledExecutorService executor, Duration refresh) {
    this.reloadable = reloadable;
    long period = refresh.toMillis();
    this.watcher =
        executor.scheduleWithFixedDelay(this::refresh, period, period, TimeUnit.MILLISECONDS);
  }

  /**
   * A key manager serving the certificate chain and key in these files, kept current.
   *
   * @throws UncheckedIOException naming the file, when the files cannot be read or do not match
   */
  static TlsMaterial identity(
      AdvancedTlsX509KeyManager keyManager,
      Path certChain,
      Path privateKey,
      ScheduledExecutorService executor,
      Duration refresh) {
    Reloadable identity =
        new Reloadable(new Path[] {certChain, privateKey}) {
          @Override
          void install(byte[][] contents) throws IOException, GeneralSecurityException {
            X509Certificate[] chain = certificates(certChain, contents[0]);
            PrivateKey key = CertificateUtils.getPrivateKey(new ByteArrayInputStream(contents[1]));
            requireMatch(chain[0], key, certChain, privateKey);
            keyManager.updateIdentityCredentials(chain, key);
          }
        };
    identity.load();
    return new TlsMaterial(identity, executor, refresh);
  }

  /** A trust manager trusting the CA certificates in this file, kept current. */
  static TlsMaterial trust(
      AdvancedTlsX509TrustManager trustManager,
      Path caCertificates,
      ScheduledExecutorService executor,
      Duration refresh) {
    Reloadable trust =
        new Reloadable(new Path[] {caCertificates}) {
          @Override
          void install(byte[][] contents) throws IOException, GeneralSecurityException {
            trustManager.updateTrustCredentials(certificates(caCertificates, contents[0]));
          }
        };
    trust.load();
    return new TlsMaterial(trust, executor, refresh);
  }

  private void refresh() {
    try {
      reloadable.reloadIfChanged();
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "could not reload " + Arrays.toString(reloadable.files) + "; keeping the previous ones",
          e);
    }
  }

  @Override
  public void close() {
    watcher.cancel(false);
  }

  private static X509Certificate[] certificates(Path file, byte[] pem)
      throws GeneralSecurityException {
    X509Certificate[] certificates =
        CertificateUtils.getX509Certificates(new ByteArrayInputStream(pem));
    if (certificates.length == 0) {
      throw new GeneralSecurityException(file + " holds no PEM certificate");
    }
    return certificates;
  }

  /** Proves that {@code key} belongs to {@code certificate} by signing and verifying a nonce. */
  private static void requireMatch(
      X509Certificate certificate, PrivateKey key, Path certFile, Path keyFile)
      throws GeneralSecurityException {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "EC" -> "SHA256withECDSA";
          case "RSA" -> "SHA256withRSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default -> null;
        };
    if (algorithm == null) {
      return; // unknown algorithm: the TLS handshake is the judge
    }
    byte[] nonce = new byte[32];
    new SecureRandom().nextBytes(nonce);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(nonce);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(certificate.getPublicKey());
    verifier.update(nonce);
    if (!verifier.verify(signature)) {
      throw new GeneralSecurityException(
          "the private key in " + keyFile + " does not belong to the certificate in " + certFile);
    }
  }

  /** A set of files installed together whenever any of their contents change. */
  private abstract static class Reloadable {
    final Path[] files;
    private byte[][] installed;

    Reloadable(Path[] files) {
      this.files = files;
    }

    abstract void install(byte[][] contents) throws IOException, GeneralSecurityException;

    void load() {
      try {
        reloadIfChanged();
      } catch (IOException e) {
        throw new UncheckedIOException("could not read " + Arrays.toString(files), e);
      } catch (GeneralSecurityException e) {
        throw new UncheckedIOException(
            "could not load " + Arrays.toString(files) + ": " + e.getMessage(), new IOException(e));
      }
    }

    synchronized void reloadIfChanged() throws IOException, GeneralSecurityException {
      byte[][] contents = new byte[files.length][];
      for (int i = 0; i < files.length; i++) {
        contents[i] = Files.readAllBytes(files[i]);
      }
      if (installed != null && Arrays.deepEquals(contents, installed)) {
        return;
      }
      install(contents);
      if (installed != null) {
        LOG.log(Level.INFO, "reloaded " + Arrays.toString(files));
      }
      installed = contents;
    }
  }
}
