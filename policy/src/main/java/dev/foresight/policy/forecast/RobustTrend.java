package dev.foresight.policy.forecast;

import java.util.Arrays;

/**
 * A straight line fitted to the last few samples, resistant to spikes: Huber M-estimation by
 * iteratively reweighted least squares.
 *
 * <p>On {@code x = 0 .. n-1}, start from ordinary least squares, then repeat: residuals {@code r_i
 * = y_i - (a + b x_i)}; robust scale {@code s = 1.4826 median|r_i|} (the normal-consistent median
 * absolute deviation around the line); weights {@code w_i = min(1, k s / |r_i|)} with Huber's
 * {@code k = 1.345} (95% efficiency under normal noise); weighted least squares again. Samples
 * within {@code k s} of the line keep full weight; a spike's weight shrinks in proportion to its
 * distance, so one spike moves the line by about {@code k s / n} instead of {@code spike / n}.
 */
final class RobustTrend {

  static final double HUBER_K = 1.345;
  static final double MAD_TO_SIGMA = 1.4826;
  static final int REWEIGHTINGS = 3;

  private RobustTrend() {}

  /** A fitted line {@code y = intercept + slope x}. */
  record Line(double intercept, double slope) {
    double at(double x) {
      return intercept + slope * x;
    }
  }

  /** The line through {@code y[0..n-1]} at {@code x = 0 .. n-1}; flat through y[0] when n = 1. */
  static Line fit(double[] y) {
    int n = y.length;
    if (n == 0) {
      throw new IllegalArgumentException("cannot fit a line to no samples");
    }
    if (n == 1) {
      return new Line(y[0], 0);
    }
    double[] w = new double[n];
    Arrays.fill(w, 1);
    Line line = weighted(y, w);
    double[] absResiduals = new double[n];
    double[] scratch = new double[n];
    for (int iteration = 0; iteration < REWEIGHTINGS; iteration++) {
      for (int i = 0; i < n; i++) {
        absResiduals[i] = Math.abs(y[i] - line.at(i));
      }
      System.arraycopy(absResiduals, 0, scratch, 0, n);
      double scale = MAD_TO_SIGMA * Select.median(scratch);
      if (!(scale > 0)) {
        // At least half of the samples lie on the line: it is already the robust fit.
        break;
      }
      double cut = HUBER_K * scale;
      for (int i = 0; i < n; i++) {
        w[i] = absResiduals[i] <= cut ? 1 : cut / absResiduals[i];
      }
      line = weighted(y, w);
    }
    return line;
  }

  private static Line weighted(double[] y, double[] w) {
    double sw = 0;
    double swx = 0;
    double swy = 0;
    double swxx = 0;
    double swxy = 0;
    for (int i = 0; i < y.length; i++) {
      sw += w[i];
      swx += w[i] * i;
      swy += w[i] * y[i];
      swxx += w[i] * i * i;
      swxy += w[i] * i * y[i];
    }
    double denominator = sw * swxx - swx * swx;
    if (!(denominator > 0)) {
      return new Line(swy / sw, 0);
    }
    double slope = (sw * swxy - swx * swy) / denominator;
    return new Line((swy - slope * swx) / sw, slope);
  }
}
