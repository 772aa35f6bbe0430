package dev.foresight.metricsapi.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test certificates made with BouncyCastle: a CA, and leaf certificates it signs for servers (SAN
 * {@code localhost}, {@code 127.0.0.1}) and clients (a CN, clientAuth usage).
 */
public final class TestPki {

  private static final SecureRandom RANDOM = new SecureRandom();

  /** A key pair and its certificate. */
  public record Issued(KeyPair keys, X509Certificate certificate, List<X509Certificate> chain) {

    /** Writes {@code <name>.crt} (the chain) and {@code <name>.key} (PKCS#8) into {@code dir}. */
    public Path[] writePem(Path dir, String name) throws IOException {
      // PKCS#8 "PRIVATE KEY", as cert-manager and kubeadm write keys.
      Path crt = dir.resolve(name + ".crt");
      Path key = dir.resolve(name + ".key");
      Files.writeString(crt, pem(chain.toArray()));
      Files.writeString(key, pem(new JcaPKCS8Generator(keys.getPrivate(), null)));
      return new Path[] {crt, key};
    }

    /** The chain as PEM. */
    public String chainPem() {
      return pem(chain.toArray());
    }

    /** The key as PKCS#8 PEM ({@code PRIVATE KEY}). */
    public String pkcs8KeyPem() {
      try {
        return pem(new JcaPKCS8Generator(keys.getPrivate(), null));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    /**
     * The key in its algorithm's own PEM form: {@code EC PRIVATE KEY} (SEC1) or {@code RSA PRIVATE
     * KEY} (PKCS#1), as openssl and older tools write keys.
     */
    public String traditionalKeyPem() {
      return pem(keys.getPrivate());
    }
  }

  private final Issued ca;

  private TestPki(Issued ca) {
    this.ca = ca;
  }

  /** A new CA named {@code cn}. */
  public static TestPki newCa(String cn) {
    try {
      KeyPair keys = keyPair();
      X500Name name = new X500Name("CN=" + cn);
      JcaX509v3CertificateBuilder b = builder(name, name, keys);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
      X509Certificate cert = sign(b, keys);
      return new TestPki(new Issued(keys, cert, List.of(cert)));
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The CA certificate. */
  public X509Certificate caCertificate() {
    return ca.certificate();
  }

  /** The CA certificate as PEM. */
  public String caPem() {
    return pem(ca.certificate());
  }

  /** A serving certificate for {@code localhost} and {@code 127.0.0.1}. */
  public Issued server(String cn) {
    return leaf(cn, true, "EC");
  }

  /** A serving certificate as {@link #server} with an RSA 2048 key. */
  public Issued rsaServer(String cn) {
    return leaf(cn, true, "RSA");
  }

  /** A client certificate with common name {@code cn}. */
  public Issued client(String cn) {
    return leaf(cn, false, "EC");
  }

  private Issued leaf(String cn, boolean server, String keyAlgorithm) {
    try {
      KeyPair keys = keyAlgorithm.equals("RSA") ? rsaKeyPair() : keyPair();
      JcaX509v3CertificateBuilder b =
          builder(
              new X500Name(ca.certificate().getSubjectX500Principal().getName()),
              new X500Name("CN=" + cn),
              keys);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      b.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(
              server ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
      if (server) {
        b.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(
                new GeneralName[] {
                  new GeneralName(GeneralName.dNSName, "localhost"),
                  new GeneralName(GeneralName.iPAddress, "127.0.0.1")
                }));
      }
      X509Certificate cert = sign(b, ca.keys());
      return new Issued(keys, cert, List.of(cert, ca.certificate()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A client TLS context that trusts this CA's servers and presents {@code identity} (none when
   * null).
   */
  public SSLContext clientContext(Issued identity) {
    return clientContext(ca.certificate(), identity);
  }

  /** A client TLS context that trusts {@code trusted} and presents {@code identity} (or none). */
  public static SSLContext clientContext(X509Certificate trusted, Issued identity) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", trusted);
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      KeyManagerFactory kmf = null;
      if (identity != null) {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry(
            "me",
            identity.keys().getPrivate(),
            new char[0],
            identity.chain().toArray(new X509Certificate[0]));
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"));
    return gen.generateKeyPair();
  }

  static KeyPair rsaKeyPair() throws GeneralSecurityException {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    return gen.generateKeyPair();
  }

  private static JcaX509v3CertificateBuilder builder(
      X500Name issuer, X500Name subject, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        new BigInteger(64, RANDOM),
        Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(2))),
        subject,
        keys.getPublic());
  }

  private static X509Certificate sign(JcaX509v3CertificateBuilder b, KeyPair signer)
      throws Exception {
    return new JcaX509CertificateConverter()
        .getCertificate(
            b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
  }

  static String pem(Object... objects) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      for (Object o : objects) {
        w.writeObject(o);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }
}
