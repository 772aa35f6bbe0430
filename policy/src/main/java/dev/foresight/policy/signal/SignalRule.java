package dev.foresight.policy.signal;

import dev.foresight.policy.Signal;

/**
 * The proposal formula of one kind of signal. Implementations receive a reading that was already
 * checked (present, fresh, finite, in range) and turn it into a replica count.
 */
public sealed interface SignalRule permits AverageValueRule, UtilizationRatioRule, LatencyRule {

  /**
   * The replicas {@code signal} asks for.
   *
   * @param signal the signal the reading belongs to
   * @param value the reading, in the signal's unit; finite and not negative
   * @param target the target, in the signal's unit; above 0
   * @param scale the replica counts and tolerance the formula works with
   */
  SignalAssessment assess(Signal signal, double value, double target, Scale scale);

  /**
   * The replica counts and tolerance a formula works with.
   *
   * @param current replicas currently desired on the target
   * @param ready replicas Ready and serving
   * @param tolerance HPA tolerance, a fraction
   */
  record Scale(int current, int ready, double tolerance) {

    /**
     * Replicas a per-replica mean was measured over: the ready ones; the current count when none is
     * ready yet (the mean then comes from pods still starting, or is a prior).
     */
    public int base() {
      return ready > 0 ? ready : current;
    }
  }

  /** The rule for {@code signal}. */
  static SignalRule of(Signal signal) {
    return switch (signal) {
      case QUEUE, RUNNING, REQUEST_RATE, PROMPT_TOKEN_RATE, GENERATION_TOKEN_RATE ->
          AverageValueRule.INSTANCE;
      case KV_CACHE -> UtilizationRatioRule.INSTANCE;
      case TTFT_P95, LATENCY_P95 -> LatencyRule.INSTANCE;
    };
  }

  /** Words for a signal's value in arithmetic text, e.g. {@code waiting} or {@code req/s}. */
  static String valueWords(Signal signal) {
    return switch (signal) {
      case QUEUE -> "waiting";
      case RUNNING -> "running";
      case REQUEST_RATE -> "req/s";
      case PROMPT_TOKEN_RATE -> "prompt tokens/s";
      case GENERATION_TOKEN_RATE -> "generated tokens/s";
      case KV_CACHE -> "KV-cache used";
      case TTFT_P95 -> "s TTFT p95";
      case LATENCY_P95 -> "s latency p95";
    };
  }
}
