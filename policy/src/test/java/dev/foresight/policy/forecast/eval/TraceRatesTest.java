package dev.foresight.policy.forecast.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceRatesTest {

  @TempDir Path dir;

  @Test
  void azureRequestsAreBinnedIntoWallClockMinutes() throws IOException {
    Path file = dir.resolve("azure.csv");
    Files.writeString(
        file,
        "TIMESTAMP,ContextTokens,GeneratedTokens\r\n"
            + "2023-11-16 18:15:46.6805900,600,60\r\n"
            + "2023-11-16 18:15:59.9999999,1200,120\r\n"
            + "2023-11-16 18:17:00.0000000,60,6");
    List<TraceRates.Series> series = TraceRates.azurePerMinute(file, "t");
    assertThat(series)
        .extracting(TraceRates.Series::name)
        .containsExactly("t requests", "t prompt tokens", "t generation tokens");
    // Minutes 18:15, 18:16 (empty) and 18:17, as per-second rates.
    assertThat(series.get(0).values())
        .containsExactly(new double[] {2 / 60.0, 0, 1 / 60.0}, within(1e-12));
    assertThat(series.get(1).values()).containsExactly(new double[] {30, 0, 1}, within(1e-12));
    assertThat(series.get(2).values()).containsExactly(new double[] {3, 0, 0.1}, within(1e-12));
  }

  @Test
  void servegenTotalsAreSplitByModel() throws IOException {
    Path file = dir.resolve("servegen.csv");
    Files.writeString(
        file,
        "category,model,window_start_s,total_rate_rps,active_clients\n"
            + "language,m-large,0,212.78,43\n"
            + "language,m-large,600,179.69,40\n"
            + "reason,deepseek-r1,0,10.5,7\n");
    List<TraceRates.Series> series = TraceRates.servegenTotals(file);
    assertThat(series)
        .extracting(TraceRates.Series::name)
        .containsExactly("servegen m-large", "servegen deepseek-r1");
    assertThat(series.get(0).values()).containsExactly(212.78, 179.69);
  }

  @Test
  void aMissingFileIsAClearError() {
    Path missing = dir.resolve("AzureLLMInferenceTrace_conv.csv");
    assertThatThrownBy(() -> TraceRates.azurePerMinute(missing, "conv"))
        .isInstanceOf(TraceRates.TraceFileMissingException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("-Dforesight.traces.dir");
  }

  @Test
  void aMalformedLineNamesTheFileAndLine() throws IOException {
    Path file = dir.resolve("bad.csv");
    Files.writeString(file, "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46,600\n");
    assertThatThrownBy(() -> TraceRates.azurePerMinute(file, "bad"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad.csv line 2: expected 3 fields");
  }
}
