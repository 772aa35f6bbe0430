package dev.foresight.controller.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ScalingPolicy CRD's schema, read from manifests/base/crd, accepts every ScalingPolicy under
 * manifests/ and rejects named bad ones, each problem naming the field.
 */
class CrdSchemaTest {

  private static CrdSchema schema;
  private static JsonNode vllm;

  @BeforeAll
  static void load() throws IOException {
    Path crd = Repository.manifests().resolve("base/crd/scalingpolicy.yaml");
    schema = new CrdSchema(Repository.documents(crd).get(0), 0);
    vllm =
        Repository.documents(Repository.manifests().resolve("examples/scalingpolicy-vllm.yaml"))
            .get(0);
  }

  /** Every ScalingPolicy in any file under manifests/, by file and name. */
  static Stream<Arguments> examples() throws IOException {
    List<Arguments> rows = new ArrayList<>();
    Path m = Repository.manifests();
    for (Path f : Repository.yamlAndJsonFiles(m)) {
      for (JsonNode d : Repository.documents(f)) {
        if ("ScalingPolicy".equals(d.path("kind").asText())) {
          rows.add(
              Arguments.of(m.relativize(f) + " " + d.path("metadata").path("name").asText(), d));
        }
      }
    }
    return rows.stream();
  }

  @Test
  void thereAreExamplesForVllmAndTgi() throws IOException {
    assertThat(examples().map(a -> ((JsonNode) a.get()[1]).at("/spec/signals/preset").asText()))
        .contains("vllm", "tgi");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void acceptsEveryExample(String name, JsonNode policy) {
    assertThat(schema.problems(policy)).as(name).isEmpty();
  }

  /** One change to the vLLM example each: JSON pointer, new value (null removes), expected text. */
  static Stream<Arguments> badPolicies() {
    return Stream.of(
        Arguments.of("no targetRef", "/spec/targetRef", null, "targetRef"),
        Arguments.of("targetRef without a name", "/spec/targetRef/name", null, "name"),
        Arguments.of("unknown preset", "/spec/signals/preset", "\"ollama\"", "preset"),
        Arguments.of("window without a unit", "/spec/signals/window", "\"60\"", "window"),
        Arguments.of("empty custom query", "/spec/signals/queries", "{\"queue\": \"\"}", "queue"),
        Arguments.of("unknown GPU preset", "/spec/gpus/preset", "\"nvml\"", "preset"),
        Arguments.of("negative minReplicas", "/spec/policy/minReplicas", "-1", "minReplicas"),
        Arguments.of("maxReplicas zero", "/spec/policy/maxReplicas", "0", "maxReplicas"),
        Arguments.of("maxReplicas as text", "/spec/policy/maxReplicas", "\"16\"", "maxReplicas"),
        Arguments.of("tolerance of 1 (exclusive)", "/spec/policy/tolerance", "1", "tolerance"),
        Arguments.of(
            "kv_cache target as a float", "/spec/policy/targets/kv_cache", "0.8", "kv_cache"),
        Arguments.of("misspelled field", "/spec/policy/maxReplica", "3", "maxReplica"),
        Arguments.of("unknown signal target", "/spec/policy/targets/gpu_util", "70", "gpu_util"),
        Arguments.of(
            "scale-up policy type Seconds",
            "/spec/policy/behavior/scaleUp/policies/0/type",
            "\"Seconds\"",
            "type"),
        Arguments.of(
            "stabilization over an hour",
            "/spec/policy/behavior/scaleDown/stabilizationWindowSeconds",
            "7200",
            "stabilizationWindowSeconds"),
        Arguments.of(
            "temperature 0 (exclusive minimum)",
            "/spec/policy/guardRails/maxTemperatureCelsius",
            "0",
            "maxTemperatureCelsius"),
        Arguments.of(
            "bad maxSignalAge", "/spec/policy/maxSignalAge", "\"30 seconds\"", "maxSignalAge"),
        Arguments.of(
            "minReplicas above maxReplicas (CEL)",
            "/spec/policy/minReplicas",
            "20",
            "minReplicas must not exceed maxReplicas"),
        Arguments.of(
            "signals without preset or queries (CEL)",
            "/spec/signals",
            "{\"window\": \"1m\"}",
            "signals needs a preset or queries"),
        Arguments.of("misspelled kind", "/kind", "\"ScalingPolcy\"", "kind"),
        Arguments.of("no name", "/metadata/name", null, "name"),
        Arguments.of(
            "unknown status condition",
            "/status",
            "{\"conditions\": [{\"type\": \"Happy\", \"status\": \"True\"}]}",
            "type"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badPolicies")
  void rejectsNamingTheField(String name, String pointer, String json, String named)
      throws IOException {
    JsonNode bad = change(vllm, pointer, json);
    assertThat(schema.problems(vllm)).as("the unchanged example is valid").isEmpty();
    assertThat(schema.problems(bad)).as(name).isNotEmpty().anyMatch(p -> p.contains(named));
  }

  private static JsonNode change(JsonNode doc, String pointer, String json) throws IOException {
    ObjectNode copy = doc.deepCopy();
    JsonPointer p = JsonPointer.compile(pointer);
    JsonNode parent = copy.at(p.head());
    String last = p.last().getMatchingProperty();
    if (parent.isArray()) {
      throw new IllegalArgumentException(
          "point at an object field, not an array element: " + pointer);
    }
    ObjectNode o = (ObjectNode) parent;
    if (json == null) {
      o.remove(last);
    } else {
      o.set(last, Repository.JSON.readTree(json));
    }
    return copy;
  }
}
