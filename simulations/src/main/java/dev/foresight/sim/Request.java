package dev.foresight.sim;

/**
 * One inference request: when it arrives and how many tokens it reads and writes. The simulator
 * also keeps the request's progress here (package-private fields) so that the hot loop allocates
 * nothing else per request.
 */
public final class Request {
  private final double arrivalSeconds;
  private final int promptTokens;
  private final int outputTokens;

  /** When the request was admitted to a replica's batch, seconds; NaN while waiting. */
  double admittedAt = Double.NaN;

  /** Value of the replica's decode clock at which the last token is produced. */
  double finishThreshold;

  /** Decode clock value when decoding began. */
  double decodeStart;

  /** KV-cache tokens reserved on admission. */
  int kvReserved;

  /**
   * @param arrivalSeconds arrival time, seconds from the start of the trace
   * @param promptTokens prompt (context) tokens, at least 1
   * @param outputTokens generated tokens, at least 1 (the first token comes from prefill)
   */
  public Request(double arrivalSeconds, int promptTokens, int outputTokens) {
    if (!(arrivalSeconds >= 0) || Double.isInfinite(arrivalSeconds)) {
      throw new IllegalArgumentException(
          "arrivalSeconds=" + arrivalSeconds + ": expected a finite time >= 0");
    }
    this.arrivalSeconds = arrivalSeconds;
    this.promptTokens = Math.max(1, promptTokens);
    this.outputTokens = Math.max(1, outputTokens);
  }

  public double arrivalSeconds() {
    return arrivalSeconds;
  }

  public int promptTokens() {
    return promptTokens;
  }

  public int outputTokens() {
    return outputTokens;
  }

  @Override
  public String toString() {
    return "Request[t="
        + arrivalSeconds
        + "s, prompt="
        + promptTokens
        + ", output="
        + outputTokens
        + "]";
  }
}
