package dev.foresight.policy.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.foresight.policy.InvalidPolicyException;
import dev.foresight.policy.capacity.Capacity;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PredictionSpecTest {

  @Test
  void defaultsAreValidAndDisabled() {
    PredictionSpec spec = PredictionSpec.disabled();
    assertThat(spec.problems()).isEmpty();
    assertThat(spec.enabled()).isFalse();
    assertThat(spec.forecasterSettings().maxHorizonSteps()).isEqualTo(30);
    assertThat(spec.forecasterSettings().seasonPeriod()).isEqualTo(1440);
    assertThat(spec.leadTimeSettings().quantile()).isEqualTo(0.9);
    assertThat(spec.capacitySettings().prior()).isEqualTo(Capacity.requests(1));
    assertThat(spec.toBuilder().build()).isEqualTo(spec);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        // name, change to the defaults, field, value, words of the expectation
        row(
            "season of one sample",
            b -> b.season(1, Duration.ofMinutes(1)),
            "prediction.seasonPeriod",
            "1",
            "2 to 20160 samples"),
        row(
            "sample interval under a second",
            b -> b.season(1440, Duration.ofMillis(500)),
            "prediction.sampleInterval",
            "PT0.5S",
            "1 second to 1 hour"),
        row(
            "residual quantile of 1",
            b -> b.residualQuantile(1),
            "prediction.residualQuantile",
            "1.0",
            "(0, 1)"),
        row(
            "residual window below the comparisons",
            b -> b.residualWindow(5),
            "prediction.residualWindow",
            "5",
            "10 to 10000"),
        row("trend window of 2", b -> b.trendWindow(2), "prediction.trendWindow", "2", "3 to 1000"),
        row(
            "max horizon shorter than the prior lead",
            b -> b.maxHorizon(Duration.ofMinutes(4)),
            "prediction.maxHorizon",
            "PT4M",
            "leadTimePrior + nodeProvisioningPrior (PT5M)"),
        row(
            "max horizon over 6 hours",
            b -> b.maxHorizon(Duration.ofHours(7)),
            "prediction.maxHorizon",
            "PT7H",
            "to 6 hours"),
        row(
            "alpha of 0",
            b -> b.smoothing(new HoltWintersParameters(0, 0.1, 0.1, 0.9)),
            "prediction.smoothing.alpha",
            "0.0",
            "(0, 1)"),
        row(
            "phi above 1",
            b -> b.smoothing(new HoltWintersParameters(0.5, 0.1, 0.1, 1.1)),
            "prediction.smoothing.phi",
            "1.1",
            "(0, 1]"),
        row(
            "capacity prior of 0",
            b -> b.capacityPrior(Capacity.requests(0)),
            "prediction.capacityPrior.requestsPerSecond",
            "0.0",
            "above 0"),
        row(
            "negative token prior",
            b -> b.capacityPrior(new Capacity(1, -1, 0)),
            "prediction.capacityPrior.promptTokensPerSecond",
            "-1.0",
            "0 (not limiting)"),
        row(
            "min samples above the window",
            b -> b.capacitySamples(50, 40),
            "prediction.capacityMinSamples",
            "50",
            "capacityWindow (40)"),
        row(
            "NaN queue threshold",
            b -> b.capacityMaxQueuePerReplica(Double.NaN),
            "prediction.capacityMaxQueuePerReplica",
            "NaN",
            "0 or more"),
        row(
            "zero lead-time prior",
            b -> b.leadTimePrior(Duration.ZERO),
            "prediction.leadTimePrior",
            "PT0S",
            "above 0"),
        row(
            "negative node prior",
            b -> b.nodeProvisioningPrior(Duration.ofSeconds(-1)),
            "prediction.nodeProvisioningPrior",
            "PT-1S",
            "0 to 1 hour"),
        row(
            "lead-time quantile of 0",
            b -> b.leadTimeQuantile(0),
            "prediction.leadTimeQuantile",
            "0.0",
            "(0, 1)"),
        row(
            "empty lead-time window",
            b -> b.leadTimeSamples(1, 0),
            "prediction.leadTimeWindow",
            "0",
            "1 to 1000"),
        row(
            "negative margin",
            b -> b.scaleDownMargin(Duration.ofSeconds(-30)),
            "prediction.scaleDownMargin",
            "PT-30S",
            "0 to 1 hour"));
  }

  private static Arguments row(
      String name,
      UnaryOperator<PredictionSpec.Builder> change,
      String field,
      String value,
      String expected) {
    return Arguments.of(name, change, field, value, expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void namesTheFieldTheValueAndTheExpectation(
      String name,
      UnaryOperator<PredictionSpec.Builder> change,
      String field,
      String value,
      String expected) {
    assertThatThrownBy(() -> change.apply(PredictionSpec.builder()).build())
        .isInstanceOfSatisfying(
            InvalidPolicyException.class,
            e -> {
              assertThat(e.problems()).hasSize(1);
              InvalidPolicyException.Problem problem = e.problems().get(0);
              assertThat(problem.field()).isEqualTo(field);
              assertThat(problem.value()).isEqualTo(value);
              assertThat(problem.expected()).contains(expected);
            });
  }

  @Test
  void reportsEveryProblemAtOnce() {
    assertThatThrownBy(
            () ->
                PredictionSpec.builder()
                    .residualQuantile(2)
                    .trendWindow(0)
                    .leadTimeQuantile(-1)
                    .build())
        .isInstanceOfSatisfying(
            InvalidPolicyException.class,
            e ->
                assertThat(e.problems())
                    .extracting(InvalidPolicyException.Problem::field)
                    .containsExactly(
                        "prediction.residualQuantile",
                        "prediction.trendWindow",
                        "prediction.leadTimeQuantile"))
        .hasMessageContaining("3 problems");
  }
}
