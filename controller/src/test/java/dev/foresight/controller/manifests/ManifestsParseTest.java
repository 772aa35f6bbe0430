package dev.foresight.controller.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every YAML and JSON file under manifests/ parses, and every Kubernetes object in it is named. */
class ManifestsParseTest {

  static Stream<Arguments> files() throws IOException {
    Path m = Repository.manifests();
    return Repository.yamlAndJsonFiles(m).stream()
        .map(p -> Arguments.of(m.relativize(p).toString(), p));
  }

  @Test
  void findsTheManifests() throws IOException {
    assertThat(Repository.yamlAndJsonFiles(Repository.manifests()))
        .extracting(p -> p.getFileName().toString())
        .contains("kustomization.yaml", "scalingpolicy.yaml", "foresight-overview.json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void parsesAndEveryObjectHasApiVersionKindAndName(String name, Path file) throws IOException {
    List<JsonNode> docs = Repository.documents(file);
    assertThat(docs).as("documents in %s", name).isNotEmpty();
    for (JsonNode d : docs) {
      assertThat(d.isObject()).as("%s: every document is a mapping", name).isTrue();
      if (d.has("kind") && !"Kustomization".equals(d.path("kind").asText())) {
        assertThat(d.path("apiVersion").asText())
            .as("%s: apiVersion of %s", name, d.path("kind").asText())
            .isNotBlank();
        assertThat(d.path("metadata").path("name").asText())
            .as("%s: metadata.name of %s", name, d.path("kind").asText())
            .isNotBlank();
      }
    }
  }
}
