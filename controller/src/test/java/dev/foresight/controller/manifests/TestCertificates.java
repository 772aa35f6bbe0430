package dev.foresight.controller.manifests;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A CA and a serving certificate signed by it, written as the self-signed overlay expects them
 * ({@code ca.crt}, {@code tls.crt}, {@code tls.key}), as {@code generate-certs.sh} would.
 */
final class TestCertificates {

  private TestCertificates() {}

  /** Writes the three files into {@code dir} and returns the CA certificate's PEM. */
  static String writeInto(Path dir, List<String> dnsNames) throws Exception {
    KeyPair caKeys = ecKeys();
    X500Name caName = new X500Name("CN=foresight-ca");
    Instant now = Instant.now();
    X509CertificateHolder ca =
        new JcaX509v3CertificateBuilder(
                caName,
                BigInteger.ONE,
                Date.from(now),
                Date.from(now.plus(Duration.ofDays(1))),
                caName,
                caKeys.getPublic())
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
            .addExtension(
                Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
            .build(signer(caKeys));
    KeyPair serverKeys = ecKeys();
    GeneralName[] sans =
        dnsNames.stream()
            .map(n -> new GeneralName(GeneralName.dNSName, n))
            .toArray(GeneralName[]::new);
    X509CertificateHolder server =
        new JcaX509v3CertificateBuilder(
                caName,
                BigInteger.TWO,
                Date.from(now),
                Date.from(now.plus(Duration.ofDays(1))),
                new X500Name("CN=foresight"),
                serverKeys.getPublic())
            .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans))
            .build(signer(caKeys));
    String caPem = pem(ca);
    Files.writeString(dir.resolve("ca.crt"), caPem);
    Files.writeString(dir.resolve("tls.crt"), pem(server) + caPem);
    Files.writeString(
        dir.resolve("tls.key"), pem(new JcaPKCS8Generator(serverKeys.getPrivate(), null)));
    return caPem;
  }

  private static KeyPair ecKeys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static ContentSigner signer(KeyPair keys) throws Exception {
    return new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
  }

  private static String pem(Object o) throws IOException {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter p = new JcaPEMWriter(w)) {
      p.writeObject(o);
    }
    return w.toString();
  }
}
