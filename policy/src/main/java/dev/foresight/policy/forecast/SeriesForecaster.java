package dev.foresight.policy.forecast;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Forecasts one non-negative series (a rate) sampled at a fixed interval. Immutable: {@link
 * #update} returns the next state and leaves this one as it was. Memory is bounded by one season
 * plus the residual, trend and horizon windows, whatever the length of the history.
 *
 * <p>Three models run side by side on every sample {@code y_t}:
 *
 * <ul>
 *   <li><b>{@value #TREND}</b>: a robust straight line through the last {@code trendWindow} samples
 *       (see {@link RobustTrend}), extrapolated with the same damping as Holt-Winters: {@code
 *       ŷ(t+h) = line(t) + slope (phi + phi^2 + ... + phi^h)}.
 *   <li><b>{@value #LAST_VALUE}</b>: persistence, {@code ŷ(t+h) = y_t}. Hard to beat at short
 *       horizons on bursty traffic whose level wanders; kept as a candidate so that the forecaster
 *       is never much worse than it.
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
 * <p><b>Residuals and model choice.</b> Each update also records every model's forecast for the
 * tracked horizon {@code h} (normally the current lead time); when the sample at that slot arrives,
 * the signed residual {@code y - ŷ} goes into that model's residual window ({@code residualWindow}
 * long). The model in use is the one with the lowest mean absolute h-step error over the same
 * recent slots, once at least {@value #MIN_COMPARISONS} such slots exist: among {@value #TREND} and
 * {@value #LAST_VALUE} before one season of history, among all three after (compared only on slots
 * where Holt-Winters forecast too). Until there is enough evidence the default is {@value #TREND},
 * and {@value #HOLT_WINTERS} from one season of history on. Ties go to {@value #HOLT_WINTERS}, then
 * {@value #TREND}.
 *
 * <p><b>Upper bound.</b> {@code upper = point + max(0, Q_q(residuals))}: the {@code
 * residualQuantile} level of the chosen model's recent signed residuals, so a model that tends to
 * under-forecast gets a higher bound. Until the chosen model has {@value #MIN_COMPARISONS}
 * residuals of its own, the trend's residuals stand in. With no residuals at all, upper = point.
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

  /** Name of the persistence model, as reported in decisions. */
  public static final String LAST_VALUE = "last-value";

  /** The models, in order of preference on equal error. */
  public static final List<String> MODELS = List.of(HOLT_WINTERS, TREND, LAST_VALUE);

  /** Comparable errors needed before the measured error overrides the default model. */
  public static final int MIN_COMPARISONS = 10;

  private static final int HW = 0;
  private static final int TR = 1;
  private static final int LV = 2;
  private static final int COUNT = 3;

  private final ForecasterSettings settings;
  private final long samples;
  private final PersistentDoubles season;
  private final double level;
  private final double trend;
  private final SlidingWindow recent;
  private final double trendLevel;
  private final double trendSlope;
  private final PersistentDoubles pendingTarget;

  /** Per model: forecasts waiting for their target slot. */
  private final PersistentDoubles[] pending;

  /** Per model: signed residuals at the tracked horizon. */
  private final SlidingWindow[] residuals;

  /** Per model: absolute errors on slots where Holt-Winters forecast as well. */
  private final SlidingWindow[] paired;

  /** The model in use, chosen once per state (see {@link #model()}). */
  private final int chosen;

  /** The upper-bound margin of the model in use, computed once per state. */
  private final double margin;

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
      PersistentDoubles[] pending,
      SlidingWindow[] residuals,
      SlidingWindow[] paired) {
    this.settings = settings;
    this.samples = samples;
    this.season = season;
    this.level = level;
    this.trend = trend;
    this.recent = recent;
    this.trendLevel = trendLevel;
    this.trendSlope = trendSlope;
    this.pendingTarget = pendingTarget;
    this.pending = pending;
    this.residuals = residuals;
    this.paired = paired;
    this.chosen = choose(settings, samples, residuals, paired);
    this.margin = margin(settings, chosen, residuals);
  }

  /** A forecaster that has seen nothing. */
  public static SeriesForecaster empty(ForecasterSettings settings) {
    Objects.requireNonNull(settings, "settings");
    int size = settings.maxHorizonSteps() + 1;
    PersistentDoubles none = PersistentDoubles.filled(size, Double.NaN);
    SlidingWindow window = SlidingWindow.empty(settings.residualWindow());
    return new SeriesForecaster(
        settings,
        0,
        PersistentDoubles.filled(settings.seasonPeriod(), 0),
        0,
        0,
        SlidingWindow.empty(settings.trendWindow()),
        0,
        0,
        PersistentDoubles.filled(size, -1),
        new PersistentDoubles[] {none, none, none},
        new SlidingWindow[] {window, window, window},
        new SlidingWindow[] {window, window, window});
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
    SlidingWindow[] nextResiduals = residuals;
    SlidingWindow[] nextPaired = paired;
    if (observed) {
      int slot = (int) (t % pendingSize);
      if (pendingTarget.get(slot) == t) {
        nextResiduals = residuals.clone();
        for (int k = 0; k < COUNT; k++) {
          double forecast = pending[k].get(slot);
          if (!Double.isNaN(forecast)) {
            nextResiduals[k] = residuals[k].push(value - forecast);
          }
        }
        if (!Double.isNaN(pending[HW].get(slot))) {
          nextPaired = paired.clone();
          for (int k = 0; k < COUNT; k++) {
            nextPaired[k] = paired[k].push(Math.abs(value - pending[k].get(slot)));
          }
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

    double nextTrendLevel = line.at(window.length - 1);
    double nextTrendSlope = line.slope();
    if (!observed) {
      return new SeriesForecaster(
          settings,
          t + 1,
          nextSeason,
          nextLevel,
          nextTrend,
          nextRecent,
          nextTrendLevel,
          nextTrendSlope,
          pendingTarget,
          pending,
          nextResiduals,
          nextPaired);
    }
    int h = Math.max(1, Math.min(trackedHorizonSteps, settings.maxHorizonSteps()));
    long target = t + h;
    int slot = (int) (target % pendingSize);
    PersistentDoubles[] nextPending = pending.clone();
    nextPending[HW] =
        pending[HW].with(
            slot,
            t + 1 >= m
                ? holtWintersPoint(settings, t + 1, nextSeason, nextLevel, nextTrend, h)
                : Double.NaN);
    nextPending[TR] =
        pending[TR].with(slot, trendPoint(settings, nextTrendLevel, nextTrendSlope, h));
    nextPending[LV] = pending[LV].with(slot, value);
    return new SeriesForecaster(
        settings,
        t + 1,
        nextSeason,
        nextLevel,
        nextTrend,
        nextRecent,
        nextTrendLevel,
        nextTrendSlope,
        pendingTarget.with(slot, target),
        nextPending,
        nextResiduals,
        nextPaired);
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
    return MODELS.get(chosen);
  }

  private static int choose(
      ForecasterSettings settings,
      long samples,
      SlidingWindow[] residuals,
      SlidingWindow[] paired) {
    boolean seasonal = samples >= settings.seasonPeriod();
    SlidingWindow[] errors = seasonal ? paired : residuals;
    int first = seasonal ? HW : TR;
    int enough = Math.min(MIN_COMPARISONS, settings.residualWindow());
    if (errors[first].size() < enough) {
      return first;
    }
    int best = first;
    double bestError = errors[first].meanAbsolute();
    for (int k = first + 1; k < COUNT; k++) {
      double error = errors[k].meanAbsolute();
      if (error < bestError) {
        best = k;
        bestError = error;
      }
    }
    return best;
  }

  private static double margin(ForecasterSettings settings, int chosen, SlidingWindow[] residuals) {
    SlidingWindow window =
        residuals[chosen].size() < Math.min(MIN_COMPARISONS, settings.residualWindow())
            ? residuals[TR]
            : residuals[chosen];
    if (window.isEmpty()) {
      return 0;
    }
    return Math.max(0, window.quantile(settings.residualQuantile()));
  }

  private static int index(String model) {
    int k = MODELS.indexOf(model);
    if (k < 0) {
      throw new IllegalArgumentException(
          "unknown model '" + model + "', expected one of " + MODELS);
    }
    return k;
  }

  /**
   * Mean absolute h-step error of {@code model} over the recent slots where all models made a
   * forecast (after one season) or over its own recent residuals (before); NaN when there are none.
   */
  public double meanAbsoluteError(String model) {
    int k = index(model);
    return (seasonal() ? paired[k] : residuals[k]).meanAbsolute();
  }

  /** The residual window of {@code model} (signed {@code actual - forecast}). */
  public SlidingWindow residuals(String model) {
    return residuals[index(model)];
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
    return switch (index(model)) {
      case HW -> {
        if (!seasonal()) {
          throw new IllegalStateException(
              "holt-winters needs " + settings.seasonPeriod() + " samples, has " + samples);
        }
        yield holtWintersPoint(settings, samples, season, level, trend, steps);
      }
      case TR -> trendPoint(settings, trendLevel, trendSlope, steps);
      default -> recent.latest();
    };
  }

  /**
   * What is added to the point forecast for the upper bound: {@code max(0, Q_q(residuals))} of the
   * model in use (see the class comment).
   */
  public double upperMargin() {
    return margin;
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
    String model = model();
    double point = point(model, steps);
    return new Forecast(model, horizon, point, point + upperMargin());
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

  /** Holt-Winters' forecast {@code steps} after sample {@code samples - 1}, clamped at 0. */
  private static double holtWintersPoint(
      ForecasterSettings settings,
      long samples,
      PersistentDoubles season,
      double level,
      double trend,
      int steps) {
    long target = samples - 1 + steps;
    double s = season.get((int) (target % settings.seasonPeriod()));
    return Math.max(0, level + trend * dampedSteps(settings, steps) + s);
  }

  private static double trendPoint(
      ForecasterSettings settings, double trendLevel, double trendSlope, int steps) {
    return Math.max(0, trendLevel + trendSlope * dampedSteps(settings, steps));
  }

  /** {@code phi + phi^2 + ... + phi^steps}: how many steps of trend a forecast extrapolates. */
  private static double dampedSteps(ForecasterSettings settings, int steps) {
    double phi = settings.smoothing().phi();
    if (phi >= 1) {
      return steps;
    }
    return phi * (1 - Math.pow(phi, steps)) / (1 - phi);
  }
}
