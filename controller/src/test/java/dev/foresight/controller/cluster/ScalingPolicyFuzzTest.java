package dev.foresight.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.foresight.controller.config.InvalidConfigException;
import dev.foresight.controller.config.Problem;
import dev.foresight.controller.loop.GovernedWorkload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 10,000 ScalingPolicy custom resources as the API server could hand them over: a valid resource
 * with one or two fields anywhere in it removed, replaced by a value of another type or an odd
 * value, or joined by an unknown field. Each is read as the cluster side reads it ({@link
 * PolicyResource#of}, then {@link ClusterWorkloads#workload}) and either governs or fails with an
 * {@link InvalidObjectException} naming the field, or an {@link InvalidConfigException} whose
 * problems name paths under {@code spec}; never another exception. A valid bystander policy read
 * after each case reads as it did before any.
 */
class ScalingPolicyFuzzTest {

  private static final long SEED = 0x5CA11B6L;

  private static final String VALID =
      """
      {"apiVersion": "autoscaling.foresight.dev/v1alpha1", "kind": "ScalingPolicy",
       "metadata": {"name": "vllm-llama", "namespace": "llm", "generation": 3},
       "spec": {
         "targetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "vllm-llama"},
         "signals": {"preset": "vllm", "window": "1m",
                     "queries": {"ttft_p95": "histogram_quantile(0.95, x)"}},
         "gpus": {"preset": "dcgm"},
         "policy": {
           "minReplicas": 1, "maxReplicas": 16,
           "targets": {"queue": 4, "ttft_p95": "800ms", "kv_cache": "0.8"},
           "behavior": {
             "scaleUp": {"stabilizationWindowSeconds": 0, "selectPolicy": "Max",
                         "policies": [{"type": "Pods", "value": 4, "periodSeconds": 15}]},
             "scaleDown": {"stabilizationWindowSeconds": 300,
                           "policies": [{"type": "Percent", "value": 50, "periodSeconds": 60}]}},
           "guardRails": {"maxTemperatureCelsius": 85},
           "maxSignalAge": "30s"}}}
      """;

  private static final String BYSTANDER =
      """
      {"metadata": {"name": "tgi-mistral", "namespace": "chat", "generation": 1},
       "spec": {"targetRef": {"kind": "Deployment", "name": "tgi-mistral"},
                "signals": {"preset": "tgi"},
                "policy": {"minReplicas": 1, "maxReplicas": 4, "targets": {"queue": 8}}}}
      """;

  private static final JsonElement[] WRONG = {
    JsonNull.INSTANCE,
    new JsonPrimitive(""),
    new JsonPrimitive(" "),
    new JsonPrimitive("-1"),
    new JsonPrimitive(-1),
    new JsonPrimitive(0),
    new JsonPrimitive(2.5),
    new JsonPrimitive(1e300),
    new JsonPrimitive("NaN"),
    new JsonPrimitive(true),
    new JsonPrimitive("soon"),
    new JsonPrimitive("5m"),
    new JsonPrimitive("Bad_Name"),
    new JsonPrimitive("x".repeat(300)),
    new JsonPrimitive("vllm"),
    new JsonPrimitive("StatefulSet"),
    new JsonPrimitive("sum(rate(x[1m]))"),
    new JsonPrimitive("{{"),
    new JsonPrimitive("\u0000"),
    new JsonPrimitive("日本"),
    new JsonArray(),
    JsonParser.parseString("[1, \"two\"]"),
    new JsonObject(),
    JsonParser.parseString("{\"unknown\": 1}"),
  };

  private final ClusterWorkloads workloads = new ClusterWorkloads(new FakeClusterState());

  static Stream<Arguments> batches() {
    SplittableRandom root = new SplittableRandom(SEED);
    return IntStream.range(0, 100).mapToObj(i -> Arguments.of(root.nextLong()));
  }

  /** Every path to a value in {@code e}, as {@code a.b.c} (array elements as {@code a.0}). */
  private static void paths(String path, JsonElement e, List<String> out) {
    if (e.isJsonObject()) {
      for (Map.Entry<String, JsonElement> f : e.getAsJsonObject().entrySet()) {
        paths(path.isEmpty() ? f.getKey() : path + "." + f.getKey(), f.getValue(), out);
      }
    } else if (e.isJsonArray()) {
      for (int i = 0; i < e.getAsJsonArray().size(); i++) {
        paths(path + "." + i, e.getAsJsonArray().get(i), out);
      }
    }
    if (!path.isEmpty()) {
      out.add(path);
    }
  }

  private static void breakOneField(SplittableRandom r, JsonObject root, String path) {
    String[] parts = path.split("\\.");
    JsonElement parent = root;
    for (int i = 0; i < parts.length - 1 && parent != null; i++) {
      parent = child(parent, parts[i]);
    }
    if (parent == null) {
      return; // an earlier break removed it
    }
    String key = parts[parts.length - 1];
    JsonElement wrong = WRONG[r.nextInt(WRONG.length)].deepCopy();
    if (parent.isJsonObject()) {
      JsonObject o = parent.getAsJsonObject();
      switch (r.nextInt(4)) {
        case 0 -> o.remove(key);
        case 1 -> o.add("unknown" + r.nextInt(3), wrong);
        default -> o.add(key, wrong);
      }
    } else if (parent.isJsonArray() && key.chars().allMatch(Character::isDigit)) {
      JsonArray a = parent.getAsJsonArray();
      int i = Integer.parseInt(key);
      if (i < a.size()) {
        a.set(i, wrong);
      }
    }
  }

  private static JsonElement child(JsonElement e, String part) {
    if (e.isJsonObject()) {
      return e.getAsJsonObject().get(part);
    }
    if (e.isJsonArray() && part.chars().allMatch(Character::isDigit)) {
      int i = Integer.parseInt(part);
      return i < e.getAsJsonArray().size() ? e.getAsJsonArray().get(i) : null;
    }
    return null;
  }

  @ParameterizedTest(name = "batch seed {0}")
  @MethodSource("batches")
  void everyResourceGovernsOrNamesItsBrokenField(long batchSeed) {
    GovernedWorkload bystanderBefore = read(JsonParser.parseString(BYSTANDER).getAsJsonObject());
    List<String> fields = new ArrayList<>();
    paths("", JsonParser.parseString(VALID), fields);
    SplittableRandom batch = new SplittableRandom(batchSeed);
    for (int c = 0; c < 100; c++) {
      long seed = batch.nextLong();
      SplittableRandom r = new SplittableRandom(seed);
      JsonObject resource = JsonParser.parseString(VALID).getAsJsonObject();
      String at = fields.get(r.nextInt(fields.size()));
      breakOneField(r, resource, at);
      if (r.nextInt(3) == 0) {
        breakOneField(r, resource, fields.get(r.nextInt(fields.size())));
      }
      try {
        read(resource);
      } catch (InvalidObjectException e) {
        assertThat(e.field()).as("case seed %d, broke %s", seed, at).isNotBlank();
        assertThat(e.getMessage()).as("case seed %d", seed).contains(e.field());
      } catch (InvalidConfigException e) {
        assertThat(e.problems())
            .as("case seed %d, broke %s:\n%s", seed, at, resource)
            .isNotEmpty()
            .extracting(Problem::field)
            .allMatch(f -> f.startsWith("spec"));
      } catch (RuntimeException e) {
        fail("case seed " + seed + ", broke " + at + ": threw " + e + " on\n" + resource, e);
      }
    }
    GovernedWorkload bystanderAfter = read(JsonParser.parseString(BYSTANDER).getAsJsonObject());
    assertThat(bystanderAfter.ref()).isEqualTo(bystanderBefore.ref());
    assertThat(bystanderAfter.spec()).isEqualTo(bystanderBefore.spec());
    assertThat(bystanderAfter.queries()).isEqualTo(bystanderBefore.queries());
  }

  private GovernedWorkload read(JsonObject resource) {
    return workloads.workload(PolicyResource.of(resource));
  }
}
