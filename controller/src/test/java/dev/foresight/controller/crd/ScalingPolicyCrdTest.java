package dev.foresight.controller.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.foresight.controller.prometheus.Presets;
import dev.foresight.policy.PolicySpec;
import dev.foresight.policy.PolicySpecParser;
import dev.foresight.policy.RatePolicy;
import dev.foresight.policy.Signal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CRD in manifests/ stays in step with the policy keys, the presets and the example. */
class ScalingPolicyCrdTest {

  // Surefire runs in the module directory; manifests/ is beside it.
  private static final Path MANIFESTS = Path.of("..", "manifests");
  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

  private JsonNode crd() throws Exception {
    return yaml.readTree(MANIFESTS.resolve("base/crd/scalingpolicy.yaml").toFile());
  }

  private JsonNode specSchema() throws Exception {
    return crd()
        .path("spec")
        .path("versions")
        .get(0)
        .path("schema")
        .path("openAPIV3Schema")
        .path("properties")
        .path("spec")
        .path("properties");
  }

  @Test
  void namesGroupVersionAndPrinterColumns() throws Exception {
    JsonNode crd = crd();
    assertThat(crd.path("apiVersion").asText()).isEqualTo("apiextensions.k8s.io/v1");
    assertThat(crd.path("metadata").path("name").asText())
        .isEqualTo("scalingpolicies.autoscaling.foresight.dev");
    assertThat(crd.path("spec").path("names").path("kind").asText()).isEqualTo("ScalingPolicy");
    JsonNode v = crd.path("spec").path("versions").get(0);
    assertThat(v.path("name").asText()).isEqualTo("v1alpha1");
    assertThat(v.path("subresources").has("status")).isTrue();
    List<String> columns = new ArrayList<>();
    v.path("additionalPrinterColumns").forEach(c -> columns.add(c.path("name").asText()));
    assertThat(columns).containsExactly("Target", "Desired", "Current", "Reason", "Age");
    List<String> conditions = new ArrayList<>();
    v.path("schema")
        .path("openAPIV3Schema")
        .path("properties")
        .path("status")
        .path("properties")
        .path("conditions")
        .path("items")
        .path("properties")
        .path("type")
        .path("enum")
        .forEach(c -> conditions.add(c.asText()));
    assertThat(conditions).containsExactly("Ready", "Active", "Stale", "Fallback");
  }

  @Test
  void presetEnumIsTheRegistry() throws Exception {
    List<String> presets = new ArrayList<>();
    specSchema()
        .path("signals")
        .path("properties")
        .path("preset")
        .path("enum")
        .forEach(p -> presets.add(p.asText()));
    assertThat(presets).containsExactlyElementsOf(Presets.names());
  }

  @Test
  void everyPolicyKeyHasASchemaField() throws Exception {
    JsonNode policy = specSchema().path("policy").path("properties");
    for (String key : PolicySpecParser.KNOWN_KEYS) {
      JsonNode field;
      if (key.startsWith("target.")) {
        field = policy.path("targets").path("properties").path(key.substring(7));
      } else if (key.startsWith("scaleUp.") || key.startsWith("scaleDown.")) {
        String[] p = key.split("\\.");
        field = policy.path("behavior").path("properties").path(p[0]).path("properties").path(p[1]);
      } else if (key.startsWith("guardRails.")) {
        field = policy.path("guardRails").path("properties").path(key.substring(11));
      } else {
        field = policy.path(key);
      }
      assertThat(field.isMissingNode()).as("schema field for policy key " + key).isFalse();
    }
    for (Signal s : Signal.values()) {
      assertThat(
              specSchema()
                  .path("signals")
                  .path("properties")
                  .path("queries")
                  .path("properties")
                  .has(s.wireName()))
          .as("custom query field for " + s.wireName())
          .isTrue();
    }
  }

  @Test
  void exampleMapsOntoTheTypedSpec() throws Exception {
    JsonNode example =
        yaml.readTree(MANIFESTS.resolve("examples/scalingpolicy-vllm.yaml").toFile());
    PolicySpec spec =
        PolicySpecParser.parse(ScalingPolicyKeys.flatten(example.path("spec").path("policy")));
    assertThat(spec.minReplicas()).isEqualTo(1);
    assertThat(spec.maxReplicas()).isEqualTo(16);
    assertThat(spec.targets())
        .containsEntry(Signal.QUEUE, 4.0)
        .containsEntry(Signal.TTFT_P95, 0.8)
        .containsEntry(Signal.KV_CACHE, 0.8);
    assertThat(spec.scaleUp().policies())
        .containsExactly(
            RatePolicy.pods(4, Duration.ofSeconds(15)),
            RatePolicy.percent(100, Duration.ofSeconds(15)));
    assertThat(spec.scaleDown().stabilizationWindow()).isEqualTo(Duration.ofSeconds(300));
    assertThat(spec.scaleDown().policies())
        .containsExactly(RatePolicy.percent(50, Duration.ofSeconds(60)));
    assertThat(spec.guardRails().maxTemperatureCelsius()).isEqualTo(85);
    assertThat(spec.maxSignalAge()).isEqualTo(Duration.ofSeconds(30));
  }
}
