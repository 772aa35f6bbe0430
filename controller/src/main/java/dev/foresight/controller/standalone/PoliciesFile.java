package dev.foresight.controller.standalone;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.foresight.controller.config.InvalidConfigException;
import dev.foresight.controller.config.Problem;
import dev.foresight.controller.loop.GovernedWorkload;
import dev.foresight.controller.metrics.GpuQueries;
import dev.foresight.controller.metrics.SignalQuery;
import dev.foresight.controller.metrics.WorkloadQueries;
import dev.foresight.controller.prometheus.KubeStateMetrics;
import dev.foresight.controller.prometheus.QueryContext;
import dev.foresight.controller.prometheus.SignalSources;
import dev.foresight.policy.InvalidPolicyException;
import dev.foresight.policy.PolicySpec;
import dev.foresight.policy.Signal;
import dev.foresight.policy.WorkloadRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Standalone mode's policies file: YAML, no cluster needed. Every problem in the file is reported
 * at once, each with its path ({@code policies[1].signals.preset}), the value and what was
 * expected; nothing is loaded unless the whole file is valid.
 *
 * <pre>
 * policies:
 *   - name: vllm-llama                 # policy name (DNS-1123 subdomain)
 *     namespace: llm
 *     target: {kind: Deployment, name: vllm-llama}
 *     signals:
 *       preset: vllm                   # vllm, tgi, sglang, triton-trtllm, trtllm-serve, llm-d-epp
 *       selector: 'namespace="llm",pod=~"vllm-llama-.*"'   # default: namespace + pods "target-*"
 *       window: 1m                     # rate() window, default 1m
 *       queries:                       # custom PromQL per signal, overriding the preset
 *         ttft_p95: 'histogram_quantile(0.95, sum by (le) (rate(my_ttft_bucket[1m])))'
 *     gpus: {preset: dcgm}             # optional; selector and podLabel as for signals
 *     replicas: {current: 2, ready: 2} # or {source: kube-state-metrics}
 *     policy:                          # flat policy keys, as in ScaledObject metadata
 *       minReplicas: 1
 *       maxReplicas: 8
 *       target.queue: 4
 * </pre>
 */
public final class PoliciesFile {

  /** Default {@code rate()} window. */
  public static final Duration DEFAULT_WINDOW = SignalSources.DEFAULT_WINDOW;

  private static final Set<String> POLICY_FIELDS =
      Set.of("name", "namespace", "target", "signals", "gpus", "replicas", "policy");

  private final Function<Map<String, String>, PolicySpec> specParser;
  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

  /**
   * @param specParser parses the flat {@code policy:} keys; throws {@link InvalidPolicyException}
   *     listing its problems
   */
  public PoliciesFile(Function<Map<String, String>, PolicySpec> specParser) {
    this.specParser = specParser;
  }

  /**
   * Reads and validates {@code file}.
   *
   * @throws InvalidConfigException listing every problem, with paths
   * @throws IOException when the file cannot be read
   */
  public List<GovernedWorkload> load(Path file) throws IOException {
    return parse(Files.readString(file), file.toString());
  }

  /** Parses YAML text; {@code source} names it in errors. */
  public List<GovernedWorkload> parse(String text, String source) {
    JsonNode root;
    try {
      root = yaml.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InvalidConfigException(
          source + " is not valid YAML",
          List.of(new Problem(location(e), e.getOriginalMessage(), "well-formed YAML")));
    }
    List<Problem> problems = new ArrayList<>();
    List<GovernedWorkload> workloads = new ArrayList<>();
    JsonNode policies = root == null ? null : root.get("policies");
    if (policies == null || !policies.isArray()) {
      problems.add(new Problem("policies", SignalSources.text(policies), "a list of policies"));
    } else {
      Set<WorkloadRef> seen = new HashSet<>();
      for (int i = 0; i < policies.size(); i++) {
        String path = "policies[" + i + "]";
        Optional<GovernedWorkload> w = policy(path, policies.get(i), problems);
        if (w.isPresent() && !seen.add(w.get().ref())) {
          problems.add(
              new Problem(path + ".name", w.get().ref().toString(), "a namespace/name used once"));
        }
        w.ifPresent(workloads::add);
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidConfigException("invalid policies file " + source, problems);
    }
    return workloads;
  }

  private Optional<GovernedWorkload> policy(String path, JsonNode node, List<Problem> problems) {
    if (node == null || !node.isObject()) {
      problems.add(new Problem(path, SignalSources.text(node), "a policy object"));
      return Optional.empty();
    }
    int before = problems.size();
    SignalSources.unknownFields(path, node, POLICY_FIELDS, problems);
    String name = SignalSources.requiredText(path + ".name", node.get("name"), problems);
    String namespace =
        SignalSources.requiredText(path + ".namespace", node.get("namespace"), problems);
    JsonNode target = node.get("target");
    String kind = null;
    String targetName = null;
    if (target == null || !target.isObject()) {
      problems.add(
          new Problem(
              path + ".target", SignalSources.text(target), "{kind: Deployment, name: ...}"));
    } else {
      SignalSources.unknownFields(path + ".target", target, Set.of("kind", "name"), problems);
      kind = SignalSources.requiredText(path + ".target.kind", target.get("kind"), problems);
      targetName = SignalSources.requiredText(path + ".target.name", target.get("name"), problems);
    }
    WorkloadRef ref = null;
    if (name != null && namespace != null && kind != null && targetName != null) {
      try {
        ref = new WorkloadRef(namespace, name, kind, targetName);
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(path, namespace + "/" + name, e.getMessage()));
      }
    }
    PolicySpec spec = spec(path + ".policy", node.get("policy"), problems);
    String defaultSelector =
        namespace != null && targetName != null ? QueryContext.podsOf(namespace, targetName) : "";
    Map<Signal, SignalQuery> signals =
        SignalSources.signals(
            path + ".signals", node.get("signals"), defaultSelector, spec, problems);
    Optional<GpuQueries> gpus =
        SignalSources.gpus(path + ".gpus", node.get("gpus"), defaultSelector, problems);
    Replicas replicas =
        replicas(path + ".replicas", node.get("replicas"), namespace, kind, targetName, problems);
    if (problems.size() > before || ref == null || spec == null) {
      return Optional.empty();
    }
    return Optional.of(
        new GovernedWorkload(
            ref,
            spec,
            new WorkloadQueries(signals, gpus, replicas.currentQuery, replicas.readyQuery),
            replicas.fixed));
  }

  private PolicySpec spec(String path, JsonNode node, List<Problem> problems) {
    Map<String, String> flat = new LinkedHashMap<>();
    if (node != null && !node.isNull()) {
      if (!node.isObject()) {
        problems.add(new Problem(path, SignalSources.text(node), "a map of policy keys to values"));
        return null;
      }
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isValueNode()) {
          problems.add(
              new Problem(
                  path + "." + e.getKey(), SignalSources.text(e.getValue()), "a single value"));
        } else {
          flat.put(e.getKey(), e.getValue().asText());
        }
      }
    }
    try {
      return specParser.apply(flat);
    } catch (InvalidPolicyException e) {
      for (InvalidPolicyException.Problem p : e.problems()) {
        problems.add(new Problem(path + "." + p.field(), p.value(), p.expected()));
      }
      return null;
    }
  }

  /** Where replica counts come from. */
  private record Replicas(
      Optional<GovernedWorkload.Replicas> fixed,
      Optional<String> currentQuery,
      Optional<String> readyQuery) {}

  private static Replicas replicas(
      String path,
      JsonNode node,
      String namespace,
      String kind,
      String name,
      List<Problem> problems) {
    Replicas none = new Replicas(Optional.empty(), Optional.empty(), Optional.empty());
    if (node == null || !node.isObject()) {
      problems.add(
          new Problem(
              path,
              SignalSources.text(node),
              "{current: N, ready: N} or {source: kube-state-metrics}"));
      return none;
    }
    SignalSources.unknownFields(path, node, Set.of("current", "ready", "source"), problems);
    if (node.has("source")) {
      String source = node.get("source").asText();
      if (!"kube-state-metrics".equals(source)) {
        problems.add(new Problem(path + ".source", source, "kube-state-metrics"));
        return none;
      }
      if (namespace == null || kind == null || name == null) {
        return none;
      }
      Optional<KubeStateMetrics.ReplicaQueries> queries =
          KubeStateMetrics.replicas(namespace, kind, name);
      if (queries.isEmpty()) {
        problems.add(
            new Problem(
                path + ".source",
                source,
                "a " + KubeStateMetrics.SUPPORTED_KINDS + " target (got " + kind + ")"));
        return none;
      }
      return new Replicas(
          Optional.empty(),
          Optional.of(queries.get().current()),
          Optional.of(queries.get().ready()));
    }
    Integer current = count(path + ".current", node.get("current"), problems);
    Integer ready =
        node.has("ready") ? count(path + ".ready", node.get("ready"), problems) : current;
    if (current == null || ready == null) {
      return none;
    }
    return new Replicas(
        Optional.of(new GovernedWorkload.Replicas(current, ready)),
        Optional.empty(),
        Optional.empty());
  }

  private static Integer count(String path, JsonNode n, List<Problem> problems) {
    if (n != null && n.canConvertToInt() && n.isIntegralNumber() && n.asInt() >= 0) {
      return n.asInt();
    }
    problems.add(new Problem(path, SignalSources.text(n), "a whole number of 0 or more"));
    return null;
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null
        ? "(file)"
        : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }
}
