package dev.foresight.scaler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever KEDA sends, parsing ends in a result or in problems, never in another exception. */
class ScalerMetadataPropertiesTest {

  @Provide
  Arbitrary<String> keys() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            "policy",
            "policyFromEnv",
            "targetKind",
            "targetName",
            "scalerAddress",
            "enableTLS",
            "minReplicas",
            "maxReplicas",
            "tolerance",
            "target.queue",
            "target.ttft_p95",
            "target.kv_cache",
            "target.nope",
            "scaleDown.policies",
            "scaleUp.selectPolicy",
            "idleBeforeScaleToZero",
            "FromEnv"),
        Arbitraries.strings().ofMaxLength(20));
  }

  @Provide
  Arbitrary<String> values() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            "", " ", "0", "-1", "4", "1.5", "NaN", "Infinity", "800ms", "llama", "Pods=4/15s", "x"),
        Arbitraries.strings().ofMaxLength(30));
  }

  @Provide
  Arbitrary<Map<String, String>> metadata() {
    return Arbitraries.maps(keys(), values()).ofMaxSize(6);
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.oneOf(
        Arbitraries.of("llm", "vllm-llama", "a.b", "", "Bad_Name", "-x"),
        Arbitraries.strings().ofMaxLength(70));
  }

  @Property(tries = 2000)
  void parsesOrReportsProblemsNeverThrowsAnythingElse(
      @ForAll("names") String namespace,
      @ForAll("names") String name,
      @ForAll("metadata") Map<String, String> metadata) {
    try {
      ScalerMetadata parsed =
          ScalerMetadata.parse(namespace, name, metadata, PolicySpecInlineParser.INSTANCE);
      assertThat(parsed.namespace()).isEqualTo(namespace);
    } catch (InvalidMetadataException e) {
      assertThat(e.problems()).isNotEmpty();
      assertThat(e.getMessage()).contains(namespace + "/" + name);
    }
  }
}
