package dev.foresight.controller.prometheus;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away CA and a server certificate for 127.0.0.1 it signed, for TLS tests. */
final class TestCertificates {

  final X509Certificate ca;
  final SSLContext serverContext;

  TestCertificates() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(256);
    KeyPair caKeys = gen.generateKeyPair();
    KeyPair serverKeys = gen.generateKeyPair();
    Instant now = Instant.now();
    X500Name caName = new X500Name("CN=foresight test CA");
    var caBuilder =
        new JcaX509v3CertificateBuilder(
            caName,
            BigInteger.ONE,
            Date.from(now.minus(Duration.ofMinutes(1))),
            Date.from(now.plus(Duration.ofDays(1))),
            caName,
            caKeys.getPublic());
    caBuilder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    var converter = new JcaX509CertificateConverter();
    ca =
        converter.getCertificate(
            caBuilder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
    var serverBuilder =
        new JcaX509v3CertificateBuilder(
            caName,
            BigInteger.TWO,
            Date.from(now.minus(Duration.ofMinutes(1))),
            Date.from(now.plus(Duration.ofDays(1))),
            new X500Name("CN=127.0.0.1"),
            serverKeys.getPublic());
    serverBuilder.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
    X509Certificate server =
        converter.getCertificate(
            serverBuilder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    char[] pw = "test".toCharArray();
    ks.setKeyEntry("server", serverKeys.getPrivate(), pw, new X509Certificate[] {server, ca});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, pw);
    serverContext = SSLContext.getInstance("TLS");
    serverContext.init(kmf.getKeyManagers(), null, null);
  }

  /** Writes the CA certificate as PEM to {@code file}. */
  Path writeCa(Path file) throws Exception {
    StringWriter pem = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(pem)) {
      w.writeObject(ca);
    }
    return Files.writeString(file, pem.toString());
  }
}
