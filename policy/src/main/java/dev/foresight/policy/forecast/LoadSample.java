package dev.foresight.policy.forecast;

/**
 * The load of one workload in one sampling interval, summed over replicas.
 *
 * @param requestRate arriving requests per second
 * @param promptTokenRate prompt (prefill) tokens per second
 * @param generationTokenRate generated (decode) tokens per second
 * @throws InvalidSampleException when a rate is negative, NaN or infinite
 */
public record LoadSample(double requestRate, double promptTokenRate, double generationTokenRate) {

  public LoadSample {
    check("requestRate", requestRate);
    check("promptTokenRate", promptTokenRate);
    check("generationTokenRate", generationTokenRate);
  }

  /** A sample with only a request rate; token rates are 0. */
  public static LoadSample requests(double requestRate) {
    return new LoadSample(requestRate, 0, 0);
  }

  private static void check(String field, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new InvalidSampleException(field, value, "a finite rate of 0 or more per second");
    }
  }
}
