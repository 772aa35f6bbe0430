package dev.foresight.policy.forecast.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.foresight.policy.forecast.ForecasterSettings;
import dev.foresight.policy.forecast.PredictionSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Forecast error on the shared public traces, printed as a Markdown table. Skips when the traces
 * folder ({@code -Dforesight.traces.dir}) is absent.
 *
 * <ul>
 *   <li>Azure conversation and code traces: per-minute rates over about an hour, so shorter than a
 *       day: the trend model only, no seasonal-naive baseline; horizons 2, 5 and 10 minutes; every
 *       origin is scored.
 *   <li>ServeGen summed rates: 10-minute windows, season 144 (a day); horizons 1, 2 and 6 windows
 *       (10, 20, 60 minutes); for the 14-day models origins from the start of day 2, so that
 *       seasonal-naive and Holt-Winters both exist; the 1-day models are scored like Azure.
 * </ul>
 */
class TraceForecastEvaluationIT {

  private static Path traces;

  @BeforeAll
  static void locateTraces() {
    String dir = System.getProperty(TraceRates.TRACES_DIR_PROPERTY);
    assumeTrue(dir != null, "system property foresight.traces.dir is not set");
    traces = Path.of(dir);
    assumeTrue(Files.isDirectory(traces), "traces folder " + traces + " does not exist");
  }

  private static ForecasterSettings settings(int period, Duration interval) {
    return PredictionSpec.builder()
        .season(period, interval)
        .maxHorizon(interval.multipliedBy(10))
        .leadTimePrior(interval)
        .nodeProvisioningPrior(Duration.ZERO)
        .build()
        .forecasterSettings();
  }

  @Test
  void printsForecastErrorAgainstNaiveBaselines() {
    List<String> table = new ArrayList<>();
    table.add(
        "| series | horizon | origins | sMAPE forecaster % | sMAPE naive % | sMAPE seasonal-naive %"
            + " | Holt-Winters used | actual <= upper (p90) |");
    table.add("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    List<TraceRates.Series> azure = new ArrayList<>();
    azure.addAll(
        TraceRates.azurePerMinute(traces.resolve("AzureLLMInferenceTrace_conv.csv"), "azure-conv"));
    azure.addAll(
        TraceRates.azurePerMinute(traces.resolve("AzureLLMInferenceTrace_code.csv"), "azure-code"));
    ForecasterSettings perMinute = settings(1440, Duration.ofMinutes(1));
    for (TraceRates.Series series : azure) {
      for (int h : new int[] {2, 5, 10}) {
        ForecastEvaluation.Score score =
            ForecastEvaluation.evaluate(series.values(), h, 0, perMinute);
        table.add(row(series.name(), h + " min", score));
        assertThat(score.model()).isFinite();
      }
    }
    ForecasterSettings tenMinutes = settings(144, Duration.ofMinutes(10));
    for (TraceRates.Series series :
        TraceRates.servegenTotals(traces.resolve("servegen_total_rate.csv"))) {
      // The 1-day models (deepseek-r1, mm-image) have no second day: scored like Azure.
      boolean twoDays = series.values().length >= 2 * 144;
      for (int h : new int[] {1, 2, 6}) {
        ForecastEvaluation.Score score =
            ForecastEvaluation.evaluate(series.values(), h, twoDays ? 144 : 0, tenMinutes);
        table.add(row(series.name(), h + " x 10 min", score));
        assertThat(Double.isFinite(score.seasonalNaive())).isEqualTo(twoDays);
      }
    }
    System.out.println(String.join("\n", table));
  }

  private static String row(String name, String horizon, ForecastEvaluation.Score s) {
    return String.format(
        Locale.ROOT,
        "| %s | %s | %d | %.1f | %.1f | %s | %.0f%% | %.0f%% |",
        name,
        horizon,
        s.origins(),
        s.model(),
        s.naive(),
        Double.isNaN(s.seasonalNaive())
            ? "n/a (shorter than a day)"
            : String.format(Locale.ROOT, "%.1f", s.seasonalNaive()),
        100 * s.holtWintersShare(),
        100 * s.upperCoverage());
  }
}
