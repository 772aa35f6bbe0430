package dev.foresight.controller.cluster;

import dev.foresight.policy.WorkloadRef;
import dev.foresight.policy.supply.NodeSupply;
import dev.foresight.policy.supply.NodeSupplyAnalyzer;
import dev.foresight.policy.supply.ProvisioningSample;
import dev.foresight.policy.supply.SupplyReport;
import dev.foresight.policy.supply.WorkloadPlacement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Runs the node-supply analysis once per tick and keeps its result for the engine: the hand-off
 * point between the cluster and the decision. Until {@code Observation} carries node supply and
 * start-up durations, the loop reads them here ({@link #forWorkload}, {@link
 * #drainProvisioning()}); this class is the one place to change when it does.
 */
public final class SupplyTracker {

  private final ClusterState cluster;
  private final NodeSupplyAnalyzer analyzer;
  private final SupplyMetrics metrics;
  private volatile SupplyReport latest;
  private final List<Duration> provisioning = new ArrayList<>();

  public SupplyTracker(ClusterState cluster, NodeSupplyAnalyzer analyzer, SupplyMetrics metrics) {
    this.cluster = cluster;
    this.analyzer = analyzer;
    this.metrics = metrics;
  }

  /** Reads the snapshot at {@code at}, analyzes it for {@code placements} and exports it. */
  public SupplyReport refresh(Instant at, Collection<WorkloadPlacement> placements) {
    SupplyReport report = analyzer.analyze(cluster.supply(at), List.copyOf(placements));
    List<ProvisioningSample> fresh = metrics.record(report);
    synchronized (provisioning) {
      for (ProvisioningSample s : fresh) {
        provisioning.add(s.duration());
      }
    }
    latest = report;
    return report;
  }

  /** The workload's supply from the latest analysis; unconstrained before the first. */
  public NodeSupply forWorkload(WorkloadRef workload) {
    SupplyReport r = latest;
    return r == null ? NodeSupply.unconstrained(workload, 0) : r.forWorkload(workload);
  }

  /** Node provisioning durations seen since the previous call, for the lead-time learner. */
  public List<Duration> drainProvisioning() {
    synchronized (provisioning) {
      List<Duration> out = List.copyOf(provisioning);
      provisioning.clear();
      return out;
    }
  }
}
