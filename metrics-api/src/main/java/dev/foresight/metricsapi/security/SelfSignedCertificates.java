package dev.foresight.metricsapi.security;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed serving certificate made at start-up when no certificate files are given, as
 * Kubernetes' sample API servers do. Its subject alternative names are the DNS names given (for
 * example {@code foresight-metrics-api.foresight.svc}) plus {@code localhost}; the aggregator only
 * accepts it when the APIService has {@code insecureSkipTLSVerify: true} or carries this very
 * certificate as caBundle, so production should mount a certificate signed by a CA in the caBundle.
 */
public final class SelfSignedCertificates {

  private SelfSignedCertificates() {}

  /** An ECDSA P-256 certificate for {@code dnsNames}, valid for one year from {@code now}. */
  public static ServingCertificate generate(List<String> dnsNames, Instant now) {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = gen.generateKeyPair();
      String cn = dnsNames.isEmpty() ? "localhost" : dnsNames.get(0);
      X500Name name = new X500Name("CN=" + cn);
      GeneralName[] sans = new GeneralName[dnsNames.size() + 1];
      for (int i = 0; i < dnsNames.size(); i++) {
        sans[i] = new GeneralName(GeneralName.dNSName, dnsNames.get(i));
      }
      sans[dnsNames.size()] = new GeneralName(GeneralName.dNSName, "localhost");
      JcaX509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              name,
              new BigInteger(64, new SecureRandom()),
              Date.from(now.minus(Duration.ofMinutes(5))),
              Date.from(now.plus(Duration.ofDays(365))),
              name,
              pair.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      b.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
      var cert =
          new JcaX509CertificateConverter()
              .getCertificate(
                  b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
      return new ServingCertificate(pair.getPrivate(), List.of(cert));
    } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
      throw new IllegalStateException("cannot generate a self-signed serving certificate", e);
    }
  }
}
