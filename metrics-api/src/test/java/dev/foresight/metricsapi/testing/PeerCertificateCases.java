package dev.foresight.metricsapi.testing;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.SplittableRandom;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Generated client certificate chains for the servers' peer verification: valid ones, and ones that
 * are expired, not yet valid, from a CA that is not trusted, self-signed, signed with a forged
 * issuer name, for the wrong purpose, or with a truncated or malformed chain.
 *
 * <p>Made cheap enough for 10,000 cases: the CAs, intermediates and leaf keys are a pool made once
 * (EC P-256 and RSA 2048), and each case signs one new leaf with its own serial number, validity
 * and extensions, drawn from its seed. Everything else about a case follows from the seed, so a
 * failing case is reproduced from the seed in the test's message.
 *
 * <p>Usage: {@code Case c = new PeerCertificateCases().next(seed);} then present {@code c.chain()}
 * with {@code c.key()}; the servers must trust {@link #trustedCas()}.
 */
public final class PeerCertificateCases {

  /** The common name every case carries unless its kind is {@link Kind#WRONG_COMMON_NAME}. */
  public static final String CLIENT_NAME = "front-proxy-client";

  private static final Duration MARGIN = Duration.ofHours(1);

  /** What a case is. */
  public enum Kind {
    /** Issued by a trusted CA for client authentication, inside its validity. */
    VALID,
    /** Issued by an intermediate of a trusted CA, the intermediate in the chain. */
    VALID_VIA_INTERMEDIATE,
    /** Past its notAfter. */
    EXPIRED,
    /** Before its notBefore. */
    NOT_YET_VALID,
    /** Issued by a CA that is not trusted. */
    WRONG_CA,
    /** Signed by its own key. */
    SELF_SIGNED,
    /** Names a trusted CA as issuer but is signed by another key. */
    FORGED_ISSUER,
    /** Extended key usage serverAuth only. */
    SERVER_AUTH_ONLY,
    /** Key usage without digitalSignature (keyEncipherment only). */
    NO_DIGITAL_SIGNATURE,
    /** Issued by an intermediate that the chain leaves out. */
    TRUNCATED_CHAIN,
    /** Issued by an intermediate that has expired. */
    EXPIRED_INTERMEDIATE,
    /** Issued by a certificate that is not a CA (basicConstraints CA:false). */
    ISSUED_BY_A_LEAF,
    /** Valid, but with a common name other than {@link #CLIENT_NAME}. */
    WRONG_COMMON_NAME
  }

  /**
   * One generated client identity.
   *
   * @param seed reproduces the case
   * @param kind what it is
   * @param chain as the client presents it, leaf first
   * @param key the leaf's private key
   */
  public record Case(long seed, Kind kind, List<X509Certificate> chain, PrivateKey key) {

    /** The leaf certificate. */
    public X509Certificate leaf() {
      return chain.get(0);
    }

    /** The chain as PEM, leaf first. */
    public String chainPem() {
      return pem(chain.toArray());
    }

    /** The key as PKCS#8 PEM. */
    public String keyPem() {
      try {
        return pem(new JcaPKCS8Generator(key, null).generate());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public String toString() {
      return kind + " (case seed " + seed + ")";
    }
  }

  private record Authority(X509Certificate certificate, KeyPair keys) {}

  private final Instant now = Instant.now();
  private final Authority ecRoot = root("client-ca-ec", ecKeys());
  private final Authority rsaRoot = root("client-ca-rsa", rsaKeys());
  private final List<Authority> trusted = List.of(ecRoot, rsaRoot);
  private final List<Authority> untrusted =
      List.of(root("client-ca-ec", ecKeys()), root("someone-else", ecKeys()));
  private final Authority intermediate = intermediate(rsaRoot, "intermediate", true, false);
  private final Authority expiredIntermediate = intermediate(ecRoot, "expired", true, true);
  private final Authority notACa = intermediate(rsaRoot, CLIENT_NAME, false, false);
  private final KeyPair forger = ecKeys();
  private final List<KeyPair> leafKeys = List.of(ecKeys(), ecKeys(), ecKeys(), ecKeys(), rsaKeys());

  /** The CAs the servers must trust for client certificates. */
  public List<X509Certificate> trustedCas() {
    return trusted.stream().map(Authority::certificate).toList();
  }

  /** {@link #trustedCas()} as one PEM bundle. */
  public String trustedCasPem() {
    return pem(trustedCas().toArray());
  }

  /** A case of every kind in turn, {@code count} in all, from {@code seed}. */
  public List<Case> sample(long seed, int count) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Case> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(next(r.nextLong(), Kind.values()[i % Kind.values().length]));
    }
    return out;
  }

  /** The case for {@code seed}, of a kind drawn from it. */
  public Case next(long seed) {
    return next(seed, Kind.values()[new SplittableRandom(seed).nextInt(Kind.values().length)]);
  }

  /** The case for {@code seed} of the given kind. */
  public Case next(long seed, Kind kind) {
    SplittableRandom r = new SplittableRandom(seed ^ kind.ordinal());
    KeyPair keys = leafKeys.get(r.nextInt(leafKeys.size()));
    Authority root = trusted.get(r.nextInt(trusted.size()));
    String name = kind == Kind.WRONG_COMMON_NAME ? "someone-" + r.nextInt(1000) : CLIENT_NAME;
    Instant notBefore = now.minus(between(r, MARGIN, Duration.ofDays(300)));
    Instant notAfter = now.plus(between(r, MARGIN, Duration.ofDays(400)));
    if (kind == Kind.EXPIRED) {
      notAfter = now.minus(between(r, MARGIN, Duration.ofDays(300)));
      notBefore = notAfter.minus(between(r, MARGIN, Duration.ofDays(400)));
    } else if (kind == Kind.NOT_YET_VALID) {
      notBefore = now.plus(between(r, MARGIN, Duration.ofDays(300)));
      notAfter = notBefore.plus(between(r, MARGIN, Duration.ofDays(400)));
    }
    X500Name issuerName = name(root.certificate());
    PrivateKey signer = root.keys().getPrivate();
    List<X509Certificate> rest = new ArrayList<>();
    switch (kind) {
      case VALID_VIA_INTERMEDIATE, TRUNCATED_CHAIN, EXPIRED_INTERMEDIATE, ISSUED_BY_A_LEAF -> {
        Authority via =
            switch (kind) {
              case EXPIRED_INTERMEDIATE -> expiredIntermediate;
              case ISSUED_BY_A_LEAF -> notACa;
              default -> intermediate;
            };
        issuerName = name(via.certificate());
        signer = via.keys().getPrivate();
        if (kind != Kind.TRUNCATED_CHAIN) {
          rest.add(via.certificate());
        }
      }
      case WRONG_CA -> {
        Authority other = untrusted.get(r.nextInt(untrusted.size()));
        issuerName = name(other.certificate());
        signer = other.keys().getPrivate();
        if (r.nextBoolean()) {
          rest.add(other.certificate());
        }
      }
      case SELF_SIGNED -> {
        issuerName = new X500Name("CN=" + name);
        signer = keys.getPrivate();
      }
      case FORGED_ISSUER -> signer = forger.getPrivate();
      default -> {
        // issued by a trusted root; clients sometimes send the root along
        if (r.nextInt(4) == 0) {
          rest.add(root.certificate());
        }
      }
    }
    int keyUsage =
        kind == Kind.NO_DIGITAL_SIGNATURE
            ? KeyUsage.keyEncipherment
            : KeyUsage.digitalSignature
                | (r.nextBoolean() ? KeyUsage.keyEncipherment : KeyUsage.keyAgreement);
    KeyPurposeId[] purposes =
        kind == Kind.SERVER_AUTH_ONLY
            ? new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth}
            : switch (r.nextInt(3)) {
              case 0 -> new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth};
              case 1 ->
                  new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth};
              default -> null; // no extendedKeyUsage extension: any purpose
            };
    try {
      JcaX509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              issuerName,
              new BigInteger(63, new java.util.Random(r.nextLong())).add(BigInteger.ONE),
              Date.from(notBefore),
              Date.from(notAfter),
              new X500Name("CN=" + name),
              keys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      if (kind == Kind.NO_DIGITAL_SIGNATURE || r.nextInt(5) != 0) {
        b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
      }
      if (purposes != null) {
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
      }
      List<X509Certificate> chain = new ArrayList<>();
      chain.add(sign(b, signer));
      chain.addAll(rest);
      return new Case(seed, kind, List.copyOf(chain), keys.getPrivate());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Duration between(SplittableRandom r, Duration min, Duration max) {
    return Duration.ofSeconds(r.nextLong(min.toSeconds(), max.toSeconds()));
  }

  private static X500Name name(X509Certificate c) {
    return X500Name.getInstance(c.getSubjectX500Principal().getEncoded());
  }

  private Authority root(String cn, KeyPair keys) {
    X500Name name = new X500Name("CN=" + cn);
    return new Authority(ca(name, name, keys.getPublic(), keys.getPrivate(), true, false), keys);
  }

  private Authority intermediate(Authority parent, String cn, boolean isCa, boolean expired) {
    KeyPair keys = ecKeys();
    X509Certificate cert =
        ca(
            name(parent.certificate()),
            new X500Name("CN=" + cn),
            keys.getPublic(),
            parent.keys().getPrivate(),
            isCa,
            expired);
    return new Authority(cert, keys);
  }

  private X509Certificate ca(
      X500Name issuer,
      X500Name subject,
      PublicKey key,
      PrivateKey signer,
      boolean isCa,
      boolean expired) {
    Instant notAfter = expired ? now.minus(Duration.ofDays(1)) : now.plus(Duration.ofDays(3650));
    try {
      JcaX509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              issuer,
              BigInteger.valueOf(System.nanoTime()),
              Date.from(now.minus(Duration.ofDays(3650))),
              Date.from(notAfter),
              subject,
              key);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
      b.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(isCa ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
      return sign(b, signer);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate sign(JcaX509v3CertificateBuilder b, PrivateKey signer) {
    String algorithm = signer.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(b.build(new JcaContentSignerBuilder(algorithm).build(signer)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair ecKeys() {
    try {
      return TestPki.keyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair rsaKeys() {
    try {
      return TestPki.rsaKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(Object... objects) {
    return TestPki.pem(objects);
  }
}
