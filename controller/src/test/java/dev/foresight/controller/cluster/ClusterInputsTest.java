package dev.foresight.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.policy.Observation;
import dev.foresight.policy.Signals;
import dev.foresight.policy.WorkloadRef;
import dev.foresight.policy.supply.NodeSupplyAnalyzer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pod start-ups and node supply reach each workload's observation. */
class ClusterInputsTest {

  private static final WorkloadRef LLAMA =
      new WorkloadRef("inference", "llama", "Deployment", "vllm-llama");
  private static final WorkloadRef OTHER =
      new WorkloadRef("inference", "other", "Deployment", "other");

  @Test
  void startupsAreReportedOnceAndSupplyIsAttached() {
    FakeClusterState cluster =
        new FakeClusterState()
            .podReadyAfter(LLAMA, Duration.ofSeconds(190))
            .podReadyAfter(LLAMA, Duration.ZERO);
    SupplyTracker supply =
        new SupplyTracker(
            cluster, new NodeSupplyAnalyzer(), new SupplyMetrics(new PrometheusRegistry()));
    ClusterInputs inputs = new ClusterInputs(cluster, supply);
    Instant t0 = Instant.parse("2026-11-23T10:00:00Z");

    Observation first = inputs.complete(LLAMA, Observation.of(t0, 3, 1, Signals.none()));
    assertThat(first.podStartups()).containsExactly(Duration.ofSeconds(190));
    assertThat(first.supply()).isPresent();
    assertThat(first.supply().get()).isEqualTo(supply.forWorkload(LLAMA));

    Observation next =
        inputs.complete(LLAMA, Observation.of(t0.plusSeconds(5), 3, 2, Signals.none()));
    assertThat(next.podStartups()).isEmpty();
    Observation other =
        inputs.complete(OTHER, Observation.of(t0.plusSeconds(5), 1, 1, Signals.none()));
    assertThat(other.podStartups()).isEmpty();
    assertThat(other.nodeProvisionings()).isEqualTo(List.of());
  }
}
