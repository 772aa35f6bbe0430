package dev.foresight.sim;

/**
 * Bucket bounds of a vLLM histogram and Prometheus' {@code histogram_quantile} over them.
 *
 * <p>Counts are per bucket (not cumulative), one per finite bound plus a last +Inf bucket.
 */
final class HistogramBuckets {
  /** {@code vllm:time_to_first_token_seconds}. */
  static final HistogramBuckets TTFT =
      new HistogramBuckets(
          0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5,
          10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0);

  /** {@code vllm:e2e_request_latency_seconds}. */
  static final HistogramBuckets E2E_LATENCY =
      new HistogramBuckets(
          0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0,
          240.0, 480.0, 960.0, 1920.0, 7680.0);

  private final double[] bounds;

  private HistogramBuckets(double... bounds) {
    this.bounds = bounds;
  }

  /** Number of buckets including +Inf. */
  int count() {
    return bounds.length + 1;
  }

  /** Upper bound of bucket {@code i}, seconds; +∞ for the last. */
  double bound(int i) {
    return i < bounds.length ? bounds[i] : Double.POSITIVE_INFINITY;
  }

  /** Index of the bucket {@code seconds} falls in (the first bound at or above it). */
  int index(double seconds) {
    int lo = 0;
    int hi = bounds.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (bounds[mid] >= seconds) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /**
   * Prometheus' {@code histogram_quantile(q, …)} over per-bucket counts: the rank {@code q · total}
   * is located in its bucket and interpolated linearly between the bucket's bounds (the lower bound
   * of the first bucket is 0); a rank in the +Inf bucket returns the highest finite bound. NaN when
   * there is no observation.
   */
  double quantile(double q, long[] counts) {
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
        if (i == bounds.length) {
          return bounds[bounds.length - 1];
        }
        double lower = i == 0 ? 0 : bounds[i - 1];
        double upper = bounds[i];
        return lower + (upper - lower) * (rank - before) / counts[i];
      }
    }
    return bounds[bounds.length - 1];
  }
}
