package dev.foresight.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.foresight.policy.InvalidPolicyException.Problem;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class PolicySpecParserTest {

  @Test
  void parsesEveryKey() {
    Map<String, String> m = new HashMap<>();
    m.put("minReplicas", "0");
    m.put("maxReplicas", "20");
    m.put("tolerance", "0.05");
    m.put("target.queue", "4");
    m.put("target.running", "16");
    m.put("target.ttft_p95", "800ms");
    m.put("target.latency_p95", "12");
    m.put("target.kv_cache", "0.75");
    m.put("target.request_rate", "2.5");
    m.put("target.prompt_token_rate", "5000");
    m.put("target.generation_token_rate", "900");
    m.put("scaleUp.stabilizationWindowSeconds", "30");
    m.put("scaleUp.selectPolicy", "Min");
    m.put("scaleUp.policies", "Pods=4/15s, Percent=100/15s");
    m.put("scaleDown.stabilizationWindowSeconds", "600");
    m.put("scaleDown.selectPolicy", "disabled");
    m.put("scaleDown.policies", "Percent=10/1m");
    m.put("guardRails.maxTemperatureCelsius", "85");
    m.put("guardRails.xidErrorsMakeUnhealthy", "false");
    m.put("guardRails.minFramebufferFreeFraction", "0.1");
    m.put("guardRails.lowUtilizationPercent", "0");
    m.put("idleBeforeScaleToZero", "5m");
    m.put("maxSignalAge", "PT30S");
    assertThat(m.keySet()).containsExactlyInAnyOrderElementsOf(PolicySpecParser.KNOWN_KEYS);

    PolicySpec spec = PolicySpecParser.parse(m);

    assertThat(spec.minReplicas()).isZero();
    assertThat(spec.maxReplicas()).isEqualTo(20);
    assertThat(spec.tolerance()).isEqualTo(0.05);
    assertThat(spec.targets())
        .containsEntry(Signal.QUEUE, 4.0)
        .containsEntry(Signal.RUNNING, 16.0)
        .containsEntry(Signal.TTFT_P95, 0.8)
        .containsEntry(Signal.LATENCY_P95, 12.0)
        .containsEntry(Signal.KV_CACHE, 0.75)
        .containsEntry(Signal.REQUEST_RATE, 2.5)
        .containsEntry(Signal.PROMPT_TOKEN_RATE, 5000.0)
        .containsEntry(Signal.GENERATION_TOKEN_RATE, 900.0);
    assertThat(spec.scaleUp())
        .isEqualTo(
            new ScalingRules(
                Duration.ofSeconds(30),
                List.of(
                    RatePolicy.pods(4, Duration.ofSeconds(15)),
                    RatePolicy.percent(100, Duration.ofSeconds(15))),
                ScalingRules.Select.MIN));
    assertThat(spec.scaleDown())
        .isEqualTo(
            new ScalingRules(
                Duration.ofSeconds(600),
                List.of(RatePolicy.percent(10, Duration.ofSeconds(60))),
                ScalingRules.Select.DISABLED));
    assertThat(spec.guardRails()).isEqualTo(new GuardRailSpec(85, false, 0.1, 0));
    assertThat(spec.idleBeforeScaleToZero()).isEqualTo(Duration.ofMinutes(5));
    assertThat(spec.maxSignalAge()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void numbersMayUseExponents() {
    PolicySpec spec =
        PolicySpecParser.parse(Map.of("target.prompt_token_rate", "5e3", "tolerance", ".05"));
    assertThat(spec.targets()).containsEntry(Signal.PROMPT_TOKEN_RATE, 5000.0);
    assertThat(spec.tolerance()).isEqualTo(0.05);
  }

  @Test
  void everySpecRoundTripsThroughItsMap() {
    for (long seed = 0; seed < 500; seed++) {
      PolicySpec spec = Generated.spec(new java.util.SplittableRandom(seed));
      Map<String, String> m = PolicySpecParser.toMap(spec);
      assertThat(PolicySpecParser.KNOWN_KEYS).containsAll(m.keySet());
      assertThat(PolicySpecParser.parse(m)).as("seed %d: %s", seed, m).isEqualTo(spec);
    }
    PolicySpec latency =
        PolicySpec.builder()
            .target(Signal.TTFT_P95, 0.123456789123)
            .target(Signal.KV_CACHE, 0.7071067811865476)
            .idleBeforeScaleToZero(Duration.ofMillis(1500))
            .build();
    assertThat(PolicySpecParser.parse(PolicySpecParser.toMap(latency))).isEqualTo(latency);
  }

  @Test
  void emptyMapGivesTheDefaults() {
    PolicySpec spec = PolicySpecParser.parse(Map.of());
    assertThat(spec).isEqualTo(PolicySpec.builder().build());
  }

  @ParameterizedTest(name = "{0} = {1} seconds")
  @CsvSource({
    "800ms, 0.8",
    "0.8s, 0.8",
    "0.8, 0.8",
    "300, 300",
    "5m, 300",
    "1m30s, 90",
    "1h, 3600",
    "PT5M, 300",
    "1.5s, 1.5"
  })
  void durations(String text, double seconds) {
    assertThat(PolicySpecParser.parseDuration(text))
        .contains(Duration.ofNanos(Math.round(seconds * 1e9)));
  }

  @ParameterizedTest(name = "''{0}'' is not a duration")
  @CsvSource({"-5s", "5 minutes", "s", "1x", "5m-", "PT-5S", "''"})
  void notDurations(String text) {
    assertThat(PolicySpecParser.parseDuration(text)).isEmpty();
  }

  static Stream<Arguments> badKeys() {
    return Stream.of(
        arguments("minReplicas not a number", "minReplicas", "two", "minReplicas", "whole number"),
        arguments("maxReplicas a fraction", "maxReplicas", "2.5", "maxReplicas", "whole number"),
        arguments("minReplicas negative", "minReplicas", "-1", "minReplicas", "0 or more"),
        arguments("maxReplicas zero", "maxReplicas", "0", "maxReplicas", "1 or more"),
        arguments("tolerance not a number", "tolerance", "ten", "tolerance", "number"),
        arguments("tolerance NaN", "tolerance", "NaN", "tolerance", "number"),
        arguments("target Infinity", "target.queue", "Infinity", "target.queue", "number"),
        arguments("target beyond double range", "target.queue", "1e400", "target.queue", "finite"),
        arguments("tolerance 1 or more", "tolerance", "1.5", "tolerance", "[0, 1)"),
        arguments("target zero", "target.queue", "0", "target.queue", "above 0"),
        arguments("target negative", "target.running", "-4", "target.running", "above 0"),
        arguments("target not a number", "target.queue", "four", "target.queue", "number"),
        arguments("kv-cache target above 1", "target.kv_cache", "75", "target.kv_cache", "(0, 1]"),
        arguments("ttft not a latency", "target.ttft_p95", "fast", "target.ttft_p95", "800ms"),
        arguments("ttft zero", "target.ttft_p95", "0ms", "target.ttft_p95", "above 0"),
        arguments("unknown signal", "target.gpu_util", "50", "target.gpu_util", "signal name"),
        arguments("unknown key", "maxReplica", "5", "maxReplica", "known key"),
        arguments(
            "key in wrong case", "minreplicas", "1", "minreplicas", "did you mean 'minReplicas'"),
        arguments(
            "window not whole seconds",
            "scaleUp.stabilizationWindowSeconds",
            "30s",
            "scaleUp.stabilizationWindowSeconds",
            "whole number"),
        arguments(
            "window above an hour",
            "scaleDown.stabilizationWindowSeconds",
            "3601",
            "scaleDown.stabilizationWindowSeconds",
            "0 to 3600"),
        arguments(
            "unknown selectPolicy",
            "scaleUp.selectPolicy",
            "Fastest",
            "scaleUp.selectPolicy",
            "Max, Min or Disabled"),
        arguments(
            "unknown rate-policy type",
            "scaleDown.policies",
            "Replicas=4/15s",
            "scaleDown.policies[0].type",
            "Pods or Percent"),
        arguments(
            "rate-policy without period",
            "scaleUp.policies",
            "Pods=4",
            "scaleUp.policies[0]",
            "Type=value/period"),
        arguments(
            "rate-policy value not a number",
            "scaleUp.policies",
            "Pods=many/15s",
            "scaleUp.policies[0].value",
            "whole number"),
        arguments(
            "rate-policy value zero",
            "scaleUp.policies",
            "Pods=0/15s",
            "scaleUp.policies[0].value",
            "above 0"),
        arguments(
            "rate-policy period too long",
            "scaleDown.policies",
            "Percent=10/1h",
            "scaleDown.policies[0].periodSeconds",
            "1 to 1800"),
        arguments(
            "rate-policy period not whole seconds",
            "scaleDown.policies",
            "Percent=10/1500ms",
            "scaleDown.policies[0].periodSeconds",
            "whole seconds"),
        arguments(
            "second rate-policy bad",
            "scaleUp.policies",
            "Pods=4/15s,Percent=x/15s",
            "scaleUp.policies[1].value",
            "whole number"),
        arguments(
            "no policies without Disabled",
            "scaleUp.policies",
            "",
            "scaleUp.policies",
            "unless Disabled"),
        arguments(
            "temperature not a number",
            "guardRails.maxTemperatureCelsius",
            "hot",
            "guardRails.maxTemperatureCelsius",
            "number"),
        arguments(
            "xid flag not a boolean",
            "guardRails.xidErrorsMakeUnhealthy",
            "yes",
            "guardRails.xidErrorsMakeUnhealthy",
            "true or false"),
        arguments(
            "framebuffer fraction 1 or more",
            "guardRails.minFramebufferFreeFraction",
            "5",
            "guardRails.minFramebufferFreeFraction",
            "[0, 1)"),
        arguments(
            "utilization above 100",
            "guardRails.lowUtilizationPercent",
            "150",
            "guardRails.lowUtilizationPercent",
            "[0, 100]"),
        arguments(
            "idle period not a duration",
            "idleBeforeScaleToZero",
            "five minutes",
            "idleBeforeScaleToZero",
            "duration"),
        arguments("max signal age zero", "maxSignalAge", "0s", "maxSignalAge", "positive"),
        arguments("empty value", "maxReplicas", " ", "maxReplicas", "a value"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badKeys")
  void badKeyIsReportedWithFieldValueAndExpectation(
      String name, String key, String value, String field, String expected) {
    InvalidPolicyException e =
        catchThrowableOfType(
            InvalidPolicyException.class, () -> PolicySpecParser.parse(Map.of(key, value)));
    assertThat(e).as("no exception for %s=%s", key, value).isNotNull();
    List<Problem> onField = e.problems().stream().filter(p -> p.field().equals(field)).toList();
    assertThat(onField).as(e.getMessage()).hasSize(1);
    Problem p = onField.get(0);
    if (key.equals(field)) {
      // the text given, or for an unknown signal the unknown name
      assertThat(p.value()).isIn(value, value.trim(), key.substring(key.indexOf('.') + 1));
    }
    assertThat(p.expected()).contains(expected);
    assertThat(e.getMessage()).contains(field);
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    Map<String, String> m = new HashMap<>();
    m.put("minReplicas", "5");
    m.put("maxReplicas", "3");
    m.put("target.queue", "-1");
    m.put("target.bogus", "1");
    m.put("scaleUp.selectPolicy", "Fastest");
    m.put("scaleDown.policies", "Pods=4/15s,Replicas=1/15s");
    m.put("maxSignalAge", "soon");
    m.put("color", "blue");
    assertThatThrownBy(() -> PolicySpecParser.parse(m))
        .isInstanceOfSatisfying(
            InvalidPolicyException.class,
            e ->
                assertThat(e.problems())
                    .extracting(Problem::field)
                    .containsExactlyInAnyOrder(
                        "minReplicas",
                        "target.queue",
                        "target.bogus",
                        "scaleUp.selectPolicy",
                        "scaleDown.policies[1].type",
                        "maxSignalAge",
                        "color"));
  }

  @Test
  void problemsFromTheSpecQuoteTheTextGiven() {
    InvalidPolicyException e =
        catchThrowableOfType(
            InvalidPolicyException.class,
            () -> PolicySpecParser.parse(Map.of("minReplicas", "5", "maxReplicas", "3")));
    assertThat(e.problems())
        .containsExactly(new Problem("minReplicas", "5", "at most maxReplicas (3)"));
  }

  @Test
  void keysOwnedByTheCallerPassThrough() {
    Map<String, String> m = Map.of("serverAddress", "foresight:9090", "target.queue", "4");
    assertThatThrownBy(() -> PolicySpecParser.parse(m))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessageContaining("serverAddress");
    PolicySpec spec = PolicySpecParser.parse(m, key -> key.equals("serverAddress"));
    assertThat(spec.targets()).containsEntry(Signal.QUEUE, 4.0);
  }

  @Test
  void targetKeyMatchesKnownKeys() {
    for (Signal s : Signal.values()) {
      assertThat(PolicySpecParser.KNOWN_KEYS).contains(PolicySpecParser.targetKey(s));
    }
    assertThat(Optional.of(PolicySpecParser.targetKey(Signal.KV_CACHE)))
        .contains("target.kv_cache");
  }
}
