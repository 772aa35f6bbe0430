package dev.foresight.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.foresight.policy.InvalidPolicyException.Problem;
import dev.foresight.policy.capacity.Capacity;
import dev.foresight.policy.forecast.HoltWintersParameters;
import dev.foresight.policy.forecast.PredictionSpec;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code prediction.*} keys of {@link PolicySpecParser}. */
class PolicySpecParserPredictionTest {

  @Test
  void predictionIsDisabledUnlessAsked() {
    PolicySpec spec = PolicySpecParser.parse(Map.of("target.queue", "4"));
    assertThat(spec.prediction()).isEqualTo(PredictionSpec.disabled());
    assertThat(spec.prediction().enabled()).isFalse();
    assertThat(PolicySpecParser.toMap(spec).keySet())
        .doesNotContainAnyElementsOf(PolicySpecParser.PREDICTION_KEYS);
  }

  @Test
  void everyPredictionKeyIsRead() {
    Map<String, String> m = new HashMap<>();
    m.put("prediction.enabled", "true");
    m.put("prediction.observeOnly", "TRUE");
    m.put("prediction.seasonPeriod", "288");
    m.put("prediction.sampleInterval", "5m");
    m.put("prediction.residualQuantile", "0.95");
    m.put("prediction.residualWindow", "60");
    m.put("prediction.trendWindow", "12");
    m.put("prediction.maxHorizon", "1h");
    m.put("prediction.smoothing.alpha", "0.6");
    m.put("prediction.smoothing.beta", "0.1");
    m.put("prediction.smoothing.gamma", "0.2");
    m.put("prediction.smoothing.phi", "0.95");
    m.put("prediction.capacityPrior.requestsPerSecond", "8");
    m.put("prediction.capacityPrior.promptTokensPerSecond", "12000");
    m.put("prediction.capacityPrior.generationTokensPerSecond", "2500");
    m.put("prediction.capacityQuantile", "0.8");
    m.put("prediction.capacityMinSamples", "10");
    m.put("prediction.capacityWindow", "100");
    m.put("prediction.capacityMaxQueuePerReplica", "2");
    m.put("prediction.leadTimePrior", "90s");
    m.put("prediction.nodeProvisioningPrior", "0");
    m.put("prediction.leadTimeQuantile", "0.75");
    m.put("prediction.leadTimeWindow", "30");
    m.put("prediction.leadTimeMinSamples", "3");
    m.put("prediction.scaleDownMargin", "1m30s");
    assertThat(m.keySet()).containsExactlyInAnyOrderElementsOf(PolicySpecParser.PREDICTION_KEYS);

    PredictionSpec p = PolicySpecParser.parse(m).prediction();

    assertThat(p)
        .isEqualTo(
            new PredictionSpec(
                true,
                true,
                288,
                Duration.ofMinutes(5),
                0.95,
                60,
                12,
                Duration.ofHours(1),
                new HoltWintersParameters(0.6, 0.1, 0.2, 0.95),
                new Capacity(8, 12000, 2500),
                0.8,
                10,
                100,
                2,
                Duration.ofSeconds(90),
                Duration.ZERO,
                0.75,
                30,
                3,
                Duration.ofSeconds(90)));
  }

  @Test
  void aSpecWithPredictionRoundTrips() {
    PolicySpec spec =
        Fixtures.queueSpec()
            .prediction(
                PredictionSpec.builder()
                    .enabled(true)
                    .season(288, Duration.ofMinutes(5))
                    .capacityPrior(new Capacity(7.5, 9000, 0))
                    .leadTimePrior(Duration.ofMillis(95_500))
                    .nodeProvisioningPrior(Duration.ZERO)
                    .scaleDownMargin(Duration.ZERO)
                    .build())
            .build();
    Map<String, String> m = PolicySpecParser.toMap(spec);
    assertThat(m.keySet()).containsAll(PolicySpecParser.PREDICTION_KEYS);
    assertThat(PolicySpecParser.parse(m)).isEqualTo(spec);
  }

  static Stream<Arguments> badPredictionKeys() {
    return Stream.of(
        arguments("enabled not a boolean", "prediction.enabled", "yes", "true or false"),
        arguments("observeOnly not a boolean", "prediction.observeOnly", "1", "true or false"),
        arguments("season of one sample", "prediction.seasonPeriod", "1", "2 to 20160"),
        arguments("season not whole", "prediction.seasonPeriod", "1440.5", "whole number"),
        arguments("season too long", "prediction.seasonPeriod", "20161", "2 to 20160"),
        arguments("sample interval not a duration", "prediction.sampleInterval", "often", "300s"),
        arguments("sample interval too short", "prediction.sampleInterval", "500ms", "1 second"),
        arguments("residual quantile 1", "prediction.residualQuantile", "1", "(0, 1)"),
        arguments("residual window tiny", "prediction.residualWindow", "1", "residuals"),
        arguments("trend window 2", "prediction.trendWindow", "2", "3 to 1000"),
        arguments("horizon under lead time", "prediction.maxHorizon", "4m", "leadTimePrior"),
        arguments("horizon over 6 hours", "prediction.maxHorizon", "7h", "6 hours"),
        arguments("alpha 0", "prediction.smoothing.alpha", "0", "(0, 1)"),
        arguments("beta 1", "prediction.smoothing.beta", "1", "(0, 1)"),
        arguments("gamma negative", "prediction.smoothing.gamma", "-0.1", "(0, 1)"),
        arguments("phi above 1", "prediction.smoothing.phi", "1.1", "(0, 1]"),
        arguments(
            "capacity prior 0",
            "prediction.capacityPrior.requestsPerSecond",
            "0",
            "a finite rate above 0"),
        arguments(
            "prompt capacity negative",
            "prediction.capacityPrior.promptTokensPerSecond",
            "-5",
            "0 (not limiting) or more"),
        arguments(
            "generation capacity not a number",
            "prediction.capacityPrior.generationTokensPerSecond",
            "lots",
            "a number"),
        arguments("capacity quantile 0", "prediction.capacityQuantile", "0", "(0, 1)"),
        arguments(
            "capacity min samples above window",
            "prediction.capacityMinSamples",
            "2000",
            "capacityWindow (1440)"),
        arguments("capacity window 0", "prediction.capacityWindow", "0", "1 to 100000"),
        arguments(
            "queue per replica negative", "prediction.capacityMaxQueuePerReplica", "-1", "0 or"),
        arguments("lead time prior 0", "prediction.leadTimePrior", "0s", "above 0"),
        arguments("lead time prior 2h", "prediction.leadTimePrior", "2h", "up to 1 hour"),
        arguments("node provisioning 2h", "prediction.nodeProvisioningPrior", "2h", "0 to 1 hour"),
        arguments("lead time quantile 1.5", "prediction.leadTimeQuantile", "1.5", "(0, 1)"),
        arguments("lead time window 0", "prediction.leadTimeWindow", "0", "1 to 1000"),
        arguments(
            "lead time min samples above window",
            "prediction.leadTimeMinSamples",
            "21",
            "leadTimeWindow (20)"),
        arguments("margin not a duration", "prediction.scaleDownMargin", "-1m", "300s"),
        arguments("margin over an hour", "prediction.scaleDownMargin", "61m", "0 to 1 hour"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badPredictionKeys")
  void badPredictionKeyIsReportedWithKeyValueAndExpectation(
      String name, String key, String value, String expected) {
    InvalidPolicyException e =
        catchThrowableOfType(
            InvalidPolicyException.class, () -> PolicySpecParser.parse(Map.of(key, value)));
    assertThat(e).as("no exception for %s=%s", key, value).isNotNull();
    List<Problem> onKey = e.problems().stream().filter(p -> p.field().equals(key)).toList();
    assertThat(onKey).as(e.getMessage()).hasSize(1);
    assertThat(onKey.get(0).value()).isEqualTo(value);
    assertThat(onKey.get(0).expected()).contains(expected);
  }

  @Test
  void unknownPredictionKeyIsAProblem() {
    InvalidPolicyException e =
        catchThrowableOfType(
            InvalidPolicyException.class,
            () -> PolicySpecParser.parse(Map.of("prediction.enable", "true")));
    assertThat(e.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.field()).isEqualTo("prediction.enable");
              assertThat(p.expected()).contains("known key");
            });
  }

  @Test
  void predictionProblemsAreFoldedIntoTheSpecsProblems() {
    PredictionSpec bad =
        new PredictionSpec(
            true,
            false,
            1,
            Duration.ofMinutes(1),
            0.9,
            120,
            30,
            Duration.ofMinutes(30),
            HoltWintersParameters.defaults(),
            Capacity.requests(1),
            0.9,
            30,
            1440,
            1,
            Duration.ofMinutes(3),
            Duration.ofMinutes(2),
            0.9,
            20,
            5,
            Duration.ofMinutes(2));
    PolicySpec spec =
        new PolicySpec(
            Map.of(Signal.QUEUE, 4.0),
            1,
            10,
            0.1,
            ScalingRules.hpaDefaultScaleUp(),
            ScalingRules.hpaDefaultScaleDown(),
            GuardRailSpec.defaults(),
            Duration.ofMinutes(5),
            Duration.ofMinutes(1),
            bad);
    assertThat(spec.problems())
        .extracting(Problem::field)
        .containsExactly("prediction.seasonPeriod");
  }
}
