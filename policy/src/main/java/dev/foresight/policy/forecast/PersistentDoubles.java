package dev.foresight.policy.forecast;

import java.util.Arrays;

/**
 * A fixed-length array of doubles that is never modified: {@link #with} returns a copy with one
 * element changed. The copy shares all but one chunk of 32 elements with the original, so a write
 * costs one chunk plus the chunk table ({@code length / 32} references), not the whole array. This
 * keeps a forecaster's state a value while one update of a 1,440-slot season stays well under a
 * microsecond.
 */
final class PersistentDoubles {

  private static final int SHIFT = 5;
  private static final int CHUNK = 1 << SHIFT;
  private static final int MASK = CHUNK - 1;

  private final double[][] chunks;
  private final int length;

  private PersistentDoubles(double[][] chunks, int length) {
    this.chunks = chunks;
    this.length = length;
  }

  /** An array of {@code length} elements, each {@code value}. */
  static PersistentDoubles filled(int length, double value) {
    if (length < 1) {
      throw new IllegalArgumentException("length must be at least 1, got " + length);
    }
    int count = (length + CHUNK - 1) >>> SHIFT;
    double[][] chunks = new double[count][];
    for (int i = 0; i < count; i++) {
      chunks[i] = new double[CHUNK];
      Arrays.fill(chunks[i], value);
    }
    return new PersistentDoubles(chunks, length);
  }

  int length() {
    return length;
  }

  double get(int index) {
    return chunks[index >>> SHIFT][index & MASK];
  }

  /**
   * Copies {@code count} elements starting at {@code from} into {@code target} at {@code at}, a
   * chunk at a time.
   */
  void copyTo(int from, double[] target, int at, int count) {
    while (count > 0) {
      int offset = from & MASK;
      int n = Math.min(count, CHUNK - offset);
      System.arraycopy(chunks[from >>> SHIFT], offset, target, at, n);
      from += n;
      at += n;
      count -= n;
    }
  }

  /** The sum of the absolute values of elements {@code 0 .. count-1}. */
  double sumAbsolute(int count) {
    double sum = 0;
    for (int c = 0; count > 0; c++) {
      double[] chunk = chunks[c];
      int n = Math.min(count, CHUNK);
      for (int i = 0; i < n; i++) {
        sum += Math.abs(chunk[i]);
      }
      count -= n;
    }
    return sum;
  }

  /** A copy with element {@code index} set to {@code value}. */
  PersistentDoubles with(int index, double value) {
    if (index < 0 || index >= length) {
      throw new IndexOutOfBoundsException("index " + index + " outside [0, " + length + ")");
    }
    double[][] copy = chunks.clone();
    double[] chunk = copy[index >>> SHIFT].clone();
    chunk[index & MASK] = value;
    copy[index >>> SHIFT] = chunk;
    return new PersistentDoubles(copy, length);
  }

  /** A copy with element {@code index + i} set to {@code values[i]} for every i. */
  PersistentDoubles withAll(int index, double[] values) {
    if (values.length == 0) {
      return this;
    }
    double[][] copy = chunks.clone();
    int lastCopied = -1;
    for (int i = 0; i < values.length; i++) {
      int at = index + i;
      int c = at >>> SHIFT;
      if (c != lastCopied) {
        copy[c] = copy[c].clone();
        lastCopied = c;
      }
      copy[c][at & MASK] = values[i];
    }
    return new PersistentDoubles(copy, length);
  }
}
