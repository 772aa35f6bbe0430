package dev.foresight.controller.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import dev.foresight.controller.config.Durations;
import dev.foresight.controller.config.Problem;
import dev.foresight.controller.metrics.GpuQueries;
import dev.foresight.controller.metrics.SignalQuery;
import dev.foresight.policy.PolicySpec;
import dev.foresight.policy.Signal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code signals:} and {@code gpus:} blocks of a declared policy, the same in the standalone
 * policies file and in a ScalingPolicy's {@code spec}: a preset with an optional selector and
 * {@code rate()} window, custom PromQL per signal, and DCGM guard-rail queries. Each problem is
 * added with its path ({@code policies[1].signals.preset}, {@code spec.signals.preset}), the value
 * and what was expected.
 *
 * <pre>
 * signals:
 *   preset: vllm                   # vllm, tgi, sglang, triton-trtllm, trtllm-serve, llm-d-epp
 *   selector: 'namespace="llm",pod=~"vllm-llama-.*"'   # default: namespace + pods "target-*"
 *   window: 1m                     # rate() window, default 1m
 *   queries:                       # custom PromQL per signal, overriding the preset
 *     ttft_p95: 'histogram_quantile(0.95, sum by (le) (rate(my_ttft_bucket[1m])))'
 * gpus: {preset: dcgm}             # optional; selector, window and podLabel as for signals
 * </pre>
 */
public final class SignalSources {

  /** Default {@code rate()} window. */
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);

  /** Read whenever the preset supports them: the policy's activity (scale-to-zero) inputs. */
  private static final Set<Signal> ALWAYS_READ =
      Set.of(Signal.QUEUE, Signal.RUNNING, Signal.REQUEST_RATE);

  private static final Set<String> SIGNALS_FIELDS =
      Set.of("preset", "selector", "window", "queries");
  private static final Set<String> GPUS_FIELDS = Set.of("preset", "selector", "window", "podLabel");

  private SignalSources() {}

  /**
   * The queries of {@code signals} that {@code spec} needs: those with a target, the activity
   * signals and custom queries. A preset's other signals cost queries and inform nothing. A target
   * without a query is a problem. With {@code spec} null (invalid policy), the preset's queries are
   * still checked and returned unpruned.
   *
   * @param defaultSelector the selector when {@code signals.selector} is absent
   */
  public static Map<Signal, SignalQuery> signals(
      String path, JsonNode node, String defaultSelector, PolicySpec spec, List<Problem> problems) {
    Map<Signal, SignalQuery> signals = all(path, node, defaultSelector, problems);
    if (spec == null) {
      return signals;
    }
    Set<Signal> custom = customSignals(node);
    signals
        .keySet()
        .removeIf(
            s -> !spec.targets().containsKey(s) && !ALWAYS_READ.contains(s) && !custom.contains(s));
    for (Signal s : spec.targets().keySet()) {
      if (!signals.containsKey(s)) {
        problems.add(
            new Problem(
                path,
                "no query for " + s.wireName(),
                "a preset that reads "
                    + s.wireName()
                    + ", or "
                    + path
                    + ".queries."
                    + s.wireName()));
      }
    }
    return signals;
  }

  private static Map<Signal, SignalQuery> all(
      String path, JsonNode node, String defaultSelector, List<Problem> problems) {
    Map<Signal, SignalQuery> out = new EnumMap<>(Signal.class);
    if (node == null || !node.isObject()) {
      problems.add(new Problem(path, text(node), "{preset: vllm} or {queries: {...}}"));
      return out;
    }
    unknownFields(path, node, SIGNALS_FIELDS, problems);
    QueryContext context = context(path, node, defaultSelector, problems);
    JsonNode presetName = node.get("preset");
    if (presetName != null) {
      Optional<Preset> preset = Presets.byName(presetName.asText());
      if (preset.isEmpty()) {
        problems.add(
            new Problem(path + ".preset", presetName.asText(), "one of " + Presets.names()));
      } else if (context != null) {
        for (Signal s : preset.get().signals().keySet()) {
          out.put(s, preset.get().query(s, context).orElseThrow());
        }
      }
    }
    JsonNode queries = node.get("queries");
    if (queries != null) {
      if (!queries.isObject()) {
        problems.add(new Problem(path + ".queries", text(queries), "a map of signal to PromQL"));
      } else {
        Iterator<Map.Entry<String, JsonNode>> it = queries.fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          String qpath = path + ".queries." + e.getKey();
          Optional<Signal> signal = Signal.fromWireName(e.getKey());
          if (signal.isEmpty()) {
            problems.add(new Problem(qpath, e.getKey(), "a signal name: " + signalNames()));
            continue;
          }
          customQuery(qpath, e.getValue(), problems).ifPresent(q -> out.put(signal.get(), q));
        }
      }
    }
    if (presetName == null && queries == null) {
      problems.add(new Problem(path, text(node), "a preset or queries"));
    }
    return out;
  }

  private static Set<Signal> customSignals(JsonNode signals) {
    Set<Signal> custom = new HashSet<>();
    if (signals != null && signals.path("queries").isObject()) {
      signals
          .path("queries")
          .fieldNames()
          .forEachRemaining(n -> Signal.fromWireName(n).ifPresent(custom::add));
    }
    return custom;
  }

  private static Optional<SignalQuery> customQuery(
      String path, JsonNode q, List<Problem> problems) {
    if (q.isTextual() && !q.asText().isBlank()) {
      return Optional.of(SignalQuery.of(q.asText()));
    }
    if (q.isObject()) {
      unknownFields(path, q, Set.of("query", "newestSampleTime"), problems);
      String query = requiredText(path + ".query", q.get("query"), problems);
      JsonNode newest = q.get("newestSampleTime");
      if (query != null) {
        return Optional.of(
            new SignalQuery(query, Optional.ofNullable(newest).map(JsonNode::asText)));
      }
      return Optional.empty();
    }
    problems.add(new Problem(path, text(q), "PromQL text or {query, newestSampleTime}"));
    return Optional.empty();
  }

  /** The DCGM queries of {@code gpus}; empty when the block is absent or has problems. */
  public static Optional<GpuQueries> gpus(
      String path, JsonNode node, String defaultSelector, List<Problem> problems) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return Optional.empty();
    }
    if (!node.isObject()) {
      problems.add(new Problem(path, text(node), "{preset: dcgm}"));
      return Optional.empty();
    }
    unknownFields(path, node, GPUS_FIELDS, problems);
    JsonNode preset = node.get("preset");
    if (preset == null || !"dcgm".equals(preset.asText())) {
      problems.add(new Problem(path + ".preset", text(preset), "dcgm"));
      return Optional.empty();
    }
    QueryContext context = context(path, node, defaultSelector, problems);
    JsonNode podLabel = node.get("podLabel");
    return context == null
        ? Optional.empty()
        : Optional.of(Presets.dcgm(context, podLabel == null ? "pod" : podLabel.asText()));
  }

  private static QueryContext context(
      String path, JsonNode node, String defaultSelector, List<Problem> problems) {
    JsonNode selector = node.get("selector");
    JsonNode window = node.get("window");
    Duration w = DEFAULT_WINDOW;
    if (window != null) {
      Optional<Duration> d = Durations.parse(window.asText());
      if (d.isEmpty() || d.get().isZero()) {
        problems.add(
            new Problem(path + ".window", window.asText(), "a positive duration such as 1m"));
        return null;
      }
      w = d.get();
    }
    return new QueryContext(selector == null ? defaultSelector : selector.asText(), w);
  }

  /** A required non-empty scalar; adds a problem and returns null otherwise. */
  public static String requiredText(String path, JsonNode n, List<Problem> problems) {
    if (n == null || !n.isValueNode() || n.isNull() || n.asText().isBlank()) {
      problems.add(new Problem(path, text(n), "a non-empty value"));
      return null;
    }
    return n.asText();
  }

  /** Adds a problem for every field of {@code node} not in {@code known}. */
  public static void unknownFields(
      String path, JsonNode node, Set<String> known, List<Problem> problems) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String f = names.next();
      if (!known.contains(f)) {
        problems.add(
            new Problem(path + "." + f, "(unknown field)", "one of " + new TreeSet<>(known)));
      }
    }
  }

  private static String signalNames() {
    List<String> names = new ArrayList<>();
    for (Signal s : Signal.values()) {
      names.add(s.wireName());
    }
    return String.join(", ", names);
  }

  /** A node as shown in a problem: its text, its JSON, or {@code <missing>}. */
  public static String text(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "<missing>";
    }
    return n.isValueNode() ? n.asText() : n.toString();
  }
}
