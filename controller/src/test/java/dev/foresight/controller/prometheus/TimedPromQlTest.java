package dev.foresight.controller.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimedPromQlTest {

  private static final Instant AT = Instant.parse("2026-01-05T10:00:00Z");
  private static final QueryResult EMPTY = new QueryResult.Vector(List.of());

  private final PrometheusRegistry registry = new PrometheusRegistry();

  /** Answers instant queries after {@code delay}; fails every range query. */
  private final PromQl slowThenBroken =
      new PromQl() {
        @Override
        public QueryResult instant(String query, Instant time) {
          try {
            Thread.sleep(60);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return EMPTY;
        }

        @Override
        public QueryResult range(String query, Instant start, Instant end, Duration step)
            throws PrometheusException {
          throw new PrometheusException(PrometheusException.Kind.UNREACHABLE, "connection refused");
        }
      };

  private String exposition() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void eachRequestIsTimedByKindAndOutcomeAndItsAnswerOrErrorPassesThrough() throws Exception {
    TimedPromQl timed = new TimedPromQl(slowThenBroken, registry);

    assertThat(timed.instant("up", AT)).isSameAs(EMPTY);
    assertThat(timed.instant("up", AT)).isSameAs(EMPTY);
    assertThatThrownBy(() -> timed.range("up", AT, AT, Duration.ofMinutes(5)))
        .isInstanceOf(PrometheusException.class)
        .hasMessageContaining("connection refused");

    String text = exposition();
    assertThat(text)
        .contains(
            "foresight_prometheus_request_duration_seconds_count{kind=\"instant\",outcome=\"ok\"} 2")
        .contains(
            "foresight_prometheus_request_duration_seconds_count{kind=\"range\",outcome=\"error\"} 1")
        // Both instant requests slept 60 ms: none fits the 50 ms bucket, both fit 100 ms.
        .contains(
            "foresight_prometheus_request_duration_seconds_bucket"
                + "{kind=\"instant\",outcome=\"ok\",le=\"0.05\"} 0")
        .contains(
            "foresight_prometheus_request_duration_seconds_bucket"
                + "{kind=\"instant\",outcome=\"ok\",le=\"0.1\"} 2");
  }
}
