package dev.foresight.scaler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The example ScaledObjects in manifests/examples/keda are accepted by the scaler as written. */
class ExampleManifestsTest {

  /** Relative to the module directory, where Maven runs the tests. */
  private static final Path EXAMPLES = Path.of("..", "manifests", "examples", "keda");

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      List<Path> yaml = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
      assertThat(yaml).as("example manifests in %s", EXAMPLES).isNotEmpty();
      return yaml.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("examples")
  void everyForesightTriggerParses(Path file) throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    List<JsonNode> triggers = new ArrayList<>();
    try (var parser = yaml.createParser(file.toFile())) {
      for (JsonNode doc : yaml.readValues(parser, JsonNode.class).readAll()) {
        if ("ScaledObject".equals(doc.path("kind").asText())) {
          for (JsonNode trigger : doc.path("spec").path("triggers")) {
            ((ObjectNode) trigger).set("scaledObject", doc.path("metadata"));
            triggers.add(trigger);
          }
        }
      }
    }
    assertThat(triggers).as("Foresight triggers in %s", file).isNotEmpty();

    for (JsonNode trigger : triggers) {
      assertThat(trigger.path("type").asText()).isIn("external", "external-push");
      assertThat(trigger.path("metricType").asText("AverageValue")).isEqualTo("AverageValue");
      Map<String, String> metadata = new TreeMap<>();
      trigger
          .path("metadata")
          .properties()
          .forEach(e -> metadata.put(e.getKey(), e.getValue().asText()));
      ScalerMetadata parsed =
          ScalerMetadata.parse(
              trigger.path("scaledObject").path("namespace").asText(),
              trigger.path("scaledObject").path("name").asText(),
              metadata,
              PolicySpecInlineParser.INSTANCE);
      assertThat(parsed.source()).isNotNull();
    }
  }
}
