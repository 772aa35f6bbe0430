package dev.foresight.metricsapi.security;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** Reads PEM certificates and private keys (PKCS#1 RSA, SEC1 EC, PKCS#8) with BouncyCastle. */
public final class Pem {

  private Pem() {}

  /** Every certificate in {@code pem}, in order; fails when there is none. */
  public static List<X509Certificate> certificates(String pem, String source) throws IOException {
    List<X509Certificate> out = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
      Object o;
      while ((o = parser.readObject()) != null) {
        if (o instanceof X509CertificateHolder holder) {
          out.add(converter.getCertificate(holder));
        }
      }
    } catch (CertificateException e) {
      throw new IOException(source + ": unreadable certificate: " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      // BouncyCastle reports damaged PEM or DER as PEMException or IllegalArgumentException,
      // neither naming the file: name it here.
      throw new IOException(source + ": unreadable PEM: " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new IOException(source + ": expected PEM 'CERTIFICATE' blocks, found none");
    }
    return out;
  }

  /** Every certificate in the file {@code path}. */
  public static List<X509Certificate> certificates(Path path) throws IOException {
    return certificates(Files.readString(path, StandardCharsets.US_ASCII), path.toString());
  }

  /** The first private key in {@code pem}; {@code source} names it in errors. */
  public static PrivateKey privateKey(String pem, String source) throws IOException {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      Object o;
      while ((o = parser.readObject()) != null) {
        if (o instanceof PEMKeyPair pair) {
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
      }
    } catch (IOException | RuntimeException e) {
      // As for certificates: damaged input fails inside BouncyCastle without the file's name.
      throw new IOException(source + ": unreadable private key: " + e.getMessage(), e);
    }
    throw new IOException(
        source + ": expected a PEM 'PRIVATE KEY', 'RSA PRIVATE KEY' or 'EC PRIVATE KEY' block");
  }
}
