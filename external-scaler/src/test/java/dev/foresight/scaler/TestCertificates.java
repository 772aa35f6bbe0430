package dev.foresight.scaler;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Real X.509 certificates for TLS tests, generated with BouncyCastle: certificate authorities,
 * server certificates (for {@code localhost} and {@code 127.0.0.1}) and client certificates, all EC
 * P-256, written as PEM (keys as PKCS#8) like cert-manager writes them into a Secret.
 */
final class TestCertificates {

  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private TestCertificates() {}

  /** A key and the certificate for it. */
  record Issued(X509Certificate certificate, PrivateKey key) {

    /**
     * Writes the certificate to {@code cert} and the key to {@code key}, each replaced atomically.
     */
    void write(Path cert, Path key) throws IOException {
      writeAtomically(cert, pem(certificate));
      writeAtomically(key, pem(new JcaPKCS8Generator(key(), null).generate()));
    }
  }

  /** A certificate authority that issues server and client certificates. */
  record Authority(Issued self) {

    static Authority create(String name) {
      KeyPair keys = keyPair();
      X500Name subject = new X500Name("CN=" + name);
      try {
        return new Authority(
            new Issued(
                sign(
                    builder(subject, subject, keys)
                        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                        .addExtension(
                            Extension.keyUsage,
                            true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)),
                    keys.getPrivate()),
                keys.getPrivate()));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    /** A server certificate valid for {@code localhost} and {@code 127.0.0.1}. */
    Issued server(String name) {
      return issue(name, KeyPurposeId.id_kp_serverAuth, true);
    }

    /** A client certificate. */
    Issued client(String name) {
      return issue(name, KeyPurposeId.id_kp_clientAuth, false);
    }

    void writeCertificate(Path file) throws IOException {
      writeAtomically(file, pem(self.certificate()));
    }

    private Issued issue(String name, KeyPurposeId purpose, boolean server) {
      KeyPair keys = keyPair();
      X500Name issuer =
          X500Name.getInstance(self.certificate().getSubjectX500Principal().getEncoded());
      try {
        X509v3CertificateBuilder builder =
            builder(issuer, new X500Name("CN=" + name), keys)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(
                    Extension.keyUsage,
                    true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                .addExtension(
                    Extension.authorityKeyIdentifier,
                    false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(self.certificate()));
        if (server) {
          builder.addExtension(
              Extension.subjectAlternativeName,
              false,
              new GeneralNames(
                  new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")
                  }));
        }
        return new Issued(sign(builder, self.key()), keys.getPrivate());
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static JcaX509v3CertificateBuilder builder(
      X500Name issuer, X500Name subject, KeyPair keys) {
    Instant now = Instant.now();
    try {
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuer,
              BigInteger.valueOf(SERIAL.incrementAndGet()),
              Date.from(now.minus(Duration.ofMinutes(5))),
              Date.from(now.plus(Duration.ofDays(1))),
              subject,
              keys.getPublic());
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
      return builder;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair keyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  /**
   * Writes beside the target and renames, as a Secret volume update does, so readers never see half
   * a file.
   */
  private static void writeAtomically(Path file, String content) throws IOException {
    Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
    Files.writeString(temp, content, StandardCharsets.US_ASCII);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
