package dev.foresight.controller.testing;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
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
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away certificate authority issuing ECDSA server and client certificates for tests. */
public final class TestPki {

  private static final AtomicLong SERIAL = new AtomicLong(1);

  /** A key pair and its certificate. */
  public record Issued(KeyPair keys, X509Certificate certificate) {

    /** Writes {@code <name>.crt} and a PKCS#8 {@code <name>.key}; returns {certificate, key}. */
    public Path[] writePem(Path dir, String name) throws Exception {
      Path crt = Files.writeString(dir.resolve(name + ".crt"), pem(certificate));
      Path key =
          Files.writeString(
              dir.resolve(name + ".key"), pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
      return new Path[] {crt, key};
    }

    /** The certificate as PEM. */
    public String certificatePem() throws Exception {
      return pem(certificate);
    }

    /** The private key as PKCS#8 PEM. */
    public String privateKeyPem() {
      return pem("PRIVATE KEY", keys.getPrivate().getEncoded());
    }
  }

  private final Issued ca;
  private final X500Name name;

  private TestPki(Issued ca, X500Name name) {
    this.ca = ca;
    this.name = name;
  }

  /** A new self-signed CA named {@code CN=<cn>}. */
  public static TestPki newCa(String cn) throws Exception {
    KeyPair keys = keyPair();
    X500Name name = new X500Name("CN=" + cn);
    JcaX509v3CertificateBuilder b = builder(name, name, keys);
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    return new TestPki(new Issued(keys, sign(b, keys)), name);
  }

  public X509Certificate caCertificate() {
    return ca.certificate();
  }

  /** The CA certificate as PEM. */
  public String caPem() throws Exception {
    return pem(ca.certificate());
  }

  /** Writes the CA certificate as PEM to {@code file}. */
  public Path writeCa(Path file) throws Exception {
    return Files.writeString(file, pem(ca.certificate()));
  }

  /** A server certificate for IP address 127.0.0.1. */
  public Issued server() throws Exception {
    KeyPair keys = keyPair();
    JcaX509v3CertificateBuilder b = builder(name, new X500Name("CN=127.0.0.1"), keys);
    b.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
    b.addExtension(
        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    return new Issued(keys, sign(b, ca.keys()));
  }

  /** A client certificate with common name {@code cn}. */
  public Issued client(String cn) throws Exception {
    KeyPair keys = keyPair();
    JcaX509v3CertificateBuilder b = builder(name, new X500Name("CN=" + cn), keys);
    b.addExtension(
        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
    return new Issued(keys, sign(b, ca.keys()));
  }

  /**
   * A client TLS context trusting {@code serverCa} and presenting {@code identity}, or no
   * certificate when it is null.
   */
  public static SSLContext clientContext(X509Certificate serverCa, Issued identity)
      throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", serverCa);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    char[] pw = "test".toCharArray();
    if (identity != null) {
      ks.setKeyEntry(
          "client",
          identity.keys().getPrivate(),
          pw,
          new X509Certificate[] {identity.certificate()});
    }
    kmf.init(ks, pw);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return context;
  }

  private static KeyPair keyPair() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(256);
    return gen.generateKeyPair();
  }

  private static JcaX509v3CertificateBuilder builder(
      X500Name issuer, X500Name subject, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        BigInteger.valueOf(SERIAL.getAndIncrement()),
        Date.from(now.minus(Duration.ofMinutes(5))),
        Date.from(now.plus(Duration.ofDays(1))),
        subject,
        keys.getPublic());
  }

  private static X509Certificate sign(JcaX509v3CertificateBuilder b, KeyPair signer)
      throws Exception {
    return new JcaX509CertificateConverter()
        .getCertificate(
            b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
  }

  private static String pem(X509Certificate certificate) throws Exception {
    return pem("CERTIFICATE", certificate.getEncoded());
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + new String(
            Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encode(der),
            StandardCharsets.US_ASCII)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
