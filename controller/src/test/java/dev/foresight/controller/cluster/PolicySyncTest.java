package dev.foresight.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.foresight.controller.config.InvalidConfigException;
import dev.foresight.controller.config.Problem;
import dev.foresight.controller.loop.GovernedWorkload;
import dev.foresight.policy.Signal;
import dev.foresight.policy.WorkloadRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** ScalingPolicies become governed workloads, and changes reach the loop. */
class PolicySyncTest {

  private static final WorkloadRef LLAMA =
      new WorkloadRef("inference", "llama", "Deployment", "vllm-llama");

  private static PolicyResource policy(WorkloadRef ref, long generation, String spec) {
    return new PolicyResource(ref, "apps/v1", generation, spec);
  }

  private static final String VALID =
      """
      {"targetRef": {"kind": "Deployment", "name": "vllm-llama"},
       "signals": {"preset": "vllm", "window": "30s"},
       "gpus": {"preset": "dcgm"},
       "policy": {"minReplicas": 1, "maxReplicas": 8, "targets": {"queue": 4}}}
      """;

  @Test
  void aValidPolicyIsReadLikeTheStandaloneFileWithReplicasFromTheCluster() {
    FakeClusterState cluster = new FakeClusterState().replicas(LLAMA, 3, 2);
    GovernedWorkload w = new ClusterWorkloads(cluster).workload(policy(LLAMA, 1, VALID));
    assertThat(w.ref()).isEqualTo(LLAMA);
    assertThat(w.spec().maxReplicas()).isEqualTo(8);
    assertThat(w.queries().signals()).containsKey(Signal.QUEUE);
    assertThat(w.queries().signals().get(Signal.QUEUE).value())
        .contains("namespace=\"inference\"")
        .contains("pod=~\"vllm-llama-.*\"");
    assertThat(w.queries().gpus()).isPresent();
    assertThat(w.fixedReplicas()).isEmpty();
    assertThat(w.queries().currentReplicas()).isEmpty();
    assertThat(w.replicaReader().orElseThrow().read())
        .contains(new GovernedWorkload.Replicas(3, 2));
  }

  @Test
  void unreadableReplicasStayUnknown() {
    GovernedWorkload w =
        new ClusterWorkloads(new FakeClusterState()).workload(policy(LLAMA, 1, VALID));
    assertThat(w.replicaReader().orElseThrow().read()).isEmpty();
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(
            "unknown preset and bad bound",
            """
            {"signals": {"preset": "nope"}, "policy": {"minReplicas": 1, "maxReplicas": -2}}
            """,
            List.of("spec.signals.preset", "spec.policy.maxReplicas")),
        Arguments.of(
            "target the preset cannot read",
            """
            {"signals": {"queries": {"queue": "sum(waiting)"}},
             "policy": {"maxReplicas": 4, "targets": {"ttft_p95": "800ms"}}}
            """,
            List.of("spec.signals")),
        Arguments.of(
            "bad window and gpu preset",
            """
            {"signals": {"preset": "vllm", "window": "soon"}, "gpus": {"preset": "nvml"},
             "policy": {"maxReplicas": 4, "targets": {"queue": 4}}}
            """,
            List.of("spec.signals.window", "spec.gpus.preset")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void everyProblemOfAnInvalidPolicyIsNamed(String name, String spec, List<String> fields) {
    ClusterWorkloads workloads = new ClusterWorkloads(new FakeClusterState());
    assertThatThrownBy(() -> workloads.workload(policy(LLAMA, 1, spec)))
        .isInstanceOfSatisfying(
            InvalidConfigException.class,
            e ->
                assertThat(e.problems())
                    .extracting(Problem::field)
                    .containsAll(fields)
                    .allMatch(f -> f.startsWith("spec.")))
        .hasMessageContaining("scalingpolicy/inference/llama");
  }

  @Test
  void changesAreDeclaredOnceAndInvalidPoliciesAreLeftOut() {
    FakeClusterState cluster = new FakeClusterState();
    List<List<GovernedWorkload>> declared = new ArrayList<>();
    PolicySync sync = new PolicySync(cluster, new ClusterWorkloads(cluster), declared::add);
    WorkloadRef other = new WorkloadRef("inference", "broken", "Deployment", "broken");

    cluster.policies(List.of(policy(LLAMA, 1, VALID), policy(other, 1, "{\"policy\": {}}")));
    sync.sync();
    sync.sync(); // nothing changed: not declared again
    assertThat(declared).hasSize(1);
    assertThat(declared.get(0)).extracting(GovernedWorkload::ref).containsExactly(LLAMA);
    GovernedWorkload first = declared.get(0).get(0);

    cluster.policies(
        List.of(policy(LLAMA, 2, VALID.replace("\"maxReplicas\": 8", "\"maxReplicas\": 12"))));
    sync.sync();
    assertThat(declared).hasSize(2);
    assertThat(declared.get(1).get(0).spec().maxReplicas()).isEqualTo(12);
    assertThat(declared.get(1).get(0)).isNotSameAs(first);

    cluster.policies(List.of());
    sync.sync();
    assertThat(declared.get(2)).isEmpty();
    assertThat(Optional.of(declared.size())).contains(3);
  }
}
