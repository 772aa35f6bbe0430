package dev.foresight.scaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import dev.foresight.policy.Signal;
import dev.foresight.policy.WorkloadRef;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ScalerMetadataTest {

  private static final InlinePolicyParser INLINE = PolicySpecInlineParser.INSTANCE;

  private static ScalerMetadata parse(Map<String, String> metadata) {
    return ScalerMetadata.parse("llm", "vllm-llama", metadata, INLINE);
  }

  @Test
  void referenceNamesThePolicyInTheScaledObjectsNamespace() {
    ScalerMetadata parsed = parse(Map.of("scalerAddress", "foresight:9090", "policy", "llama-70b"));

    assertThat(parsed.namespace()).isEqualTo("llm");
    assertThat(parsed.source()).isEqualTo(new ScalerMetadata.PolicyReference("llama-70b"));
  }

  @Test
  void kedaConnectionKeysAreAcceptedAndIgnored() {
    Map<String, String> metadata =
        Map.of(
            "scalerAddress", "foresight:9090",
            "enableTLS", "true",
            "unsafeSsl", "false",
            "caCert", "-----BEGIN CERTIFICATE-----",
            "tlsCertFile", "/certs/tls.crt",
            "tlsClientCert", "-----BEGIN CERTIFICATE-----",
            "tlsClientKey", "-----BEGIN PRIVATE KEY-----",
            "policy", "llama-70b");

    assertThat(parse(metadata).source()).isEqualTo(new ScalerMetadata.PolicyReference("llama-70b"));
  }

  @Test
  void fromEnvKeyIsReadAsTheKeyWithoutTheSuffix() {
    assertThat(parse(Map.of("policyFromEnv", "llama-70b")).source())
        .isEqualTo(new ScalerMetadata.PolicyReference("llama-70b"));
  }

  @Test
  void inlinePolicyGovernsTheWorkloadNamedAfterTheScaledObject() {
    ScalerMetadata parsed = parse(Map.of("target.queue", "4", "maxReplicas", "12"));

    ScalerMetadata.InlinePolicy inline = (ScalerMetadata.InlinePolicy) parsed.source();
    assertThat(inline.workload())
        .isEqualTo(new WorkloadRef("llm", "vllm-llama", "Deployment", "vllm-llama"));
    assertThat(inline.spec().targets()).containsEntry(Signal.QUEUE, 4.0);
    assertThat(inline.spec().maxReplicas()).isEqualTo(12);
  }

  @Test
  void inlinePolicyTargetCanBeNamed() {
    ScalerMetadata parsed =
        parse(
            Map.of("target.queue", "4", "targetKind", "StatefulSet", "targetName", "llama-shards"));

    assertThat(((ScalerMetadata.InlinePolicy) parsed.source()).workload())
        .isEqualTo(new WorkloadRef("llm", "vllm-llama", "StatefulSet", "llama-shards"));
  }

  static Stream<Arguments> badMetadata() {
    return Stream.of(
        argumentSet(
            "policy is not a DNS-1123 name",
            Map.of("policy", "Llama_70B"),
            "policy",
            "Llama_70B",
            "DNS-1123 subdomain"),
        argumentSet("policy is empty", Map.of("policy", ""), "policy", "", "name of a Foresight"),
        argumentSet(
            "policy and inline keys together",
            Map.of("policy", "llama", "target.queue", "4"),
            "policy",
            "llama",
            "not both (inline keys found: target.queue)"),
        argumentSet(
            "targetKind with a referenced policy",
            Map.of("policy", "llama", "targetKind", "StatefulSet"),
            "targetKind",
            "StatefulSet",
            "a referenced policy names its own target"),
        argumentSet(
            "targetName with a referenced policy",
            Map.of("policy", "llama", "targetName", "other"),
            "targetName",
            "other",
            "a referenced policy names its own target"),
        argumentSet(
            "neither policy nor inline keys",
            Map.of("scalerAddress", "foresight:9090"),
            "policy",
            "<missing>",
            "in namespace 'llm', or inline policy keys"),
        argumentSet(
            "both policy and policyFromEnv",
            Map.of("policy", "llama", "policyFromEnv", "other"),
            "policyFromEnv",
            "other",
            "only one of 'policy' and 'policyFromEnv'"),
        argumentSet(
            "targetKind is not a kind",
            Map.of("target.queue", "4", "targetKind", "deployment"),
            "targetKind",
            "deployment",
            "a Kubernetes kind"),
        argumentSet(
            "targetName is not a DNS-1123 name",
            Map.of("target.queue", "4", "targetName", "Llama 70B"),
            "targetName",
            "Llama 70B",
            "a DNS-1123 subdomain"),
        argumentSet(
            "inline key with a bad value",
            Map.of("target.queue", "four"),
            "target.queue",
            "four",
            "a number"),
        argumentSet(
            "inline key that does not exist",
            Map.of("target.queue", "4", "maxReplica", "3"),
            "maxReplica",
            "3",
            "an inline policy key: minReplicas, maxReplicas"),
        argumentSet(
            "inline target of an unknown signal",
            Map.of("target.gpu_util", "0.8"),
            "target.gpu_util",
            "gpu_util",
            "a signal name, one of: queue"),
        argumentSet(
            "inline duration that is not one",
            Map.of("target.queue", "4", "idleBeforeScaleToZero", "5 minutes"),
            "idleBeforeScaleToZero",
            "5 minutes",
            "a duration such as 300s"),
        argumentSet(
            "inline values the policy rejects",
            Map.of("target.kv_cache", "1.5"),
            "target.kv_cache",
            "1.5",
            "a fraction in (0, 1]"),
        argumentSet(
            "inline bounds the wrong way round",
            Map.of("target.queue", "4", "minReplicas", "5", "maxReplicas", "2"),
            "minReplicas",
            "5",
            "at most maxReplicas (2)"));
  }

  @ParameterizedTest
  @MethodSource("badMetadata")
  void badKeyIsNamedWithItsValueAndWhatWasExpected(
      Map<String, String> metadata, String key, String value, String expected) {
    assertThatThrownBy(() -> parse(metadata))
        .isInstanceOfSatisfying(
            InvalidMetadataException.class,
            e -> {
              assertThat(e.problems())
                  .singleElement()
                  .satisfies(
                      p -> {
                        assertThat(p.key()).isEqualTo(key);
                        assertThat(p.value()).isEqualTo(value);
                        assertThat(p.expected()).contains(expected);
                      });
              assertThat(e.getMessage()).contains("llm/vllm-llama", key, "'" + value + "'");
            });
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    Map<String, String> metadata =
        Map.of("policy", "Bad_Name", "targetKind", "StatefulSet", "targetName", "x");

    assertThatThrownBy(() -> ScalerMetadata.parse("Bad_NS", "so", metadata, INLINE))
        .isInstanceOfSatisfying(
            InvalidMetadataException.class,
            e ->
                assertThat(e.problems())
                    .extracting(Problem::key)
                    .containsExactlyInAnyOrder(
                        "scaledObjectRef.namespace", "policy", "targetKind", "targetName"));
  }

  @Test
  void withoutAnInlineParserEveryInlineKeyIsUnknown() {
    assertThatThrownBy(
            () ->
                ScalerMetadata.parse(
                    "llm",
                    "so",
                    Map.of("target.queue", "4", "minReplicas", "1"),
                    InlinePolicyParser.NONE))
        .isInstanceOfSatisfying(
            InvalidMetadataException.class,
            e ->
                assertThat(e.problems())
                    .extracting(Problem::key)
                    .containsExactly("minReplicas", "target.queue"));
  }
}
