package dev.foresight.policy.forecast;

/**
 * Order statistics by quickselect (Hoare): expected O(n), against O(n log n) for sorting. Used on
 * every tick for the residual quantile and the trend's median, where sorting was most of the cost.
 */
final class Select {

  private Select() {}

  /**
   * The {@code k}-th smallest value (0-based) of {@code a[0..n-1]}. Reorders {@code a} so that
   * {@code a[k]} is that value, everything before it is at most it and everything after at least
   * it.
   */
  static double kth(double[] a, int k) {
    int left = 0;
    int right = a.length - 1;
    while (right > left) {
      int mid = (left + right) >>> 1;
      // Median of three as pivot: sorted inputs stay linear.
      if (a[mid] < a[left]) {
        swap(a, mid, left);
      }
      if (a[right] < a[left]) {
        swap(a, right, left);
      }
      if (a[right] < a[mid]) {
        swap(a, right, mid);
      }
      double pivot = a[mid];
      int i = left;
      int j = right;
      while (i <= j) {
        while (a[i] < pivot) {
          i++;
        }
        while (a[j] > pivot) {
          j--;
        }
        if (i <= j) {
          swap(a, i, j);
          i++;
          j--;
        }
      }
      if (k <= j) {
        right = j;
      } else if (k >= i) {
        left = i;
      } else {
        return a[k];
      }
    }
    return a[k];
  }

  /**
   * The median of {@code a} (mean of the two middle values when the length is even); reorders it.
   */
  static double median(double[] a) {
    int n = a.length;
    double upper = kth(a, n / 2);
    if (n % 2 == 1) {
      return upper;
    }
    return (max(a, 0, n / 2) + upper) / 2;
  }

  /**
   * The type-7 {@code q}-quantile of {@code a} (see {@link SlidingWindow}); reorders it. NaN when
   * empty.
   */
  static double quantile(double[] a, double q) {
    int n = a.length;
    if (n == 0) {
      return Double.NaN;
    }
    double h = (n - 1) * q;
    int below = (int) Math.floor(h);
    double low = kth(a, below);
    if (below >= n - 1 || h == below) {
      return low;
    }
    double high = min(a, below + 1, n);
    return low + (h - below) * (high - low);
  }

  private static double min(double[] a, int from, int to) {
    double min = a[from];
    for (int i = from + 1; i < to; i++) {
      min = Math.min(min, a[i]);
    }
    return min;
  }

  private static double max(double[] a, int from, int to) {
    double max = a[from];
    for (int i = from + 1; i < to; i++) {
      max = Math.max(max, a[i]);
    }
    return max;
  }

  private static void swap(double[] a, int i, int j) {
    double t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
