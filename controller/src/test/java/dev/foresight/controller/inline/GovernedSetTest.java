package dev.foresight.controller.inline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.foresight.controller.config.ControllerConfig;
import dev.foresight.controller.loop.GovernedWorkload;
import dev.foresight.controller.metrics.SignalQuery;
import dev.foresight.controller.metrics.WorkloadQueries;
import dev.foresight.controller.prometheus.Presets;
import dev.foresight.policy.PolicySpec;
import dev.foresight.policy.Signal;
import dev.foresight.policy.WorkloadRef;
import dev.foresight.scaler.InvalidMetadataException;
import dev.foresight.scaler.Problem;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GovernedSetTest {

  private static final PolicySpec QUEUE_4 =
      PolicySpec.builder().minReplicas(1).maxReplicas(10).target(Signal.QUEUE, 4).build();

  private static final Duration EXPIRY = Duration.ofMinutes(15);

  private final List<List<GovernedWorkload>> handed = new ArrayList<>();
  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-01-05T10:00:00Z"));
  private final GovernedSet set = new GovernedSet(inlineWith("vllm"), handed::add, now::get);

  private static InlineWorkloads inlineWith(String preset) {
    return new InlineWorkloads(
        new ControllerConfig.InlinePolicies(
            true, Presets.byName(preset).orElseThrow(), Duration.ofSeconds(30), EXPIRY));
  }

  private void advance(Duration by) {
    now.updateAndGet(t -> t.plus(by));
  }

  private static GovernedWorkload declared(String namespace, String policy, String target) {
    return new GovernedWorkload(
        new WorkloadRef(namespace, policy, "Deployment", target),
        QUEUE_4,
        WorkloadQueries.of(Map.of(Signal.QUEUE, SignalQuery.of("sum(q)"))),
        Optional.of(new GovernedWorkload.Replicas(1, 1)));
  }

  private static List<String> refs(List<GovernedWorkload> workloads) {
    return workloads.stream().map(w -> w.ref().toString()).toList();
  }

  @Test
  void inlinePolicyJoinsTheDeclaredOnesWithPresetSignalsAndKubeStateMetricsReplicas() {
    set.declare(List.of(declared("llm", "llama", "llama")));
    set.register(new WorkloadRef("llm", "chat", "Deployment", "chat-server"), QUEUE_4);

    assertThat(handed).hasSize(2);
    List<GovernedWorkload> now = handed.get(1);
    assertThat(refs(now)).containsExactly("llm/llama", "llm/chat");
    GovernedWorkload chat = now.get(1);
    assertThat(chat.queries().signals().get(Signal.QUEUE).value())
        .contains("vllm:num_requests_waiting")
        .contains("namespace=\"llm\",pod=~\"chat-server-.*\"");
    assertThat(chat.queries().currentReplicas())
        .contains(
            "max(kube_deployment_spec_replicas{namespace=\"llm\",deployment=\"chat-server\"})");
    assertThat(chat.fixedReplicas()).isEmpty();
  }

  @Test
  void anInlinePolicyUnaskedForTheExpiryIsLetGoWhileTheDeclaredOnesStay() {
    WorkloadRef chat = new WorkloadRef("llm", "chat", "Deployment", "chat-server");
    set.declare(List.of(declared("llm", "llama", "llama")));
    set.register(chat, QUEUE_4);

    advance(EXPIRY.minusSeconds(1));
    assertThat(set.expireIdle(EXPIRY)).isZero();
    advance(Duration.ofSeconds(2));
    assertThat(set.expireIdle(EXPIRY)).isEqualTo(1);

    assertThat(refs(handed.get(handed.size() - 1))).containsExactly("llm/llama");
    assertThat(set.touch(chat)).as("KEDA asks again: register anew").isFalse();
    set.register(chat, QUEUE_4);
    assertThat(refs(handed.get(handed.size() - 1))).containsExactly("llm/llama", "llm/chat");
  }

  @Test
  void everyRequestAboutAnInlinePolicyRestartsItsIdleTime() {
    WorkloadRef chat = new WorkloadRef("llm", "chat", "Deployment", "chat-server");
    set.register(chat, QUEUE_4);
    int changes = handed.size();

    for (int i = 0; i < 10; i++) {
      advance(EXPIRY.dividedBy(2));
      assertThat(set.touch(chat)).isTrue();
      assertThat(set.expireIdle(EXPIRY)).isZero();
    }

    assertThat(handed).hasSize(changes);
    assertThat(set.touch(new WorkloadRef("llm", "other", "Deployment", "other")))
        .as("never registered")
        .isFalse();
  }

  @Test
  void reRegisteringTheSamePolicyChangesNothingAndANewSpecReplacesTheOld() {
    WorkloadRef chat = WorkloadRef.deployment("llm", "chat");
    set.register(chat, QUEUE_4);
    set.register(chat, QUEUE_4);
    assertThat(handed).hasSize(1);
    PolicySpec wider = QUEUE_4.toBuilder().maxReplicas(20).build();
    set.register(chat, wider);
    assertThat(handed).hasSize(2);
    assertThat(handed.get(1)).singleElement().satisfies(w -> assertThat(w.spec()).isEqualTo(wider));
  }

  @Test
  void aDeclaredPolicyOfTheSameNameWinsAndTheInlineOneIsRefusedNamingIt() {
    set.declare(List.of(declared("llm", "chat", "chat-v2")));
    assertThatThrownBy(() -> set.register(WorkloadRef.deployment("llm", "chat"), QUEUE_4))
        .isInstanceOf(InvalidMetadataException.class)
        .hasMessageContaining("llm/chat")
        .hasMessageContaining("already governs Deployment/chat-v2")
        .hasMessageContaining("policy: chat");
    assertThat(handed).hasSize(1);
    // Same name in another namespace is another workload.
    set.register(WorkloadRef.deployment("other", "chat"), QUEUE_4);
    assertThat(refs(handed.get(1))).containsExactly("llm/chat", "other/chat");
  }

  @Test
  void aLaterDeclaredPolicyShadowsTheInlineOneWhichReturnsWhenItGoes() {
    set.register(WorkloadRef.deployment("llm", "chat"), QUEUE_4);
    set.declare(List.of(declared("llm", "chat", "chat-v2")));
    assertThat(handed.get(1))
        .singleElement()
        .satisfies(w -> assertThat(w.ref().targetName()).isEqualTo("chat-v2"));
    set.declare(List.of());
    assertThat(handed.get(2))
        .singleElement()
        .satisfies(w -> assertThat(w.ref().targetName()).isEqualTo("chat"));
  }

  static Stream<Arguments> ungovernable() {
    return Stream.of(
        Arguments.of(
            "signals the preset cannot read",
            "tgi",
            new WorkloadRef("llm", "chat", "Deployment", "chat"),
            QUEUE_4.toBuilder().target(Signal.KV_CACHE, 0.8).target(Signal.TTFT_P95, 0.5).build(),
            List.of("target.ttft_p95", "target.kv_cache")),
        Arguments.of(
            "every reason at once",
            "tgi",
            new WorkloadRef("llm", "chat", "Rollout", "chat"),
            QUEUE_4.toBuilder().target(Signal.KV_CACHE, 0.8).build(),
            List.of("target.kv_cache", "targetKind")),
        Arguments.of(
            "kind without kube-state-metrics replicas",
            "vllm",
            new WorkloadRef("llm", "chat", "LeaderWorkerSet", "chat"),
            QUEUE_4,
            List.of("targetKind")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ungovernable")
  void anInlinePolicyTheControllerCannotReadIsRefusedWithEveryReason(
      String name, String preset, WorkloadRef ref, PolicySpec spec, List<String> keys) {
    GovernedSet withPreset = new GovernedSet(inlineWith(preset), handed::add);
    assertThatThrownBy(() -> withPreset.register(ref, spec))
        .isInstanceOfSatisfying(
            InvalidMetadataException.class,
            e ->
                assertThat(e.problems())
                    .extracting(Problem::key)
                    .containsExactlyInAnyOrderElementsOf(keys));
    assertThat(handed).isEmpty();
  }

  @Test
  void mergeKeepsDeclaredOrderAndDropsShadowedInlineOnes() {
    GovernedWorkload a = declared("n", "a", "a");
    GovernedWorkload b = declared("n", "b", "b");
    GovernedWorkload inlineB = declared("n", "b", "other");
    GovernedWorkload inlineC = declared("n", "c", "c");
    assertThat(refs(GovernedSet.merge(List.of(a, b), List.of(inlineB, inlineC))))
        .containsExactly("n/a", "n/b", "n/c");
    assertThat(GovernedSet.merge(List.of(a, b), List.of(inlineB, inlineC)).get(1)).isSameAs(b);
  }
}
