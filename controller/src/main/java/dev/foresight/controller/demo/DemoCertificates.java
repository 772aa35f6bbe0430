package dev.foresight.controller.demo;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The demo's stand-in for the Kubernetes aggregator's front proxy: a request-header CA and one
 * client certificate it signed ({@code CN=front-proxy-client}), written as PEM to a directory, so
 * that the external metrics API can run with mTLS on loopback and be called with curl as the
 * aggregator would call it (client certificate plus {@code X-Remote-User}).
 */
final class DemoCertificates {
  /** The client certificate's common name, the aggregator's usual one. */
  static final String CLIENT_NAME = "front-proxy-client";

  private DemoCertificates() {}

  /** Writes {@code ca.crt}, {@code client.crt} and {@code client.key} to {@code dir}. */
  static void write(Path dir, Instant now) throws IOException {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair ca = gen.generateKeyPair();
      KeyPair client = gen.generateKeyPair();
      X500Name caName = new X500Name("CN=foresight-demo-requestheader-ca");
      JcaX509v3CertificateBuilder caBuilder = builder(caName, caName, ca, now);
      caBuilder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      caBuilder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      X509Certificate caCert = sign(caBuilder, ca);
      JcaX509v3CertificateBuilder clientBuilder =
          builder(caName, new X500Name("CN=" + CLIENT_NAME), client, now);
      clientBuilder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      clientBuilder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      clientBuilder.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
      X509Certificate clientCert = sign(clientBuilder, ca);
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("ca.crt"), pem(caCert));
      Files.writeString(dir.resolve("client.crt"), pem(clientCert));
      Files.writeString(
          dir.resolve("client.key"), pem(new JcaPKCS8Generator(client.getPrivate(), null)));
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot generate the demo's request-header certificates", e);
    }
  }

  private static JcaX509v3CertificateBuilder builder(
      X500Name issuer, X500Name subject, KeyPair subjectKeys, Instant now) {
    return new JcaX509v3CertificateBuilder(
        issuer,
        new BigInteger(64, new SecureRandom()),
        Date.from(now.minus(Duration.ofMinutes(5))),
        Date.from(now.plus(Duration.ofDays(1))),
        subject,
        subjectKeys.getPublic());
  }

  private static X509Certificate sign(JcaX509v3CertificateBuilder b, KeyPair issuer)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(
            b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
  }

  private static String pem(Object o) throws IOException {
    StringWriter s = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(s)) {
      w.writeObject(o);
    }
    return s.toString();
  }
}
