package dev.foresight.controller.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.controller.prometheus.LabelMatchers.Match;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What selectors are read here, and how. That each accepted form matches as Prometheus does is
 * shown against a real Prometheus by {@code BatchedSignalsIT}; these rows pin the parsing.
 */
class LabelMatchersTest {

  private static Match test(String selector, Map<String, String> labels) {
    return LabelMatchers.parse(selector).orElseThrow().test(labels);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      textBlock =
          """
          namespace="llm",pod=~"vllm-.*" ; llm ; vllm-0-abc ; YES
          namespace="llm",pod=~"vllm-.*" ; llm ; tgi-0 ; NO
          namespace="llm",pod=~"vllm-.*" ; ml ; vllm-0-abc ; NO
          namespace="llm" , pod =~ `vllm-.+` ; llm ; vllm- ; NO
          namespace="llm" , pod =~ `vllm-.+` ; llm ; vllm-x ; YES
          pod=~"a|b-.*" ; llm ; b-1 ; YES
          pod=~"a|b-.*" ; llm ; a-1 ; NO
          pod!~"a|b-.*" ; llm ; a-1 ; YES
          pod!="a" ; llm ; a ; NO
          pod=~"v\\\\.1-.*" ; llm ; v.1-x ; YES
          pod=~"v\\\\.1-.*" ; llm ; vx1-x ; NO
          pod=~"" ; llm ; x ; NO
          model="" ; llm ; x ; YES
           ; llm ; x ; YES
          """)
  void matchesAsPrometheus(String selector, String namespace, String pod, Match expected) {
    assertThat(test(selector == null ? "" : selector, Map.of("namespace", namespace, "pod", pod)))
        .isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void singleQuotedStringsEscapeTheirOwnQuote() {
    assertThat(test("pod='it\\'s'", Map.of("pod", "it's"))).isEqualTo(Match.YES);
    assertThat(test("pod=\"say \\\"hi\\\"\"", Map.of("pod", "say \"hi\""))).isEqualTo(Match.YES);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "pod=~\"a-[0-9]\"", // a class
        "pod=~\"a-\\\\d\"", // \d
        "pod=~\"(a|b)-.*\"", // a group
        "pod=~\"a.*b\"", // something after .*
        "pod=~\"a.*?\"", // lazy
        "pod=~\"a.\"", // a lone dot
        "pod=~\"(?i)a\"", // flags
        "pod=\"a\\x41\"", // an escape left to Prometheus
        "pod=\"a\\'\"", // the other quote escaped
        "__name__=\"up\"", // the metric name
        "pod=\"a\" namespace=\"b\"", // no comma
        "pod=\"a", // unterminated
        "pod",
        "pod==\"a\"",
        "9pod=\"a\""
      })
  void anythingElseIsLeftToPrometheus(String selector) {
    assertThat(LabelMatchers.parse(selector)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"'pod=~\"a-.*\"', YES", "'pod=~\"a-.+\"', YES", "'pod!~\"a-.*\"', NO"})
  void aLineBreakAfterThePrefixIsForPrometheusToJudge(String selector, Match withoutBreak) {
    assertThat(test(selector, Map.of("pod", "a-1"))).isEqualTo(withoutBreak);
    assertThat(test(selector, Map.of("pod", "a-\n1"))).isEqualTo(Match.UNKNOWN);
  }

  @ParameterizedTest
  @CsvSource({"'pod=~\"a-.*\",namespace=\"x\"', x, true", "'namespace!=\"x\"', '', false"})
  void theNamespaceOfAnEqualityMatcher(String selector, String namespace, boolean present) {
    assertThat(LabelMatchers.parse(selector).orElseThrow().equalityOn("namespace"))
        .isEqualTo(present ? java.util.Optional.of(namespace) : java.util.Optional.empty());
  }
}
