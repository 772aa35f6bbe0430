package dev.foresight.controller.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.foresight.controller.config.InvalidConfigException;
import dev.foresight.controller.config.Problem;
import dev.foresight.controller.loop.GovernedWorkload;
import dev.foresight.policy.PolicySpecParser;
import dev.foresight.policy.Signal;
import dev.foresight.policy.WorkloadRef;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoliciesFileTest {

  private final PoliciesFile file = new PoliciesFile(PolicySpecParser::parse);

  @Test
  void validFileBecomesGovernedWorkloads() {
    List<GovernedWorkload> ws =
        file.parse(
            """
            policies:
              - name: vllm-llama
                namespace: llm
                target: {kind: Deployment, name: vllm-llama}
                signals:
                  preset: vllm
                  window: 30s
                  queries:
                    ttft_p95: 'histogram_quantile(0.95, sum by (le) (rate(my_ttft_bucket[1m])))'
                gpus: {preset: dcgm}
                replicas: {current: 2, ready: 1}
                policy:
                  minReplicas: 1
                  maxReplicas: 8
                  target.queue: 4
              - name: tgi
                namespace: chat
                target: {kind: StatefulSet, name: tgi-mistral}
                signals: {preset: tgi, selector: 'job="tgi"'}
                replicas: {source: kube-state-metrics}
                policy: {target.queue: 2}
            """,
            "test.yaml");
    assertThat(ws).hasSize(2);
    GovernedWorkload llama = ws.get(0);
    assertThat(llama.ref()).isEqualTo(WorkloadRef.deployment("llm", "vllm-llama"));
    assertThat(llama.spec().maxReplicas()).isEqualTo(8);
    assertThat(llama.spec().targets()).containsEntry(Signal.QUEUE, 4.0);
    assertThat(llama.queries().signals().get(Signal.QUEUE).value())
        .isEqualTo("sum(vllm:num_requests_waiting{namespace=\"llm\",pod=~\"vllm-llama-.*\"})");
    assertThat(llama.queries().signals().get(Signal.REQUEST_RATE).value()).contains("[30s]");
    // Only signals with a target, the activity signals and custom queries are read.
    assertThat(llama.queries().signals().keySet())
        .containsExactly(Signal.QUEUE, Signal.RUNNING, Signal.TTFT_P95, Signal.REQUEST_RATE);
    assertThat(llama.queries().signals().get(Signal.TTFT_P95).value()).contains("my_ttft_bucket");
    assertThat(llama.queries().signals().get(Signal.TTFT_P95).newestSampleTime()).isEmpty();
    assertThat(llama.queries().gpus().orElseThrow().utilizationPercent())
        .isEqualTo("DCGM_FI_DEV_GPU_UTIL{namespace=\"llm\",pod=~\"vllm-llama-.*\"}");
    assertThat(llama.fixedReplicas()).contains(new GovernedWorkload.Replicas(2, 1));

    GovernedWorkload tgi = ws.get(1);
    assertThat(tgi.ref()).isEqualTo(new WorkloadRef("chat", "tgi", "StatefulSet", "tgi-mistral"));
    assertThat(tgi.queries().signals().get(Signal.QUEUE).value())
        .isEqualTo("sum(tgi_queue_size{job=\"tgi\"})");
    assertThat(tgi.fixedReplicas()).isEmpty();
    assertThat(tgi.queries().currentReplicas())
        .contains("max(kube_statefulset_replicas{namespace=\"chat\",statefulset=\"tgi-mistral\"})");
    assertThat(tgi.queries().readyReplicas())
        .contains(
            "max(kube_statefulset_status_replicas_ready{namespace=\"chat\",statefulset=\"tgi-mistral\"})");
  }

  @Test
  void everyProblemIsListedWithItsPath() {
    InvalidConfigException e =
        catchThrowableOfType(
            InvalidConfigException.class,
            () ->
                file.parse(
                    """
                    policies:
                      - name: a
                        namespace: llm
                        target: {kind: Deployment, name: a}
                        signals: {preset: vlm, window: soon}
                        replicas: {current: -1}
                        policy: {maxReplicas: 0}
                        colour: blue
                      - name: b
                        target: {kind: Deployment}
                        signals: {queries: {queue: 'sum(q)', latency: 'x'}}
                        replicas: {source: cadvisor}
                        policy: {target.kv_cache: 0.8}
                      - name: Bad_Name
                        namespace: llm
                        target: {kind: Deployment, name: c}
                        signals: {preset: tgi}
                        replicas: {current: 1}
                    """,
                    "bad.yaml"));
    assertThat(e.problems())
        .extracting(Problem::field)
        .containsExactlyInAnyOrder(
            "policies[0].colour",
            "policies[0].policy.maxReplicas",
            "policies[0].policy.minReplicas", // min 1 above max 0
            "policies[0].signals.preset",
            "policies[0].signals.window",
            "policies[0].replicas.current",
            "policies[1].namespace",
            "policies[1].target.name",
            "policies[1].signals.queries.latency",
            "policies[1].replicas.source",
            "policies[1].signals",
            "policies[2]");
    assertThat(e.getMessage())
        .startsWith("invalid policies file bad.yaml (12 problems):")
        .contains("policies[0].signals.preset: got 'vlm', expected one of [vllm, tgi,")
        .contains("policies[1].signals: got 'no query for kv_cache'");
  }

  @Test
  void duplicateWorkloadIsAProblem() {
    String one =
        """
          - name: a
            namespace: llm
            target: {kind: Deployment, name: a}
            signals: {preset: vllm}
            replicas: {current: 1}
        """;
    InvalidConfigException e =
        catchThrowableOfType(
            InvalidConfigException.class, () -> file.parse("policies:\n" + one + one, "dup.yaml"));
    assertThat(e.problems()).extracting(Problem::field).containsExactly("policies[1].name");
  }

  @Test
  void malformedYamlNamesTheLine() {
    InvalidConfigException e =
        catchThrowableOfType(
            InvalidConfigException.class, () -> file.parse("policies:\n  - name: [a\n", "x.yaml"));
    assertThat(e.problems().get(0).field()).startsWith("line ");
  }

  @Test
  void missingPoliciesListIsAProblem() {
    InvalidConfigException e =
        catchThrowableOfType(
            InvalidConfigException.class, () -> file.parse("other: 1\n", "x.yaml"));
    assertThat(e.problems())
        .containsExactly(new Problem("policies", "<missing>", "a list of policies"));
    assertThat(file.parse("policies: []\n", "empty.yaml")).isEmpty();
  }

  @Test
  void shippedExampleLoads() throws Exception {
    // Surefire runs in the module directory; manifests/ is beside it.
    List<GovernedWorkload> ws =
        file.load(java.nio.file.Path.of("..", "manifests", "examples", "standalone-policies.yaml"));
    assertThat(ws).extracting(w -> w.ref().policy()).containsExactly("vllm-llama", "tgi-mistral");
    assertThat(ws.get(0).queries().gpus()).isPresent();
    assertThat(ws.get(1).queries().signals()).containsKey(Signal.KV_CACHE);
  }
}
