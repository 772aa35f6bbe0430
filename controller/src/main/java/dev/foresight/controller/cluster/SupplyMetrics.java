package dev.foresight.controller.cluster;

import dev.foresight.policy.WorkloadRef;
import dev.foresight.policy.supply.NodePoolSupply;
import dev.foresight.policy.supply.NodeSupply;
import dev.foresight.policy.supply.ProvisioningSample;
import dev.foresight.policy.supply.SupplyReport;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Node-supply metrics from each {@link SupplyReport}:
 *
 * <ul>
 *   <li>{@code foresight_karpenter_observed}: 1 when {@code karpenter.sh/v1} was discovered and its
 *       NodePools and NodeClaims were read for the latest report;
 *   <li>{@code foresight_pending_pods{namespace,policy}}: Pending unschedulable pods;
 *   <li>{@code foresight_pending_pods_covered}: of those, covered by an in-flight NodeClaim, a
 *       node, or a cluster-autoscaler scale-up;
 *   <li>{@code foresight_pending_pods_unbacked}: the rest (the "fake scaling");
 *   <li>{@code foresight_nodepool_gpu_headroom{nodepool}}: GPUs Karpenter may still add under the
 *       pool's limit (absent for pools without a GPU limit);
 *   <li>{@code foresight_node_provisioning_seconds{nodepool}}: NodeClaim created → Initialized,
 *       each claim observed once.
 * </ul>
 */
public final class SupplyMetrics {

  private final Gauge karpenter;
  private final Gauge pending;
  private final Gauge covered;
  private final Gauge unbacked;
  private final Gauge headroom;
  private final Histogram provisioning;
  private final Set<WorkloadRef> workloads = new HashSet<>();
  private final Set<String> pools = new HashSet<>();
  private SupplyReport previous;

  public SupplyMetrics(PrometheusRegistry registry) {
    karpenter =
        Gauge.builder()
            .name("foresight_karpenter_observed")
            .help(
                "1 when Karpenter's karpenter.sh/v1 API was discovered and its NodePools and"
                    + " NodeClaims were read in the latest node-supply refresh, else 0.")
            .register(registry);
    pending = workloadGauge(registry, "foresight_pending_pods", "Unschedulable Pending pods.");
    covered =
        workloadGauge(
            registry,
            "foresight_pending_pods_covered",
            "Pending pods covered by an in-flight NodeClaim, a node or a scale-up.");
    unbacked =
        workloadGauge(
            registry,
            "foresight_pending_pods_unbacked",
            "Pending pods no node supply is coming for.");
    headroom =
        Gauge.builder()
            .name("foresight_nodepool_gpu_headroom")
            .help("GPUs Karpenter may still add under the NodePool's limit.")
            .labelNames("nodepool")
            .register(registry);
    provisioning =
        Histogram.builder()
            .name("foresight_node_provisioning_seconds")
            .help("NodeClaim creation to Initialized.")
            .unit(io.prometheus.metrics.model.snapshots.Unit.SECONDS)
            .classicUpperBounds(30, 60, 90, 120, 180, 240, 300, 450, 600, 900, 1200)
            .labelNames("nodepool")
            .register(registry);
  }

  private static Gauge workloadGauge(PrometheusRegistry registry, String name, String help) {
    return Gauge.builder()
        .name(name)
        .help(help)
        .labelNames("namespace", "policy")
        .register(registry);
  }

  /**
   * Exports {@code report}; returns the provisioning samples new since the previous report that
   * read Karpenter (to hand to the lead-time learner).
   */
  public synchronized List<ProvisioningSample> record(SupplyReport report) {
    karpenter.set(report.karpenterObserved() ? 1 : 0);
    Set<WorkloadRef> seen = new HashSet<>();
    for (NodeSupply s : report.workloads().values()) {
      WorkloadRef w = s.workload();
      seen.add(w);
      pending.labelValues(w.namespace(), w.policy()).set(s.pendingPods());
      covered.labelValues(w.namespace(), w.policy()).set(s.coveredPods());
      unbacked.labelValues(w.namespace(), w.policy()).set(s.uncoveredPods());
    }
    for (WorkloadRef gone : workloads) {
      if (!seen.contains(gone)) {
        pending.remove(gone.namespace(), gone.policy());
        covered.remove(gone.namespace(), gone.policy());
        unbacked.remove(gone.namespace(), gone.policy());
      }
    }
    workloads.clear();
    workloads.addAll(seen);
    Set<String> seenPools = new HashSet<>();
    for (NodePoolSupply p : report.nodePools().values()) {
      if (p.usableHeadroomGpus().isPresent()) {
        seenPools.add(p.name());
        headroom.labelValues(p.name()).set(p.usableHeadroomGpus().getAsInt());
      }
    }
    for (String gone : pools) {
      if (!seenPools.contains(gone)) {
        headroom.remove(gone);
      }
    }
    pools.clear();
    pools.addAll(seenPools);
    if (!report.karpenterObserved()) {
      // No NodeClaims were read: nothing new was provisioned as far as this report knows, and the
      // claims already counted stay counted when a later read lists them again.
      return List.of();
    }
    List<ProvisioningSample> fresh =
        previous == null ? report.provisioning() : report.newSince(previous);
    for (ProvisioningSample s : fresh) {
      provisioning.labelValues(s.nodePool()).observe(s.seconds());
    }
    previous = report;
    return fresh;
  }
}
