package dev.foresight.policy.capacity;

/**
 * What one replica sustains within the SLO.
 *
 * @param requestsPerSecond requests per second per replica; above 0
 * @param promptTokensPerSecond prompt tokens per second per replica; 0 when not known, so that this
 *     dimension does not limit
 * @param generationTokensPerSecond generated tokens per second per replica; 0 when not known
 */
public record Capacity(
    double requestsPerSecond, double promptTokensPerSecond, double generationTokensPerSecond) {

  /** A capacity in requests per second only; token rates do not limit. */
  public static Capacity requests(double requestsPerSecond) {
    return new Capacity(requestsPerSecond, 0, 0);
  }
}
