package dev.foresight.controller.prometheus;

import dev.foresight.controller.config.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * What a preset fills into its PromQL for one workload.
 *
 * @param selector label matchers without braces that pick the workload's series, e.g. {@code
 *     namespace="llm",pod=~"vllm-llama-.*"}; may be empty
 * @param window the range of {@code rate()} and {@code changes()}, e.g. 1 minute; it should span at
 *     least four scrape intervals
 */
public record QueryContext(String selector, Duration window) {

  public QueryContext {
    Objects.requireNonNull(selector, "selector");
    Objects.requireNonNull(window, "window");
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive: " + window);
    }
  }

  /** The default selector of a workload: its namespace and pods named after its target. */
  public static String podsOf(String namespace, String targetName) {
    return "namespace=\"" + namespace + "\",pod=~\"" + targetName + "-.*\"";
  }

  /** {@code metric{extra,selector}}, or {@code metric} when both are empty. */
  String series(String metric, String extraMatchers) {
    return series(selector, metric, extraMatchers);
  }

  static String series(String selector, String metric, String extraMatchers) {
    String inside =
        extraMatchers.isEmpty()
            ? selector
            : selector.isEmpty() ? extraMatchers : extraMatchers + "," + selector;
    return inside.isEmpty() ? metric : metric + "{" + inside + "}";
  }

  String series(String metric) {
    return series(metric, "");
  }

  /** The window in PromQL's duration syntax, e.g. {@code 1m}. */
  String range() {
    return "[" + Durations.format(window) + "]";
  }
}
