package dev.foresight.policy.forecast;

import java.time.Duration;
import java.util.Objects;

/**
 * Forecasts one non-negative series (a rate) sampled at a fixed interval. Immutable: {@link
 * #update} returns the next state and leaves this one as it was. Memory is bounded by one season
 * plus the residual, trend and horizon windows, whatever the length of the history.
 *
 * <p>Two models run side by side on every sample {@code y_t}:
 *
 * <ul>
 *   <li><b>{@value #TREND}</b>: a robust straight line through the last {@code trendWindow} samples
 *       (see {@link RobustTrend}), extrapolated with the same damping as Holt-Winters: {@code
 *       ŷ(t+h) = line(t) + slope (phi + phi^2 + ... + phi^h)}.
 *   <li><b>{@value #HOLT_WINTERS}</b>: additive Holt-Winters with damped trend and a season of
 *       {@code m = seasonPeriod} samples, available once one season of history exists. The first
 *       season initialises it: level {@code l = mean(y_0 .. y_(m-1))}, trend {@code b = 0}, season
 *       {@code s_i = y_i - l}. After that, with smoothing constants alpha, beta, gamma and damping
 *       phi:
 *       <pre>
 * l_t = alpha (y_t - s_(t-m)) + (1 - alpha) (l_(t-1) + phi b_(t-1))
 * b_t = beta (l_t - l_(t-1)) + (1 - beta) phi b_(t-1)
 * s_t = gamma (y_t - l_(t-1) - phi b_(t-1)) + (1 - gamma) s_(t-m)
 * ŷ(t+h) = l_t + (phi + ... + phi^h) b_t + s_(t+h-m)      (for h &gt; m the latest s of that phase)
 * </pre>
 * </ul>
 *
 * Forecasts are clamped at 0 (a rate cannot be negative).
 *
 * <p><b>Residuals and model choice.</b> Each update also records both models' forecasts for the
 * tracked horizon {@code h} (normally the current lead time); when the sample at that slot arrives,
 * the signed residual {@code y - ŷ} goes into the model's residual window ({@code residualWindow}
 * long). The model in use is {@value #TREND} until one season of history exists, then {@value
 * #HOLT_WINTERS} unless, over at least {@value #MIN_COMPARISONS} slots where both made a forecast,
 * the trend's mean absolute h-step error is lower.
 *
 * <p><b>Upper bound.</b> {@code upper = point + max(0, Q_q(residuals))}: the {@code
 * residualQuantile} level of the chosen model's recent signed residuals, so a model that tends to
 * under-forecast gets a higher bound. Until Holt-Winters has {@value #MIN_COMPARISONS} residuals of
 * its own, the trend's residuals stand in. With no residuals at all, upper = point.
 *
 * <p>Usage:
 *
 * <pre>{@code
 * SeriesForecaster f = SeriesForecaster.empty(settings);
 * for (double y : rates) f = f.update(y, leadSteps);
 * Forecast next = f.forecast(leadSteps, lead);
 * }</pre>
 */
public final class SeriesForecaster {

  /** Name of the seasonal model, as reported in decisions. */
  public static final String HOLT_WINTERS = "holt-winters";

  /** Name of the short-term trend model, as reported in decisions. */
  public static final String TREND = "trend";

  /** Paired errors needed before the trend can displace Holt-Winters. */
  public static final int MIN_COMPARISONS = 10;

  private final ForecasterSettings settings;
  private final long samples;
  private final PersistentDoubles season;
  private final double level;
  private final double trend;
  private final SlidingWindow recent;
  private final double trendLevel;
  private final double trendSlope;
  private final PersistentDoubles pendingTarget;
  private final PersistentDoubles pendingHoltWinters;
  private final PersistentDoubles pendingTrend;
  private final SlidingWindow holtWintersResiduals;
  private final SlidingWindow trendResiduals;
  private final SlidingWindow pairedHoltWintersErrors;
  private final SlidingWindow pairedTrendErrors;

  private SeriesForecaster(
      ForecasterSettings settings,
      long samples,
      PersistentDoubles season,
      double level,
      double trend,
      SlidingWindow recent,
      double trendLevel,
      double trendSlope,
      PersistentDoubles pendingTarget,
      PersistentDoubles pendingHoltWinters,
      PersistentDoubles pendingTrend,
      SlidingWindow holtWintersResiduals,
      SlidingWindow trendResiduals,
      SlidingWindow pairedHoltWintersErrors,
      SlidingWindow pairedTrendErrors) {
    this.settings = settings;
    this.samples = samples;
    this.season = season;
    this.level = level;
    this.trend = trend;
    this.recent = recent;
    this.trendLevel = trendLevel;
    this.trendSlope = trendSlope;
    this.pendingTarget = pendingTarget;
    this.pendingHoltWinters = pendingHoltWinters;
    this.pendingTrend = pendingTrend;
    this.holtWintersResiduals = holtWintersResiduals;
    this.trendResiduals = trendResiduals;
    this.pairedHoltWintersErrors = pairedHoltWintersErrors;
    this.pairedTrendErrors = pairedTrendErrors;
  }

  /** A forecaster that has seen nothing. */
  public static SeriesForecaster empty(ForecasterSettings settings) {
    Objects.requireNonNull(settings, "settings");
    int pending = settings.maxHorizonSteps() + 1;
    SlidingWindow residuals = SlidingWindow.empty(settings.residualWindow());
    return new SeriesForecaster(
        settings,
        0,
        PersistentDoubles.filled(settings.seasonPeriod(), 0),
        0,
        0,
        SlidingWindow.empty(settings.trendWindow()),
        0,
        0,
        PersistentDoubles.filled(pending, -1),
        PersistentDoubles.filled(pending, Double.NaN),
        PersistentDoubles.filled(pending, Double.NaN),
        residuals,
        residuals,
        residuals,
        residuals);
  }

  /**
   * The state after {@link #update}s with every value of {@code values}, in order, all tracking
   * {@code trackedHorizonSteps}.
   */
  public static SeriesForecaster rebuild(
      ForecasterSettings settings, double[] values, int trackedHorizonSteps) {
    SeriesForecaster f = empty(settings);
    for (double value : values) {
      f = f.update(value, trackedHorizonSteps);
    }
    return f;
  }

  /**
   * The state after one more sample.
   *
   * @param value the sample, a finite number of 0 or more
   * @param trackedHorizonSteps the horizon, in samples, whose residuals should be measured (the
   *     current lead time); clamped to [1, maxHorizonSteps]
   * @throws InvalidSampleException when {@code value} is negative, NaN or infinite
   */
  public SeriesForecaster update(double value, int trackedHorizonSteps) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new InvalidSampleException("value", value, "a finite number of 0 or more");
    }
    return advance(value, trackedHorizonSteps, true);
  }

  /**
   * The state after one slot with no sample: the chosen model's one-step forecast stands in for it,
   * so the season stays in phase. Nothing is learned about errors from an imputed slot.
   */
  public SeriesForecaster impute() {
    return advance(samples == 0 ? 0 : point(1), 1, false);
  }

  private SeriesForecaster advance(double value, int trackedHorizonSteps, boolean observed) {
    long t = samples;
    int pendingSize = pendingTarget.length();
    SlidingWindow hwResiduals = holtWintersResiduals;
    SlidingWindow trResiduals = trendResiduals;
    SlidingWindow pairedHw = pairedHoltWintersErrors;
    SlidingWindow pairedTr = pairedTrendErrors;
    if (observed) {
      int slot = (int) (t % pendingSize);
      if (pendingTarget.get(slot) == t) {
        double trendForecast = pendingTrend.get(slot);
        double hwForecast = pendingHoltWinters.get(slot);
        trResiduals = trResiduals.push(value - trendForecast);
        if (!Double.isNaN(hwForecast)) {
          hwResiduals = hwResiduals.push(value - hwForecast);
          pairedHw = pairedHw.push(Math.abs(value - hwForecast));
          pairedTr = pairedTr.push(Math.abs(value - trendForecast));
        }
      }
    }

    int m = settings.seasonPeriod();
    int phase = (int) (t % m);
    PersistentDoubles nextSeason;
    double nextLevel = level;
    double nextTrend = trend;
    if (t < m) {
      nextSeason = season.with(phase, value);
      if (t == m - 1) {
        double[] first = new double[m];
        double sum = 0;
        for (int i = 0; i < m; i++) {
          first[i] = nextSeason.get(i);
          sum += first[i];
        }
        double mean = sum / m;
        for (int i = 0; i < m; i++) {
          first[i] -= mean;
        }
        nextSeason = nextSeason.withAll(0, first);
        nextLevel = mean;
        nextTrend = 0;
      }
    } else {
      HoltWintersParameters p = settings.smoothing();
      double s = season.get(phase);
      double damped = p.phi() * trend;
      nextLevel = p.alpha() * (value - s) + (1 - p.alpha()) * (level + damped);
      nextTrend = p.beta() * (nextLevel - level) + (1 - p.beta()) * damped;
      nextSeason = season.with(phase, p.gamma() * (value - level - damped) + (1 - p.gamma()) * s);
    }

    SlidingWindow nextRecent = recent.push(value);
    double[] window = nextRecent.toArray();
    RobustTrend.Line line = RobustTrend.fit(window);

    SeriesForecaster next =
        new SeriesForecaster(
            settings,
            t + 1,
            nextSeason,
            nextLevel,
            nextTrend,
            nextRecent,
            line.at(window.length - 1),
            line.slope(),
            pendingTarget,
            pendingHoltWinters,
            pendingTrend,
            hwResiduals,
            trResiduals,
            pairedHw,
            pairedTr);
    if (!observed) {
      return next;
    }
    int h = Math.max(1, Math.min(trackedHorizonSteps, settings.maxHorizonSteps()));
    long target = t + h;
    int slot = (int) (target % pendingSize);
    return new SeriesForecaster(
        settings,
        next.samples,
        next.season,
        next.level,
        next.trend,
        next.recent,
        next.trendLevel,
        next.trendSlope,
        pendingTarget.with(slot, target),
        pendingHoltWinters.with(slot, next.seasonal() ? next.holtWintersPoint(h) : Double.NaN),
        pendingTrend.with(slot, next.trendPoint(h)),
        hwResiduals,
        trResiduals,
        pairedHw,
        pairedTr);
  }

  public ForecasterSettings settings() {
    return settings;
  }

  /** Slots seen so far, imputed ones included. */
  public long samples() {
    return samples;
  }

  /** Whether one season of history exists, so that Holt-Winters can forecast. */
  public boolean seasonal() {
    return samples >= settings.seasonPeriod();
  }

  /** The model in use now (see the class comment); {@value #TREND} before any sample. */
  public String model() {
    if (!seasonal()) {
      return TREND;
    }
    if (pairedHoltWintersErrors.size() < Math.min(MIN_COMPARISONS, settings.residualWindow())) {
      return HOLT_WINTERS;
    }
    return pairedHoltWintersErrors.meanAbsolute() <= pairedTrendErrors.meanAbsolute()
        ? HOLT_WINTERS
        : TREND;
  }

  /**
   * Mean absolute h-step error of {@code model} over the recent slots where both models made a
   * forecast; NaN when there are none.
   */
  public double meanAbsoluteError(String model) {
    return switch (model) {
      case HOLT_WINTERS -> pairedHoltWintersErrors.meanAbsolute();
      case TREND -> pairedTrendErrors.meanAbsolute();
      default -> throw new IllegalArgumentException("unknown model '" + model + "'");
    };
  }

  /** The residual window of {@code model} (signed {@code actual - forecast}). */
  public SlidingWindow residuals(String model) {
    return switch (model) {
      case HOLT_WINTERS -> holtWintersResiduals;
      case TREND -> trendResiduals;
      default -> throw new IllegalArgumentException("unknown model '" + model + "'");
    };
  }

  /** The point forecast {@code steps} samples after the last one, by the model in use. */
  public double point(int steps) {
    return point(model(), steps);
  }

  /**
   * The point forecast of {@code model} {@code steps} samples after the last one.
   *
   * @throws IllegalStateException for {@value #HOLT_WINTERS} before one season of history
   */
  public double point(String model, int steps) {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be at least 1, got " + steps);
    }
    return switch (model) {
      case HOLT_WINTERS -> {
        if (!seasonal()) {
          throw new IllegalStateException(
              "holt-winters needs " + settings.seasonPeriod() + " samples, has " + samples);
        }
        yield holtWintersPoint(steps);
      }
      case TREND -> trendPoint(steps);
      default -> throw new IllegalArgumentException("unknown model '" + model + "'");
    };
  }

  /**
   * What is added to the point forecast for the upper bound: {@code max(0, Q_q(residuals))} of the
   * model in use (see the class comment).
   */
  public double upperMargin() {
    SlidingWindow residuals =
        HOLT_WINTERS.equals(model())
                && holtWintersResiduals.size()
                    < Math.min(MIN_COMPARISONS, settings.residualWindow())
            ? trendResiduals
            : residuals(model());
    if (residuals.isEmpty()) {
      return 0;
    }
    return Math.max(0, residuals.quantile(settings.residualQuantile()));
  }

  /**
   * The forecast {@code steps} samples after the last one.
   *
   * @param steps samples ahead, at least 1
   * @param horizon the same horizon as a duration, carried into the result
   * @throws IllegalStateException before the first sample
   */
  public Forecast forecast(int steps, Duration horizon) {
    requireSamples();
    double point = point(steps);
    return new Forecast(model(), horizon, point, point + upperMargin());
  }

  /**
   * The highest forecast over the next {@code steps} samples: point and upper bound of the step
   * with the highest point. Used to keep replicas that will be needed again soon.
   */
  public Forecast peak(int steps, Duration horizon) {
    requireSamples();
    String model = model();
    double highest = 0;
    for (int k = 1; k <= steps; k++) {
      highest = Math.max(highest, point(model, k));
    }
    return new Forecast(model, horizon, highest, highest + upperMargin());
  }

  private void requireSamples() {
    if (samples == 0) {
      throw new IllegalStateException("no samples yet: nothing to forecast from");
    }
  }

  private double holtWintersPoint(int steps) {
    long target = samples - 1 + steps;
    double s = season.get((int) (target % settings.seasonPeriod()));
    return Math.max(0, level + trend * dampedSteps(steps) + s);
  }

  private double trendPoint(int steps) {
    return Math.max(0, trendLevel + trendSlope * dampedSteps(steps));
  }

  /** {@code phi + phi^2 + ... + phi^steps}: how many steps of trend a forecast extrapolates. */
  private double dampedSteps(int steps) {
    double phi = settings.smoothing().phi();
    if (phi >= 1) {
      return steps;
    }
    return phi * (1 - Math.pow(phi, steps)) / (1 - phi);
  }
}
