package dev.foresight.sim.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.foresight.sim.Request;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeGenTraceTest {
  @TempDir Path dir;

  private void write(String... lines) throws IOException {
    try (OutputStream out =
        new GZIPOutputStream(Files.newOutputStream(dir.resolve(ServeGenTrace.FILE)))) {
      out.write((ServeGenTrace.HEADER + "\n").getBytes(StandardCharsets.UTF_8));
      for (String l : lines) {
        out.write((l + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  @Test
  void generatedArrivalsFollowEachClientsRateRescaledToTheTarget() throws IOException {
    // Two clients, two windows; recorded mean = (1 + 3 + 2 + 0) x 600 / 1200 s = 3 req/s.
    write(
        "language,m,0,0,1.0,1.0,Gamma,1.0,1.0",
        "language,m,0,600,3.0,2.0,Weibull,0.5,0.3",
        "language,m,1,0,2.0,1.0,Gamma,4.0,0.1",
        "language,m,1,600,0,0,,0,0",
        "language,other,0,0,50,1,Gamma,1,1");
    ServeGenTrace trace = ServeGenTrace.load(dir, "m", 6.0);
    assertThat(trace.recordedMeanRate()).isEqualTo(3.0);
    assertThat(trace.durationSeconds()).isEqualTo(1200);
    assertThat(trace.scaledWindowRate(0)).isEqualTo(6.0);
    assertThat(trace.scaledWindowRate(1)).isEqualTo(6.0);
    int[] perWindow = new int[2];
    double previous = -1;
    try (ArrivalStream s = trace.open(7)) {
      Request r;
      while ((r = s.next()) != null) {
        assertThat(r.arrivalSeconds()).isGreaterThanOrEqualTo(previous);
        previous = r.arrivalSeconds();
        perWindow[(int) (r.arrivalSeconds() / 600)]++;
      }
    }
    // 3,600 expected per window; the Weibull client is bursty (CV 2), so allow 15%.
    assertThat(perWindow[0]).isBetween(3060, 4140);
    assertThat(perWindow[1]).isBetween(3060, 4140);
  }

  @Test
  void sameSeedSameArrivals() throws IOException {
    write("language,m,0,0,1.0,1.0,Gamma,0.5,2.0");
    ServeGenTrace trace = ServeGenTrace.load(dir, "m", 5);
    try (ArrivalStream a = trace.open(3);
        ArrivalStream b = trace.open(3)) {
      for (int i = 0; i < 500; i++) {
        Request x = a.next();
        Request y = b.next();
        assertThat(x.arrivalSeconds()).isEqualTo(y.arrivalSeconds());
        assertThat(x.promptTokens()).isEqualTo(y.promptTokens());
      }
    }
  }

  @Test
  void malformedRowsNameFileAndLine() throws IOException {
    write("language,m,0,0,1.0,1.0,Gamma,1.0,1.0", "language,m,0,600,2.0,1.0,Lognormal,1.0,1.0");
    assertThatThrownBy(() -> ServeGenTrace.load(dir, "m", 20))
        .isInstanceOfSatisfying(TraceException.class, e -> assertThat(e.line()).hasValue(3))
        .hasMessageContaining(dir.resolve(ServeGenTrace.FILE) + ":3: iat_dist 'Lognormal'");
    write("language,m,0,0,1.0,1.0,Gamma,1.0");
    assertThatThrownBy(() -> ServeGenTrace.load(dir, "m", 20))
        .hasMessageContaining(":2: row has 8 fields");
    write("language,m,0,0,x,1.0,Gamma,1.0,1.0");
    assertThatThrownBy(() -> ServeGenTrace.load(dir, "m", 20))
        .hasMessageContaining(":2: rate_rps 'x'");
    write("language,m,0,0,2.0,1.0,,0,0");
    assertThatThrownBy(() -> ServeGenTrace.load(dir, "m", 20))
        .hasMessageContaining("needs a fitted distribution");
    write("language,m,0,0,1.0,1.0,Gamma,1.0,1.0");
    assertThatThrownBy(() -> ServeGenTrace.load(dir, "nope", 20))
        .hasMessageContaining("expected one of [m]");
  }

  @Test
  void aMissingTableIsNamed() {
    assertThatThrownBy(() -> ServeGenTrace.load(dir, "m-large", 20))
        .isInstanceOf(TraceException.class)
        .hasMessageContaining(dir.resolve(ServeGenTrace.FILE).toString())
        .hasMessageContaining("not found");
  }

  @Test
  void realTableSliceMatchesItsRateWithinTolerance() {
    String property = System.getProperty("foresight.traces.dir");
    Assumptions.assumeTrue(
        property != null && Files.isRegularFile(Path.of(property, ServeGenTrace.FILE)),
        "ServeGen table not found: set -Dforesight.traces.dir to the shared traces directory");
    ServeGenTrace trace = ServeGenTrace.load(Path.of(property), "m-large", 20);
    assertThat(trace.clients()).isEqualTo(162);
    // The first three hours (18 windows): generated count against the table's rescaled count.
    double expected = 0;
    for (int w = 0; w < 18; w++) {
      expected += trace.scaledWindowRate(w) * ServeGenTrace.WINDOW_SECONDS;
    }
    long count = 0;
    try (ArrivalStream s = trace.open(42)) {
      Request r;
      while ((r = s.next()) != null && r.arrivalSeconds() < 18 * ServeGenTrace.WINDOW_SECONDS) {
        count++;
      }
    }
    assertThat((double) count).isBetween(0.9 * expected, 1.1 * expected);
  }
}
