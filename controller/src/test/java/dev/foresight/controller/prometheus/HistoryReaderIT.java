package dev.foresight.controller.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.foresight.controller.metrics.SignalQuery;
import dev.foresight.controller.testing.PrometheusServer;
import dev.foresight.policy.Signal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * History rebuild against a real Prometheus holding two days of backfilled vLLM counters with a
 * daily pattern and a one-hour outage.
 */
class HistoryReaderIT {

  private static final Duration DAY = Duration.ofDays(1);

  /** Requests per second at {@code t}: 10 ± 5 over the day. */
  private static double rate(long epochSecond) {
    return 10 + 5 * Math.sin(2 * Math.PI * epochSecond / DAY.toSeconds());
  }

  /**
   * 3 more requests per second in the minute ending at each whole 5 minutes: 0.6 per second more
   * over each 5-minute step, which only a rate over the whole step sees as such.
   */
  private static double burst(long epochSecond) {
    return epochSecond / 60 % 5 == 0 ? 3 : 0;
  }

  @Test
  void readsTheDailyPatternAtFiveMinuteStepsAndReportsTheGap(@TempDir Path dir) throws Exception {
    // Backfill ends two hours ago: the newest data of a fresh Prometheus head may not be compacted.
    long end = Instant.now().minus(Duration.ofHours(2)).getEpochSecond() / 60 * 60;
    long start = end - 2 * DAY.toSeconds();
    long outageStart = end - 6 * 3600;
    long outageEnd = outageStart + 3600;
    StringBuilder om = new StringBuilder("# TYPE vllm:request_success counter\n");
    double total = 0;
    for (long t = start; t <= end; t += 60) {
      total += (rate(t) + burst(t)) * 60;
      if (t < outageStart || t >= outageEnd) {
        om.append("vllm:request_success_total{namespace=\"llm\",pod=\"vllm-llama-a\"} ")
            .append(total)
            .append(' ')
            .append(t)
            .append('\n');
      }
    }
    om.append("# EOF\n");
    Path blocks = PrometheusServer.backfill(om.toString(), dir.resolve("blocks"));

    try (PrometheusServer prometheus = PrometheusServer.start(List.of(), blocks)) {
      HistoryReader reader =
          new HistoryReader(new PrometheusClient(PrometheusClient.Settings.of(prometheus.url())));
      Instant readEnd = Instant.ofEpochSecond(end);
      // The live query, with its default 1-minute window: read over 5-minute steps.
      SignalQuery live =
          Presets.byName("vllm")
              .orElseThrow()
              .query(
                  Signal.REQUEST_RATE,
                  new QueryContext(QueryContext.podsOf("llm", "vllm-llama"), Duration.ofMinutes(1)))
              .orElseThrow();
      History h = reader.read(live, readEnd, Duration.ofDays(1), HistoryReader.DEFAULT_STEP);
      assertThat(h.values()).hasSize(288);
      assertThat(h.step()).isEqualTo(Duration.ofMinutes(5));
      // The one-hour outage leaves about 12 empty slots (rate() needs two points in its window).
      assertThat(h.gaps()).isBetween(11, 14);
      assertThat(h.present()).isGreaterThan(270);
      double[] v = h.values();
      for (int i = 0; i < v.length; i++) {
        long t = h.start().getEpochSecond() + i * 300L;
        boolean besideTheGap = t >= outageStart && t <= outageEnd + 600;
        if (!Double.isNaN(v[i]) && !besideTheGap) {
          // rate over the last 5 minutes: the mean of the pattern over that window, one burst
          // minute included.
          assertThat(v[i]).as("slot " + i).isCloseTo(rate(t - 150) + 0.6, within(0.2));
        }
      }
    }
  }
}
