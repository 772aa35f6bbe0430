package dev.foresight.scaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever KEDA sends, parsing ends in a result or in problems, never in another exception. Cases
 * come from a fixed seed; each case's seed is in its name so that a failure can be replayed.
 */
class ScalerMetadataPropertiesTest {

  private static final long SEED = 0x5EED4EDAL;

  static Stream<Arguments> seeds() {
    SplittableRandom root = new SplittableRandom(SEED);
    return IntStream.range(0, 2000).mapToObj(i -> Arguments.of(root.nextLong()));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void parsesOrReportsProblemsNeverThrowsAnythingElse(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    String namespace = TriggerMetadataGenerator.name(r);
    String name = TriggerMetadataGenerator.name(r);
    Map<String, String> metadata = TriggerMetadataGenerator.metadata(r);
    try {
      ScalerMetadata parsed =
          ScalerMetadata.parse(
              namespace, name, new HashMap<>(metadata), PolicySpecInlineParser.INSTANCE);
      assertThat(parsed.namespace()).isEqualTo(namespace);
    } catch (InvalidMetadataException e) {
      assertThat(e.problems()).isNotEmpty();
      assertThat(e.getMessage()).contains(namespace + "/" + name);
    } catch (RuntimeException e) {
      fail("seed " + seed + ": " + metadata + " threw " + e, e);
    }
  }
}
