package dev.foresight.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The soak run's machinery, small: 10 s at low rates against a real Prometheus and the controller
 * on mTLS, so that the long run cannot rot between the times it is run by hand.
 */
class SoakRunIT {

  @Test
  void aShortLowRateSoakServesEveryRequestWithoutErrors() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    SoakSettings settings =
        SoakSettings.parse(
            "policies=20",
            "streams=20",
            "pairs=100",
            "metricsApi=50",
            "connections=4",
            "warmup=2",
            "duration=10",
            "report=5",
            "loopPeriod=1",
            "prime=100");

    SoakRun.Summary summary =
        SoakRun.run(settings, new PrintStream(printed, true, StandardCharsets.UTF_8));

    String output = printed.toString(StandardCharsets.UTF_8);
    System.out.print(output);
    assertThat(summary.errors()).as(output).isZero();
    // Open loop: every scheduled request is sent, however late, so the counts are the schedule
    // (give or take the pairs in flight when the warm-up ends).
    assertThat((double) summary.pairs()).isCloseTo(100 * 10, within(4.0));
    assertThat((double) summary.metricsApiRequests()).isCloseTo(50 * 10, within(4.0));
    // Each stream gets the current activity when it opens, during the warm-up: 20 messages in 2 s.
    assertThat(output).containsPattern("t=   2s streams +([1-9][0-9]|[1-9])\\.[0-9] msg/s");
    assertThat(summary.loopTicks()).isGreaterThanOrEqualTo(5);
    assertThat(output)
        .contains("t=   2s keda-pairs", "warm-up over")
        .contains("t=   7s keda-pairs", "t=   7s metrics-api", "t=   7s streams", "t=   7s loop")
        .contains("heap after GC", "live threads")
        .containsPattern("PromQL requests [1-9]")
        .contains("result: PASS, zero errors");
  }

  @Test
  void badArgumentsAreAllNamedAtOnce() {
    assertThatThrownBy(
            () -> SoakSettings.parse("pairs=fast", "duraton=90", "streams=0", "warmup=-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'duraton=90' is not key=value with a key among")
        .hasMessageContaining("pairs=fast: expected a positive whole number")
        .hasMessageContaining("streams=0: expected a positive whole number")
        .hasMessageContaining("warmup=-1: expected a whole number of seconds, 0 or more");
  }
}
