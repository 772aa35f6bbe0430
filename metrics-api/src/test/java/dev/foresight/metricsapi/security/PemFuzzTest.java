package dev.foresight.metricsapi.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.foresight.metricsapi.testing.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 2,000 damaged serving certificate and key pairs (about 10 ms each here: key matching signs and
 * verifies, and each case loads and reloads from disk; 10,000 took 108 s, too long for the build):
 * truncated, a base64 character changed, lines dropped or doubled, markers swapped, the key of
 * another pair, empty or binary. Loading either succeeds with a key that matches its certificate or
 * fails with an {@link IOException} naming a file; reloading the same damage over a good pair keeps
 * serving the good pair.
 */
class PemFuzzTest {

  private static final long SEED = 0x5EEDCE27L;
  private static final TestPki CA = TestPki.newCa("serving-ca");
  private static final TestPki OTHER_CA = TestPki.newCa("other-ca");
  private static final TestPki.Issued GOOD = CA.server("good");
  private static final TestPki.Issued OTHER = OTHER_CA.server("other");

  @TempDir Path dir;

  static Stream<Arguments> batches() {
    SplittableRandom root = new SplittableRandom(SEED);
    return IntStream.range(0, 20).mapToObj(i -> Arguments.of(root.nextLong()));
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

  @ParameterizedTest(name = "batch seed {0}")
  @MethodSource("batches")
  void damagedFilesFailAtLoadNamingAFileAndNeverReplaceAGoodPair(long batchSeed)
      throws IOException {
    Path[] good = GOOD.writePem(dir, "good");
    Path[] other = OTHER.writePem(dir, "other");
    String goodCert = Files.readString(good[0]);
    String goodKey = Files.readString(good[1]);
    String otherCert = Files.readString(other[0]);
    String otherKey = Files.readString(other[1]);
    Path[] live = GOOD.writePem(dir, "live");
    FileServingCertificate serving = FileServingCertificate.load(live[0], live[1]);
    Path cert = dir.resolve("fuzz.crt");
    Path key = dir.resolve("fuzz.key");

    SplittableRandom batch = new SplittableRandom(batchSeed);
    for (int i = 0; i < 100; i++) {
      long seed = batch.nextLong();
      SplittableRandom r = new SplittableRandom(seed);
      boolean damageCert = r.nextBoolean();
      boolean damageKey = !damageCert || r.nextInt(4) == 0;
      String certText =
          damageCert ? damage(r, goodCert, r.nextBoolean() ? otherCert : goodKey) : goodCert;
      String keyText =
          damageKey ? damage(r, goodKey, r.nextBoolean() ? otherKey : goodCert) : goodKey;
      Files.writeString(cert, certText, java.nio.charset.StandardCharsets.ISO_8859_1);
      Files.writeString(key, keyText, java.nio.charset.StandardCharsets.ISO_8859_1);
      try {
        FileServingCertificate loaded = FileServingCertificate.load(cert, key);
        ServingCertificate now = loaded.keyManager().current();
        assertThat(FileServingCertificate.matches(now.key(), now.leaf()))
            .as("case seed %d: a loaded pair matches", seed)
            .isTrue();
      } catch (IOException e) {
        assertThat(e.getMessage())
            .as("case seed %d names a file", seed)
            .containsAnyOf(cert.toString(), key.toString());
      } catch (RuntimeException e) {
        fail("case seed " + seed + " threw " + e, e);
      }

      // The same damage written over the live pair: a reload keeps the good pair unless the
      // damaged files still hold a matching pair.
      Files.writeString(live[0], certText, java.nio.charset.StandardCharsets.ISO_8859_1);
      Files.writeString(live[1], keyText, java.nio.charset.StandardCharsets.ISO_8859_1);
      serving.reloadIfChanged();
      ServingCertificate served = serving.keyManager().current();
      assertThat(FileServingCertificate.matches(served.key(), served.leaf()))
          .as("case seed %d: the served pair matches", seed)
          .isTrue();
      Files.writeString(live[0], goodCert);
      Files.writeString(live[1], goodKey);
      serving.reloadIfChanged();
      assertThat(serving.keyManager().current().leaf())
          .as("case seed %d: the good pair is back", seed)
          .isEqualTo(GOOD.certificate());
    }
  }
}
