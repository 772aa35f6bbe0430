package dev.foresight.controller.manifests;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The repository the tests run in: its {@code manifests/} tree and its modules' sources. */
final class Repository {

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();

  private Repository() {}

  /**
   * The repository root: the nearest directory above the working directory (Surefire runs in the
   * module directory) that holds {@code manifests/base/kustomization.yaml}.
   */
  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("manifests/base/kustomization.yaml"))) {
        return d;
      }
    }
    throw new IllegalStateException(
        "no manifests/base/kustomization.yaml in " + dir + " or any directory above it");
  }

  static Path manifests() {
    return root().resolve("manifests");
  }

  /** Every YAML and JSON file under {@code dir}, sorted. */
  static List<Path> yamlAndJsonFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(
              p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
              })
          .sorted()
          .toList();
    }
  }

  /** Every document of a (multi-document) YAML file or a JSON file, empty documents left out. */
  static List<JsonNode> documents(Path file) throws IOException {
    String text = Files.readString(file);
    return file.toString().endsWith(".json") ? List.of(JSON.readTree(text)) : yamlDocuments(text);
  }

  static List<JsonNode> yamlDocuments(String text) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
      while (it.hasNext()) {
        JsonNode n = it.next();
        if (n != null && !n.isNull() && !n.isMissingNode()) {
          docs.add(n);
        }
      }
    }
    return docs;
  }

  /** Every object of {@code kind} among {@code docs}. */
  static List<JsonNode> ofKind(List<JsonNode> docs, String kind) {
    return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
  }

  /** The one object of {@code kind} named {@code name}; fails the test naming both if absent. */
  static JsonNode one(List<JsonNode> docs, String kind, String name) {
    return docs.stream()
        .filter(d -> kind.equals(d.path("kind").asText()))
        .filter(d -> name.equals(d.path("metadata").path("name").asText()))
        .findFirst()
        .orElseGet(() -> fail("no %s named %s in the rendered manifests", kind, name));
  }
}
