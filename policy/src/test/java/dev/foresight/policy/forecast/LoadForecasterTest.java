package dev.foresight.policy.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LoadForecasterTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final Duration LEAD = Duration.ofMinutes(3);
  private static final ForecasterSettings SETTINGS =
      new ForecasterSettings(60, MINUTE, 0.9, 60, 20, 30, HoltWintersParameters.defaults());

  private static LoadSample load(double rps) {
    return new LoadSample(rps, 1000 * rps, 200 * rps);
  }

  @Test
  void forecastsAllThreeSeries() {
    LoadForecaster f = LoadForecaster.empty(SETTINGS);
    assertThat(f.forecast(LEAD)).isEmpty();
    for (int i = 0; i < 30; i++) {
      f = f.update(T0.plus(MINUTE.multipliedBy(i)), load(10 + i), LEAD);
    }
    LoadForecast ahead = f.forecast(LEAD).orElseThrow();
    assertThat(ahead.requests().model()).isEqualTo(SeriesForecaster.TREND);
    assertThat(ahead.requests().horizon()).isEqualTo(LEAD);
    double phi = HoltWintersParameters.defaults().phi();
    double expected = 39 + phi + phi * phi + phi * phi * phi;
    assertThat(ahead.requests().point()).isCloseTo(expected, within(1e-6));
    assertThat(ahead.promptTokens().point()).isCloseTo(1000 * expected, within(1e-3));
    assertThat(ahead.generationTokens().point()).isCloseTo(200 * expected, within(1e-3));
    assertThat(f.lastSampleAt()).contains(T0.plus(MINUTE.multipliedBy(29)));
  }

  static Stream<Arguments> slotting() {
    return Stream.of(
        // name, second sample's offset from the first, samples seen afterwards
        Arguments.of("on time", Duration.ofSeconds(60), 2L),
        Arguments.of("29 s late still lands in slot 1", Duration.ofSeconds(89), 2L),
        Arguments.of("29 s early still lands in slot 1", Duration.ofSeconds(31), 2L),
        Arguments.of("same slot is ignored", Duration.ofSeconds(20), 1L),
        Arguments.of("two slots later imputes one", Duration.ofSeconds(120), 3L),
        Arguments.of("a gap of one season is imputed", Duration.ofMinutes(61), 62L),
        Arguments.of("a gap longer than a season starts afresh", Duration.ofMinutes(62), 1L));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("slotting")
  void samplesLandInSlots(String name, Duration offset, long samples) {
    LoadForecaster f = LoadForecaster.empty(SETTINGS).update(T0, load(5), LEAD);
    f = f.update(T0.plus(offset), load(7), LEAD);
    assertThat(f.requests().samples()).isEqualTo(samples);
  }

  @Test
  void aSampleInAnEarlierSlotIsAnError() {
    LoadForecaster f =
        LoadForecaster.empty(SETTINGS)
            .update(T0, load(5), LEAD)
            .update(T0.plus(MINUTE), load(6), LEAD);
    assertThatThrownBy(() -> f.update(T0, load(7), LEAD))
        .isInstanceOf(InvalidSampleException.class)
        .hasMessageContaining("at: got '2026-01-01T00:00:00Z'")
        .hasMessageContaining("2026-01-01T00:01:00Z")
        .satisfies(e -> assertThat(((InvalidSampleException) e).field()).isEqualTo("at"));
  }

  @Test
  void badRatesNameTheirField() {
    assertThatThrownBy(() -> new LoadSample(1, -2, 0))
        .isInstanceOf(InvalidSampleException.class)
        .hasMessage("promptTokenRate: got '-2.0', expected a finite rate of 0 or more per second");
    assertThatThrownBy(() -> new LoadSample(1, 2, Double.POSITIVE_INFINITY))
        .isInstanceOf(InvalidSampleException.class)
        .hasMessageContaining("generationTokenRate");
  }

  @Test
  void imputedSlotsKeepTheSeasonInPhase() {
    Synthetic wave = new Synthetic(100, 50, 60, 0, 0, 1);
    List<TimedLoad> complete = new ArrayList<>();
    List<TimedLoad> holed = new ArrayList<>();
    for (int t = 0; t < 180; t++) {
      TimedLoad point = new TimedLoad(T0.plus(MINUTE.multipliedBy(t)), load(wave.truth(t)));
      complete.add(point);
      if (t < 130 || t >= 140) {
        holed.add(point);
      }
    }
    LoadForecaster full = LoadForecaster.rebuild(SETTINGS, complete, LEAD);
    LoadForecaster gappy = LoadForecaster.rebuild(SETTINGS, holed, LEAD);
    assertThat(gappy.requests().samples()).isEqualTo(180);
    for (int h = 1; h <= 30; h++) {
      assertThat(gappy.requests().point(h))
          .as("h=%d", h)
          .isCloseTo(full.requests().point(h), within(2.0));
    }
  }

  @Test
  void rebuildEqualsIncrementalUpdates() {
    Synthetic wave = new Synthetic(100, 30, 60, 0.1, 4, 2);
    double[] y = wave.series(150);
    List<TimedLoad> history = new ArrayList<>();
    LoadForecaster incremental = LoadForecaster.empty(SETTINGS);
    for (int t = 0; t < y.length; t++) {
      // Ticks jitter by a few seconds; one slot is missing.
      if (t == 70) {
        continue;
      }
      Instant at = T0.plus(MINUTE.multipliedBy(t)).plusSeconds((t * 7) % 11 - 5);
      history.add(new TimedLoad(at, load(y[t])));
      incremental = incremental.update(at, load(y[t]), LEAD);
    }
    LoadForecaster rebuilt = LoadForecaster.rebuild(SETTINGS, history, LEAD);
    SeriesForecasterTest.assertSameForecasts(rebuilt.requests(), incremental.requests());
    SeriesForecasterTest.assertSameForecasts(rebuilt.promptTokens(), incremental.promptTokens());
    SeriesForecasterTest.assertSameForecasts(
        rebuilt.generationTokens(), incremental.generationTokens());
    assertThat(rebuilt.forecast(LEAD)).isEqualTo(incremental.forecast(LEAD));
    assertThat(rebuilt.peak(LEAD)).isEqualTo(incremental.peak(LEAD));
  }
}
