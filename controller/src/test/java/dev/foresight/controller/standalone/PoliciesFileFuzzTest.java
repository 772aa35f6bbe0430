package dev.foresight.controller.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.foresight.controller.config.InvalidConfigException;
import dev.foresight.controller.config.Problem;
import dev.foresight.controller.loop.GovernedWorkload;
import dev.foresight.policy.PolicySpecParser;
import dev.foresight.policy.WorkloadRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 10,000 policies files, each a valid two-policy file with one field of the first policy broken
 * (wrong type, wrong value, removed, unknown field added) or the whole text garbled. Each either
 * loads or fails with an {@link InvalidConfigException} whose problems name a path inside the
 * broken policy, never the untouched second one, and never with another exception.
 */
class PoliciesFileFuzzTest {

  private static final long SEED = 0x5EEDF11EL;
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final WorkloadRef SECOND = WorkloadRef.deployment("chat", "tgi-mistral");

  private final PoliciesFile file = new PoliciesFile(PolicySpecParser::parse);

  static Stream<Arguments> batches() {
    SplittableRandom root = new SplittableRandom(SEED);
    return IntStream.range(0, 100).mapToObj(i -> Arguments.of(root.nextLong()));
  }

  private static final Object[] WRONG = {
    null,
    "",
    " ",
    "-1",
    -1,
    0,
    2.5,
    "NaN",
    ".inf",
    Double.NaN,
    Double.POSITIVE_INFINITY,
    true,
    "soon",
    "5m",
    "Bad_Name",
    "x".repeat(300),
    "vllm",
    "dcgm",
    "kube-state-metrics",
    "Deployment",
    List.of(),
    List.of(1, "two"),
    Map.of(),
    Map.of("unknown", 1),
    "sum(rate(x[1m]))",
    "{{",
    "\u0000",
    "日本"
  };

  static Map<String, Object> policy(String name, String namespace, String preset) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("name", name);
    p.put("namespace", namespace);
    p.put("target", new LinkedHashMap<>(Map.of("kind", "Deployment", "name", name)));
    Map<String, Object> signals = new LinkedHashMap<>();
    signals.put("preset", preset);
    signals.put("window", "30s");
    signals.put("queries", new LinkedHashMap<>(Map.of("ttft_p95", "histogram_quantile(0.95, x)")));
    p.put("signals", signals);
    p.put("gpus", new LinkedHashMap<>(Map.of("preset", "dcgm")));
    p.put("replicas", new LinkedHashMap<>(Map.of("current", 2, "ready", 2)));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("minReplicas", 1);
    spec.put("maxReplicas", 8);
    spec.put("target.queue", 4);
    spec.put("target.ttft_p95", "800ms");
    p.put("policy", spec);
    return p;
  }

  /** Every path of a value inside {@code node}, as the file's error paths spell them. */
  @SuppressWarnings("unchecked")
  private static void paths(String path, Object node, List<String> out) {
    if (node instanceof Map<?, ?> map) {
      map.keySet().forEach(k -> paths(path + "." + k, map.get(k), out));
    }
    out.add(path);
  }

  @SuppressWarnings("unchecked")
  private static void breakOneField(SplittableRandom r, Map<String, Object> policy, String at) {
    String[] parts = at.substring("policies[0].".length()).split("\\.", -1);
    Map<String, Object> parent = policy;
    // Keys such as target.queue contain a dot: walk maps while the next part is a map key.
    int i = 0;
    String key = parts[0];
    while (i < parts.length - 1 && parent.get(key) instanceof Map<?, ?> child) {
      parent = (Map<String, Object>) child;
      i++;
      key = parts[i];
    }
    for (int j = i + 1; j < parts.length; j++) {
      key = key + "." + parts[j];
    }
    switch (r.nextInt(4)) {
      case 0 -> parent.remove(key);
      case 1 -> parent.put("unknown" + r.nextInt(3), wrong(r));
      default -> parent.put(key, wrong(r));
    }
  }

  private static final String YAML_SYNTAX = ":-[]{}&*!|>'\"\t#%@`";

  /** A wrong value; maps are copied so that a second break can write into them. */
  private static Object wrong(SplittableRandom r) {
    Object value = WRONG[r.nextInt(WRONG.length)];
    return value instanceof Map<?, ?> map ? new LinkedHashMap<>(map) : value;
  }

  static String garble(SplittableRandom r, String text) {
    StringBuilder out = new StringBuilder(text);
    int edits = 1 + r.nextInt(5);
    for (int i = 0; i < edits && out.length() > 0; i++) {
      int at = r.nextInt(out.length());
      switch (r.nextInt(4)) {
        case 0 -> out.setLength(at);
        case 1 -> out.deleteCharAt(at);
        case 2 -> out.insert(at, YAML_SYNTAX.charAt(r.nextInt(YAML_SYNTAX.length())));
        default -> out.setCharAt(at, (char) r.nextInt(0x80));
      }
    }
    return out.toString();
  }

  @ParameterizedTest(name = "batch seed {0}")
  @MethodSource("batches")
  void everyFileLoadsOrNamesTheBrokenPolicy(long batchSeed) throws JsonProcessingException {
    SplittableRandom batch = new SplittableRandom(batchSeed);
    for (int c = 0; c < 100; c++) {
      long seed = batch.nextLong();
      SplittableRandom r = new SplittableRandom(seed);
      Map<String, Object> first = policy("vllm-llama", "llm", "vllm");
      List<String> fields = new ArrayList<>();
      paths("policies[0]", first, fields);
      fields.remove("policies[0]");
      String at = fields.get(r.nextInt(fields.size()));
      breakOneField(r, first, at);
      if (r.nextInt(3) == 0) {
        breakOneField(r, first, fields.get(r.nextInt(fields.size())));
      }
      String text =
          YAML.writeValueAsString(
              Map.of("policies", List.of(first, policy("tgi-mistral", "chat", "tgi"))));
      boolean garbled = r.nextInt(5) == 0;
      if (garbled) {
        text = garble(r, text);
      }
      try {
        List<GovernedWorkload> loaded = file.parse(text, "fuzz.yaml");
        if (!garbled) {
          assertThat(loaded)
              .as("case seed %d", seed)
              .extracting(GovernedWorkload::ref)
              .contains(SECOND);
        }
      } catch (InvalidConfigException e) {
        assertThat(e.problems()).as("case seed %d", seed).isNotEmpty();
        assertThat(e.getMessage())
            .as("case seed %d", seed)
            .matches("(?s)(invalid policies file fuzz\\.yaml|fuzz\\.yaml is not valid YAML) .*");
        if (!garbled) {
          assertThat(e.problems())
              .as("case seed %d, broke %s:\n%s", seed, at, text)
              .extracting(Problem::field)
              .allMatch(f -> f.startsWith("policies[0]"));
        } else {
          assertThat(e.problems())
              .extracting(Problem::field)
              .allMatch(
                  f -> f.startsWith("policies") || f.startsWith("line ") || f.equals("(file)"));
        }
      } catch (RuntimeException e) {
        fail("case seed " + seed + ", broke " + at + ": threw " + e + " on\n" + text, e);
      }
    }
  }
}
