package dev.foresight.policy;

import java.util.Locale;
import java.util.Optional;

/**
 * The service-level signals a decision can use. Each has a unit and a stable wire name used in
 * configuration keys, metric labels and JSON.
 */
public enum Signal {
  /**
   * Requests waiting for a batch slot (vLLM {@code num_requests_waiting}), summed over replicas.
   */
  QUEUE("queue", "requests"),
  /** Requests in the running batch, summed over replicas: the concurrency in flight. */
  RUNNING("running", "requests"),
  /** 95th percentile of end-to-end request latency, seconds. */
  LATENCY_P95("latency_p95", "seconds"),
  /** 95th percentile of time to first token, seconds. */
  TTFT_P95("ttft_p95", "seconds"),
  /** KV-cache usage, mean over replicas, a fraction from 0 to 1. */
  KV_CACHE("kv_cache", "ratio"),
  /** Arriving requests per second, summed over replicas. */
  REQUEST_RATE("request_rate", "requests_per_second"),
  /** Prompt (prefill) tokens per second, summed over replicas. */
  PROMPT_TOKEN_RATE("prompt_token_rate", "tokens_per_second"),
  /** Generated (decode) tokens per second, summed over replicas. */
  GENERATION_TOKEN_RATE("generation_token_rate", "tokens_per_second");

  private final String wireName;
  private final String unit;

  Signal(String wireName, String unit) {
    this.wireName = wireName;
    this.unit = unit;
  }

  /** Snake-case name used in configuration keys, metric labels and JSON. */
  public String wireName() {
    return wireName;
  }

  /** Unit of the signal's values, in Prometheus base-unit words. */
  public String unit() {
    return unit;
  }

  /** The signal with this wire name (case-insensitive), if any. */
  public static Optional<Signal> fromWireName(String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    for (Signal s : values()) {
      if (s.wireName.equals(wanted)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
