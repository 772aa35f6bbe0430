package dev.foresight.metricsapi.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LabelSelectorTest {

  private static final Map<String, String> LLAMA =
      Map.of("policy", "llama", "deployment", "vllm-llama");
  private static final Map<String, String> MISTRAL =
      Map.of("policy", "mistral", "deployment", "vllm-mistral", "tier", "7");

  static Stream<Arguments> valid() {
    return Stream.of(
        // name, selector, matches LLAMA, matches MISTRAL
        Arguments.of("empty matches all", "", true, true),
        Arguments.of("equals", "policy=llama", true, false),
        Arguments.of("double equals", "policy==llama", true, false),
        Arguments.of("not equals", "policy!=llama", false, true),
        Arguments.of("not equals, label absent", "tier!=7", true, false),
        Arguments.of("in", "deployment in (vllm-llama,other)", true, false),
        Arguments.of(
            "in, spaces inside", "deployment in ( vllm-llama , vllm-mistral )", true, true),
        Arguments.of("notin", "policy notin (llama)", false, true),
        Arguments.of("notin, label absent", "tier notin (7)", true, false),
        Arguments.of("exists", "tier", false, true),
        Arguments.of("does not exist", "!tier", true, false),
        Arguments.of("does not exist, spaced", "! tier", true, false),
        Arguments.of("greater than", "tier>5", false, true),
        Arguments.of("less than", "tier<5", false, false),
        Arguments.of("conjunction", "policy=mistral,deployment=vllm-mistral", false, true),
        Arguments.of(
            "conjunction, one fails", "policy=mistral,deployment=vllm-llama", false, false),
        Arguments.of("spaces around operators", " policy = llama , !tier ", true, false),
        Arguments.of("empty value equals", "policy=", false, false),
        Arguments.of("prefixed key", "foresight.dev/policy!=x", true, true),
        Arguments.of("value with dots and underscores", "policy!=a.b_c-d", true, true),
        Arguments.of("as HPA writes it", "deployment=vllm-llama,policy in (llama)", true, false));
  }

  @ParameterizedTest(name = "{0}: \"{1}\"")
  @MethodSource("valid")
  void parsesAndMatches(String name, String selector, boolean llama, boolean mistral)
      throws InvalidSelectorException {
    LabelSelector s = LabelSelector.parse(selector);
    assertThat(s.matches(LLAMA)).as("matches llama").isEqualTo(llama);
    assertThat(s.matches(MISTRAL)).as("matches mistral").isEqualTo(mistral);
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        // name, selector, a part the message must name
        Arguments.of("operator without key", "=llama", "'='"),
        Arguments.of("dangling comma", "policy=llama,", "end of selector"),
        Arguments.of("double comma", "policy=llama,,tier", "','"),
        Arguments.of("in without parentheses", "policy in llama", "'llama'"),
        Arguments.of("empty set", "policy in ()", "must not be empty"),
        Arguments.of("unclosed set", "policy in (a,b", "end of selector"),
        Arguments.of("two values", "policy=a b", "'b'"),
        Arguments.of("bad key characters", "po$licy=a", "po$licy"),
        Arguments.of("key starts with dash", "-policy=a", "-policy"),
        Arguments.of("key name too long", "k".repeat(64) + "=a", "1 to 63"),
        Arguments.of("upper-case prefix", "Foresight.dev/policy=a", "DNS-1123"),
        Arguments.of("empty prefix", "/policy=a", "prefix"),
        Arguments.of("empty name after prefix", "foresight.dev/=a", "name must"),
        Arguments.of("bad value characters", "policy=a@b", "'a@b'"),
        Arguments.of("value ends with dash", "policy=llama-", "'llama-'"),
        Arguments.of("value too long", "policy=" + "v".repeat(64), "at most 63"),
        Arguments.of("not-exists with value", "!policy=a", "takes no operator"),
        Arguments.of("bang alone", "!", "end of selector"),
        Arguments.of("greater than non-integer", "tier>high", "integer"),
        Arguments.of("keyword as key", "in=a", "'in'"),
        Arguments.of("triple equals", "policy===a", "'='"),
        Arguments.of("bad value in set", "policy in (a,b@c)", "'b@c'"),
        Arguments.of("missing comma between sets", "a in (x) b", "'b'"));
  }

  @ParameterizedTest(name = "{0}: \"{1}\"")
  @MethodSource("malformed")
  void rejectsMalformed(String name, String selector, String named) {
    assertThatThrownBy(() -> LabelSelector.parse(selector))
        .isInstanceOf(InvalidSelectorException.class)
        .hasMessageStartingWith("invalid labelSelector '" + selector + "': ")
        .hasMessageContaining(named);
  }

  @Test
  void nullIsEverything() throws InvalidSelectorException {
    assertThat(LabelSelector.parse(null).requirements()).isEmpty();
    assertThat(LabelSelector.parse(null).matches(Map.of())).isTrue();
  }

  @Test
  void keepsRequirementsInOrder() throws InvalidSelectorException {
    LabelSelector s = LabelSelector.parse("a in (x,y),!b,c!=z");
    assertThat(s.requirements())
        .extracting(Requirement::key, Requirement::operator)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a", Requirement.Operator.IN),
            org.assertj.core.groups.Tuple.tuple("b", Requirement.Operator.DOES_NOT_EXIST),
            org.assertj.core.groups.Tuple.tuple("c", Requirement.Operator.NOT_EQUALS));
    assertThat(s.requirements().get(0).values()).containsExactly("x", "y");
  }
}
