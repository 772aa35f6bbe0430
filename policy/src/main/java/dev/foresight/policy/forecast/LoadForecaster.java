package dev.foresight.policy.forecast;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Forecasts the load of one workload: request rate, prompt token rate and generation token rate,
 * each with its own {@link SeriesForecaster}. Immutable; time is an input.
 *
 * <p><b>Slots.</b> The first sample fixes the origin; a sample at instant {@code at} belongs to
 * slot {@code round((at - origin) / sampleInterval)}, so ticks that jitter by less than half an
 * interval land in the right slot. A sample in the slot of the previous one is ignored (the
 * controller may tick faster than the forecaster samples). Skipped slots are imputed with the
 * one-step forecast so the season stays in phase; a gap longer than one season starts the
 * forecaster afresh from the new sample. A sample in an earlier slot than the last is an error.
 *
 * <p>Usage, once per tick:
 *
 * <pre>{@code
 * forecaster = forecaster.update(now, new LoadSample(rps, promptTps, genTps), leadTime);
 * LoadForecast ahead = forecaster.forecast(leadTime).orElseThrow();
 * }</pre>
 */
public final class LoadForecaster {

  private final ForecasterSettings settings;
  private final Instant origin;
  private final long lastSlot;
  private final SeriesForecaster requests;
  private final SeriesForecaster promptTokens;
  private final SeriesForecaster generationTokens;

  private LoadForecaster(
      ForecasterSettings settings,
      Instant origin,
      long lastSlot,
      SeriesForecaster requests,
      SeriesForecaster promptTokens,
      SeriesForecaster generationTokens) {
    this.settings = settings;
    this.origin = origin;
    this.lastSlot = lastSlot;
    this.requests = requests;
    this.promptTokens = promptTokens;
    this.generationTokens = generationTokens;
  }

  /** A forecaster that has seen nothing. */
  public static LoadForecaster empty(ForecasterSettings settings) {
    SeriesForecaster series = SeriesForecaster.empty(settings);
    return new LoadForecaster(settings, null, -1, series, series, series);
  }

  /**
   * The state after {@link #update} with every point of {@code history}, in order: what the
   * controller builds from Prometheus history at start-up and the simulator from a trace.
   *
   * @param trackedHorizon the horizon whose residuals are measured (the lead time)
   */
  public static LoadForecaster rebuild(
      ForecasterSettings settings, List<TimedLoad> history, Duration trackedHorizon) {
    LoadForecaster f = empty(settings);
    for (TimedLoad point : history) {
      f = f.update(point.at(), point.load(), trackedHorizon);
    }
    return f;
  }

  /**
   * The state after the load sample at {@code at}.
   *
   * @param trackedHorizon the horizon whose residuals are measured: the current lead time
   * @throws InvalidSampleException when {@code at} falls in a slot before the last sample's
   */
  public LoadForecaster update(Instant at, LoadSample load, Duration trackedHorizon) {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(load, "load");
    Objects.requireNonNull(trackedHorizon, "trackedHorizon");
    int h = settings.steps(trackedHorizon);
    if (origin == null) {
      return empty(settings).withOrigin(at).advance(0, load, h);
    }
    long slot = slotOf(at);
    if (slot < lastSlot) {
      throw new InvalidSampleException(
          "at", at, "an instant no earlier than the last sample's slot at " + slotStart(lastSlot));
    }
    if (slot == lastSlot) {
      return this;
    }
    long missing = slot - lastSlot - 1;
    if (missing > settings.seasonPeriod()) {
      return empty(settings).withOrigin(at).advance(0, load, h);
    }
    LoadForecaster f = this;
    for (long i = 0; i < missing; i++) {
      f =
          new LoadForecaster(
              settings,
              origin,
              f.lastSlot + 1,
              f.requests.impute(),
              f.promptTokens.impute(),
              f.generationTokens.impute());
    }
    return f.advance(slot, load, h);
  }

  private LoadForecaster withOrigin(Instant at) {
    return new LoadForecaster(settings, at, -1, requests, promptTokens, generationTokens);
  }

  private LoadForecaster advance(long slot, LoadSample load, int h) {
    return new LoadForecaster(
        settings,
        origin,
        slot,
        requests.update(load.requestRate(), h),
        promptTokens.update(load.promptTokenRate(), h),
        generationTokens.update(load.generationTokenRate(), h));
  }

  private long slotOf(Instant at) {
    long interval = settings.sampleInterval().toMillis();
    long elapsed = Duration.between(origin, at).toMillis();
    return Math.floorDiv(elapsed + interval / 2, interval);
  }

  private Instant slotStart(long slot) {
    return origin.plus(settings.sampleInterval().multipliedBy(slot));
  }

  public ForecasterSettings settings() {
    return settings;
  }

  /** The nominal instant of the last sample's slot; empty before the first sample. */
  public Optional<Instant> lastSampleAt() {
    return origin == null ? Optional.empty() : Optional.of(slotStart(lastSlot));
  }

  public SeriesForecaster requests() {
    return requests;
  }

  public SeriesForecaster promptTokens() {
    return promptTokens;
  }

  public SeriesForecaster generationTokens() {
    return generationTokens;
  }

  /**
   * The forecast {@code horizon} after the last sample ({@code ceil(horizon / sampleInterval)}
   * samples ahead); empty before the first sample.
   */
  public Optional<LoadForecast> forecast(Duration horizon) {
    if (origin == null) {
      return Optional.empty();
    }
    int steps = settings.steps(horizon);
    return Optional.of(
        new LoadForecast(
            requests.forecast(steps, horizon),
            promptTokens.forecast(steps, horizon),
            generationTokens.forecast(steps, horizon)));
  }

  /**
   * The highest forecast of each series within {@code horizon} after the last sample; empty before
   * the first sample.
   */
  public Optional<LoadForecast> peak(Duration horizon) {
    if (origin == null) {
      return Optional.empty();
    }
    int steps = settings.steps(horizon);
    return Optional.of(
        new LoadForecast(
            requests.peak(steps, horizon),
            promptTokens.peak(steps, horizon),
            generationTokens.peak(steps, horizon)));
  }
}
