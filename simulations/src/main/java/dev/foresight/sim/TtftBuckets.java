package dev.foresight.sim;

/**
 * The bucket bounds of vLLM's {@code vllm:time_to_first_token_seconds} histogram and Prometheus'
 * {@code histogram_quantile} over them.
 */
final class TtftBuckets {
  /** Upper bounds, seconds; a last, implicit bucket is +Inf. */
  static final double[] BOUNDS = {
    0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0,
    20.0, 40.0, 80.0, 160.0, 640.0, 2560.0
  };

  /** Number of buckets including +Inf. */
  static final int COUNT = BOUNDS.length + 1;

  private TtftBuckets() {}

  /** Index of the bucket {@code seconds} falls in (the first bound at or above it). */
  static int index(double seconds) {
    int lo = 0;
    int hi = BOUNDS.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (BOUNDS[mid] >= seconds) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /**
   * Prometheus' {@code histogram_quantile(q, …)} over per-bucket (not cumulative) counts: the rank
   * {@code q · total} is located in its bucket and interpolated linearly between the bucket's
   * bounds (the lower bound of the first bucket is 0); a rank in the +Inf bucket returns the
   * highest finite bound. NaN when there is no observation.
   */
  static double quantile(double q, long[] counts) {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    if (total == 0) {
      return Double.NaN;
    }
    double rank = q * total;
    long cumulative = 0;
    for (int i = 0; i < counts.length; i++) {
      long before = cumulative;
      cumulative += counts[i];
      if (cumulative >= rank && counts[i] > 0) {
        if (i == BOUNDS.length) {
          return BOUNDS[BOUNDS.length - 1];
        }
        double lower = i == 0 ? 0 : BOUNDS[i - 1];
        double upper = BOUNDS[i];
        return lower + (upper - lower) * (rank - before) / counts[i];
      }
    }
    return BOUNDS[BOUNDS.length - 1];
  }
}
