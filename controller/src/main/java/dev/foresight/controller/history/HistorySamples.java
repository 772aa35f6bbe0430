package dev.foresight.controller.history;

import dev.foresight.controller.prometheus.History;
import dev.foresight.policy.forecast.LoadSample;
import dev.foresight.policy.forecast.TimedLoad;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns histories read at the range-query step into load samples at the forecaster's own sample
 * interval.
 *
 * <p>Why resample: the forecaster learns only from observed slots (a skipped slot is imputed with
 * its own forecast and teaches nothing), so 5-minute history fed to a 1-minute forecaster would
 * leave four of every five seasonal slots unlearned. Each forecaster slot instant {@code t} gets
 * the request rate linearly interpolated between the two history points around it; a point is used
 * only when it holds a finite rate of 0 or more. A slot next to a gap (NaN, negative or infinite
 * value) yields no sample, so gaps are skipped rather than read as zero load, and the forecaster
 * bridges them as it does live gaps.
 *
 * <p>Token rates are interpolated the same way and count as 0 where missing, as the decision engine
 * treats a missing token rate next to a present request rate.
 */
final class HistorySamples {

  private HistorySamples() {}

  /**
   * The samples at {@code interval} from {@code requests}' first slot to its last; {@code prompt}
   * and {@code generation}, when present, must share its start, step and length.
   */
  static List<TimedLoad> of(
      History requests, Optional<History> prompt, Optional<History> generation, Duration interval) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive: " + interval);
    }
    double[] r = requests.values();
    double[] p = prompt.map(History::values).orElse(null);
    double[] g = generation.map(History::values).orElse(null);
    for (double[] other : new double[][] {p, g}) {
      if (other != null && other.length != r.length) {
        throw new IllegalArgumentException("histories of different lengths");
      }
    }
    List<TimedLoad> out = new ArrayList<>();
    if (r.length == 0) {
      return out;
    }
    long startMs = requests.start().toEpochMilli();
    long stepMs = requests.step().toMillis();
    long endMs = startMs + (r.length - 1) * stepMs;
    long intervalMs = interval.toMillis();
    for (long t = startMs; t <= endMs; t += intervalMs) {
      double position = (double) (t - startMs) / stepMs;
      double rate = at(r, position);
      if (Double.isNaN(rate)) {
        continue;
      }
      out.add(
          new TimedLoad(
              Instant.ofEpochMilli(t),
              new LoadSample(rate, orZero(at(p, position)), orZero(at(g, position)))));
    }
    return out;
  }

  /** {@code values} interpolated at fractional slot {@code position}; NaN beside a gap. */
  private static double at(double[] values, double position) {
    if (values == null) {
      return Double.NaN;
    }
    int i = (int) Math.floor(position);
    double fraction = position - i;
    if (!usable(values, i)) {
      return Double.NaN;
    }
    if (fraction == 0) {
      return values[i];
    }
    if (!usable(values, i + 1)) {
      return Double.NaN;
    }
    return values[i] + fraction * (values[i + 1] - values[i]);
  }

  private static boolean usable(double[] values, int i) {
    return i >= 0 && i < values.length && values[i] >= 0 && Double.isFinite(values[i]);
  }

  private static double orZero(double v) {
    return Double.isNaN(v) ? 0 : v;
  }
}
