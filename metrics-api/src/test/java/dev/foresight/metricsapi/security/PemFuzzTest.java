package dev.foresight.metricsapi.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.foresight.metricsapi.testing.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * 10,000 damaged serving certificate and key pairs (100 batches of 100, fixed seeds): truncated, a
 * base64 character changed, lines dropped or doubled, markers swapped, the key of another pair, a
 * certificate where the key belongs, empty or binary. Each starts from a pair of a small pool made
 * once: EC P-256 with a PKCS#8 key, the same with a SEC1 {@code EC PRIVATE KEY}, RSA 2048 with a
 * PKCS#1 {@code RSA PRIVATE KEY}, and a pair from another CA.
 *
 * <p>Each case is written over the served files and then both real paths read them from disk:
 * {@link FileServingCertificate#load} (start-up) either gives a pair whose key matches its
 * certificate or fails with an {@link IOException} naming a file; {@link
 * FileServingCertificate#reloadIfChanged} (rotation) agrees with it, installing exactly what loads
 * and otherwise logging one warning naming a file while the previous pair keeps serving.
 *
 * <p>Cost, measured here on 2 cores: the former 2,000 cases took 9 s, 3.3 ms each, of which the
 * test's own check that the served key matches (an ECDSA P-256 sign and verify, 0.55 + 1.05 ms) was
 * half. The served pair is now compared with the pool's known pairs by key (a sign and verify only
 * for a pair not in the pool); the loader still proves every pair it accepts by signing. Warnings
 * go to a list appender instead of the console, and each case is written once instead of twice.
 */
class PemFuzzTest {

  private static final long SEED = 0x5EEDCE27L;
  private static final TestPki CA = TestPki.newCa("serving-ca");
  private static final TestPki OTHER_CA = TestPki.newCa("other-ca");
  private static final TestPki.Issued GOOD = CA.server("good");
  private static final TestPki.Issued OTHER = OTHER_CA.server("other");
  private static final TestPki.Issued RSA = CA.rsaServer("rsa");

  @TempDir Path dir;

  static Stream<Arguments> batches() {
    SplittableRandom root = new SplittableRandom(SEED);
    return IntStream.range(0, 100).mapToObj(i -> Arguments.of(root.nextLong()));
  }

  private static final String BASE64 =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";

  static String damage(SplittableRandom r, String pem, String otherPem) {
    StringBuilder out = new StringBuilder(pem);
    switch (r.nextInt(9)) {
      case 0 -> out.setLength(r.nextInt(out.length()));
      case 1 -> {
        int at = r.nextInt(out.length());
        out.setCharAt(at, BASE64.charAt(r.nextInt(BASE64.length())));
      }
      case 2 -> {
        String[] lines = pem.split("\n");
        int drop = r.nextInt(lines.length);
        out.setLength(0);
        for (int i = 0; i < lines.length; i++) {
          if (i != drop) {
            out.append(lines[i]).append('\n');
          }
        }
      }
      case 3 -> out.append(pem); // the same block twice
      case 4 -> {
        return otherPem; // a certificate where a key belongs, another pair's key, ...
      }
      case 5 -> {
        return "";
      }
      case 6 -> {
        byte[] noise = new byte[r.nextInt(1, 600)];
        r.nextBytes(noise);
        return new String(noise, java.nio.charset.StandardCharsets.ISO_8859_1);
      }
      case 7 -> {
        return pem.replace("BEGIN", "END");
      }
      default -> {
        int at = r.nextInt(out.length());
        out.insert(at, "\u0000\r\n-----");
      }
    }
    return out.toString();
  }

  /** A pair of the pool as PEM text, with the key pair it must load as. */
  private record Source(String certPem, String keyPem, TestPki.Issued pair) {}

  private static final List<Source> POOL =
      List.of(
          new Source(GOOD.chainPem(), GOOD.pkcs8KeyPem(), GOOD),
          new Source(GOOD.chainPem(), GOOD.traditionalKeyPem(), GOOD),
          new Source(RSA.chainPem(), RSA.traditionalKeyPem(), RSA),
          new Source(OTHER.chainPem(), OTHER.pkcs8KeyPem(), OTHER));

  private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();
  private final Logger log = (Logger) LoggerFactory.getLogger(FileServingCertificate.class);

  @BeforeEach
  void captureWarnings() {
    warnings.start();
    log.addAppender(warnings);
    log.setAdditive(false); // 10,000 warnings would flood the build log
    log.setLevel(Level.WARN);
  }

  @AfterEach
  void releaseWarnings() {
    log.detachAppender(warnings);
    log.setAdditive(true);
    log.setLevel(null);
  }

  @ParameterizedTest(name = "batch seed {0}")
  @MethodSource("batches")
  void damagedFilesFailAtLoadNamingAFileAndNeverReplaceAGoodPair(long batchSeed)
      throws IOException {
    Path[] live = GOOD.writePem(dir, "live");
    String goodCert = Files.readString(live[0]);
    String goodKey = Files.readString(live[1]);
    FileServingCertificate serving = FileServingCertificate.load(live[0], live[1]);

    SplittableRandom batch = new SplittableRandom(batchSeed);
    for (int i = 0; i < 100; i++) {
      long seed = batch.nextLong();
      SplittableRandom r = new SplittableRandom(seed);
      Source source = POOL.get(r.nextInt(POOL.size()));
      Source another = POOL.get(r.nextInt(POOL.size()));
      boolean damageCert = r.nextBoolean();
      boolean damageKey = !damageCert || r.nextInt(4) == 0;
      String certText =
          damageCert
              ? damage(r, source.certPem(), r.nextBoolean() ? another.certPem() : source.keyPem())
              : source.certPem();
      String keyText =
          damageKey
              ? damage(r, source.keyPem(), r.nextBoolean() ? another.keyPem() : source.certPem())
              : source.keyPem();
      Files.writeString(live[0], certText, StandardCharsets.ISO_8859_1);
      Files.writeString(live[1], keyText, StandardCharsets.ISO_8859_1);

      ServingCertificate loaded = null;
      try {
        loaded = FileServingCertificate.load(live[0], live[1]).keyManager().current();
        assertThat(isAMatchingPair(loaded))
            .as("case seed %d: a loaded pair matches", seed)
            .isTrue();
      } catch (IOException e) {
        assertThat(e.getMessage())
            .as("case seed %d names a file", seed)
            .containsAnyOf(live[0].toString(), live[1].toString());
      } catch (RuntimeException e) {
        fail("case seed " + seed + " threw " + e, e);
      }

      warnings.list.clear();
      boolean unchanged = certText.equals(goodCert) && keyText.equals(goodKey);
      boolean reloaded = serving.reloadIfChanged();
      ServingCertificate served = serving.keyManager().current();
      if (loaded != null) {
        assertThat(reloaded || unchanged)
            .as("case seed %d: what loads at start-up is installed on reload", seed)
            .isTrue();
        assertThat(served.chain()).as("case seed %d", seed).isEqualTo(loaded.chain());
      } else {
        assertThat(reloaded)
            .as("case seed %d: what fails to load is not installed", seed)
            .isFalse();
        assertThat(served.leaf())
            .as("case seed %d: the good pair keeps serving", seed)
            .isEqualTo(GOOD.certificate());
        assertThat(warnings.list)
            .as("case seed %d: one warning naming the files", seed)
            .singleElement()
            .satisfies(
                w ->
                    assertThat(w.getFormattedMessage())
                        .contains(live[0].toString(), live[1].toString()));
      }

      Files.writeString(live[0], goodCert);
      Files.writeString(live[1], goodKey);
      serving.reloadIfChanged();
      assertThat(serving.keyManager().current().leaf())
          .as("case seed %d: the good pair is back", seed)
          .isEqualTo(GOOD.certificate());
    }
  }

  /**
   * Whether the key is its certificate's: a pair of the pool is recognised by its key, any other
   * (damage that still parses into a different certificate) is proven by signing and verifying.
   */
  private static boolean isAMatchingPair(ServingCertificate loaded) {
    X509Certificate leaf = loaded.leaf();
    for (Source s : POOL) {
      if (s.pair().certificate().getPublicKey().equals(leaf.getPublicKey())
          && sameKey(s.pair().keys().getPrivate(), loaded.key())) {
        return true;
      }
    }
    return FileServingCertificate.matches(loaded.key(), leaf);
  }

  private static boolean sameKey(PrivateKey a, PrivateKey b) {
    if (a instanceof ECPrivateKey x && b instanceof ECPrivateKey y) {
      return x.getS().equals(y.getS()) && x.getParams().getCurve().equals(y.getParams().getCurve());
    }
    if (a instanceof RSAPrivateKey x && b instanceof RSAPrivateKey y) {
      return x.getModulus().equals(y.getModulus())
          && x.getPrivateExponent().equals(y.getPrivateExponent());
    }
    return false;
  }
}
