package dev.foresight.controller.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.controller.metrics.SignalRead;
import dev.foresight.controller.metrics.SignalRead.Outcome;
import dev.foresight.policy.Signal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SampleRulesTest {

  private static final Instant AT = Instant.parse("2026-11-23T12:00:00Z");
  private static final Duration MAX_AGE = Duration.ofSeconds(60);

  private static QueryResult vector(double... values) {
    return new QueryResult.Vector(
        Stream.of(values)
            .flatMapToDouble(java.util.Arrays::stream)
            .mapToObj(v -> new QueryResult.Sample(Map.of(), AT, v))
            .toList());
  }

  private static Optional<QueryResult> newestAgo(long seconds) {
    return Optional.of(vector(AT.minusSeconds(seconds).getEpochSecond()));
  }

  static Stream<Arguments> rules() {
    return Stream.of(
        row("fresh sample", vector(7), newestAgo(5), Outcome.OK, 7, 5),
        row("scalar", new QueryResult.Scalar(AT, 3), Optional.empty(), Outcome.OK, 3, 0),
        row("empty vector", vector(), newestAgo(5), Outcome.EMPTY, Double.NaN, 0),
        row("two series", vector(1, 2), newestAgo(5), Outcome.AMBIGUOUS, Double.NaN, 0),
        row(
            "matrix",
            new QueryResult.Matrix(List.of()),
            Optional.empty(),
            Outcome.AMBIGUOUS,
            Double.NaN,
            0),
        row("NaN", vector(Double.NaN), newestAgo(5), Outcome.NAN, Double.NaN, 5),
        row(
            "+Inf",
            vector(Double.POSITIVE_INFINITY),
            newestAgo(5),
            Outcome.INFINITE,
            Double.POSITIVE_INFINITY,
            5),
        row(
            "-Inf",
            vector(Double.NEGATIVE_INFINITY),
            newestAgo(5),
            Outcome.INFINITE,
            Double.NEGATIVE_INFINITY,
            5),
        row("older than the limit", vector(7), newestAgo(61), Outcome.STALE, 7, 61),
        row("exactly at the limit", vector(7), newestAgo(60), Outcome.OK, 7, 60),
        row("newest unknown counts as fresh", vector(7), Optional.of(vector()), Outcome.OK, 7, 0),
        row("newest in the future floors at zero", vector(7), newestAgo(-3), Outcome.OK, 7, 0));
  }

  private static Arguments row(
      String name,
      QueryResult value,
      Optional<QueryResult> newest,
      Outcome outcome,
      double expectedValue,
      long ageSeconds) {
    return Arguments.of(Named.of(name, value), newest, outcome, expectedValue, ageSeconds);
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("rules")
  void rule(
      QueryResult value,
      Optional<QueryResult> newest,
      Outcome outcome,
      double expectedValue,
      long ageSeconds) {
    SignalRead r = SampleRules.interpret(Signal.QUEUE, value, newest, AT, MAX_AGE);
    assertThat(r.outcome()).isEqualTo(outcome);
    assertThat((Double) r.value()).isEqualTo((Double) expectedValue);
    assertThat(r.age()).isEqualTo(Duration.ofSeconds(ageSeconds));
    assertThat(r.reading().isPresent()).isEqualTo(outcome.delivers());
  }

  @org.junit.jupiter.api.Test
  void failureRecordsItsKindAndDeliversNothing() {
    SignalRead r =
        SampleRules.failed(
            Signal.KV_CACHE,
            new PrometheusException(PrometheusException.Kind.TIMEOUT, "no answer"));
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.error()).contains(PrometheusException.Kind.TIMEOUT);
    assertThat(r.reading()).isEmpty();
  }
}
