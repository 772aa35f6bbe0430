package dev.foresight.policy.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.policy.Prediction;
import dev.foresight.policy.capacity.Capacity;
import dev.foresight.policy.capacity.CapacityEstimate;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class PredictionArithmeticTest {

  private static final Duration LEAD = Duration.ofMinutes(3);

  private static LoadForecast forecast(double requests, double prompt, double generation) {
    return new LoadForecast(
        new Forecast("trend", LEAD, requests * 0.8, requests),
        new Forecast("trend", LEAD, prompt * 0.8, prompt),
        new Forecast("trend", LEAD, generation * 0.8, generation));
  }

  static Stream<Arguments> replicas() {
    return Stream.of(
        // name, upper bounds (req/s, prompt tok/s, gen tok/s), capacity, replicas
        Arguments.of("requests bind", forecast(10, 0, 0), Capacity.requests(3), 4),
        Arguments.of(
            "exact multiple is not rounded up", forecast(12, 0, 0), Capacity.requests(3), 4),
        Arguments.of(
            "float noise above a multiple", forecast(0.1 + 0.2, 0, 0), Capacity.requests(0.1), 3),
        Arguments.of("no load needs no replica", forecast(0, 0, 0), Capacity.requests(3), 0),
        Arguments.of("prompt tokens bind", forecast(10, 90_000, 0), new Capacity(5, 10_000, 0), 9),
        Arguments.of(
            "generation tokens bind", forecast(10, 0, 5_000), new Capacity(5, 10_000, 1_000), 5),
        Arguments.of(
            "unknown token capacity does not limit",
            forecast(10, 1e9, 1e9),
            Capacity.requests(5),
            2));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("replicas")
  void replicasForTheUpperBound(
      String name, LoadForecast forecast, Capacity capacity, int expected) {
    assertThat(PredictionArithmetic.replicas(forecast, capacity)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "8, 8.00",
    "0.12345, 0.123",
    "91234, 91200",
    "9.996, 10.0",
    "999.6, 1000",
    "0, 0",
    "-2.5, -2.50",
    "0.0004567, 0.000457"
  })
  void numbersKeepThreeSignificantDigits(double value, String text) {
    assertThat(PredictionArithmetic.significant(value)).isEqualTo(text);
  }

  @Test
  void predictionCarriesTheNumbersAndTheirArithmetic() {
    Prediction prediction =
        PredictionArithmetic.prediction(
            forecast(10, 90_000, 0),
            new CapacityEstimate(new Capacity(5, 10_000, 0), true, 42),
            LEAD,
            0.9,
            false);
    assertThat(prediction.model()).isEqualTo("trend");
    assertThat(prediction.horizon()).isEqualTo(LEAD);
    assertThat(prediction.pointRequestRate()).isEqualTo(8.0);
    assertThat(prediction.upperRequestRate()).isEqualTo(10.0);
    assertThat(prediction.capacityPerReplica()).isEqualTo(5.0);
    assertThat(prediction.replicas()).isEqualTo(9);
    assertThat(prediction.acting()).isFalse();
    assertThat(prediction.arithmetic())
        .isEqualTo(
            "trend forecast at now+180s: 8.00 req/s, upper (p90) 10.0 req/s; capacity 5.00 req/s"
                + " per replica (learned from 42 samples); ceil(10.0 / 5.00) = 2; prompt tokens"
                + " upper 90000/s at 10000/s per replica: 9; predictive replicas 9"
                + " (observe-only)");
  }
}
