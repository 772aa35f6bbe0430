package dev.foresight.policy.forecast;

/**
 * The last {@code capacity} values of a stream, as an immutable value: {@link #push} returns a new
 * window that shares storage with this one (see {@link PersistentDoubles}), so pushing costs O(1)
 * memory however long the window is.
 *
 * <p>Quantiles use linear interpolation between order statistics (Hyndman &amp; Fan type 7, the
 * default of R and NumPy): for {@code n} sorted values {@code x[1..n]} and level {@code q}, the
 * position is {@code h = (n - 1) q + 1} and the quantile {@code x[floor h] + (h - floor h) (x[floor
 * h + 1] - x[floor h])}. A quantile therefore never leaves the observed range, and at {@code q =
 * 0.9} up to {@code floor(0.1 (n - 1))} outliers above the bulk do not move it.
 *
 * <p>Usage: {@code SlidingWindow.empty(20).push(90).push(95).quantile(0.9)}.
 */
public final class SlidingWindow {

  private final PersistentDoubles values;
  private final long pushed;

  private SlidingWindow(PersistentDoubles values, long pushed) {
    this.values = values;
    this.pushed = pushed;
  }

  /**
   * An empty window that keeps the last {@code capacity} values.
   *
   * @throws IllegalArgumentException when {@code capacity < 1}
   */
  public static SlidingWindow empty(int capacity) {
    return new SlidingWindow(PersistentDoubles.filled(capacity, Double.NaN), 0);
  }

  /** How many values the window keeps at most. */
  public int capacity() {
    return values.length();
  }

  /** How many values the window holds now: {@code min(pushed, capacity)}. */
  public int size() {
    return (int) Math.min(pushed, values.length());
  }

  /** How many values were ever pushed. */
  public long pushed() {
    return pushed;
  }

  public boolean isEmpty() {
    return pushed == 0;
  }

  /** A window with {@code value} added, dropping the oldest value when full. */
  public SlidingWindow push(double value) {
    int slot = (int) (pushed % values.length());
    return new SlidingWindow(values.with(slot, value), pushed + 1);
  }

  /** The values held, oldest first. */
  public double[] toArray() {
    int size = size();
    int capacity = values.length();
    double[] out = new double[size];
    int first = (int) ((pushed - size) % capacity);
    int head = Math.min(size, capacity - first);
    values.copyTo(first, out, 0, head);
    values.copyTo(0, out, head, size - head);
    return out;
  }

  /** The most recent value; NaN when empty. */
  public double latest() {
    return pushed == 0 ? Double.NaN : values.get((int) ((pushed - 1) % values.length()));
  }

  /**
   * The {@code q}-quantile of the values held (type 7, see the class comment); NaN when empty.
   *
   * @param q the level, in [0, 1]
   */
  public double quantile(double q) {
    if (!(q >= 0 && q <= 1)) {
      throw new IllegalArgumentException("quantile level must be in [0, 1], got " + q);
    }
    if (pushed == 0) {
      return Double.NaN;
    }
    return Select.quantile(toArray(), q);
  }

  /** The mean of the absolute values held; NaN when empty. */
  public double meanAbsolute() {
    if (pushed == 0) {
      return Double.NaN;
    }
    // Every held value, in storage order: the sum does not depend on the order.
    return values.sumAbsolute(size()) / size();
  }
}
