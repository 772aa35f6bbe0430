package dev.foresight.policy.forecast;

import java.util.Random;

/**
 * Synthetic rate series with known structure: a daily sinusoid, a linear trend, level steps,
 * isolated spikes and Gaussian noise, all from a fixed seed.
 */
final class Synthetic {

  private final double base;
  private final double amplitude;
  private final int period;
  private final double trendPerSample;
  private final double noiseSd;
  private final long seed;

  Synthetic(
      double base, double amplitude, int period, double trendPerSample, double noiseSd, long seed) {
    this.base = base;
    this.amplitude = amplitude;
    this.period = period;
    this.trendPerSample = trendPerSample;
    this.noiseSd = noiseSd;
    this.seed = seed;
  }

  /** The noise-free value at sample {@code t}. */
  double truth(int t) {
    return base + amplitude * Math.sin(2 * Math.PI * t / period) + trendPerSample * t;
  }

  /** {@code n} samples: truth plus noise, clamped at 0. */
  double[] series(int n) {
    Random random = new Random(seed);
    double[] y = new double[n];
    for (int t = 0; t < n; t++) {
      y[t] = Math.max(0, truth(t) + noiseSd * random.nextGaussian());
    }
    return y;
  }

  /** Mean absolute percentage error, in percent, of forecasts against actual values. */
  static double mape(double[] actual, double[] forecast) {
    double sum = 0;
    for (int i = 0; i < actual.length; i++) {
      sum += Math.abs(actual[i] - forecast[i]) / actual[i];
    }
    return 100 * sum / actual.length;
  }
}
