package dev.foresight.sim;

import dev.foresight.policy.WorkloadRef;
import dev.foresight.policy.supply.ClusterSupply;
import dev.foresight.policy.supply.Condition;
import dev.foresight.policy.supply.NodeClaimState;
import dev.foresight.policy.supply.NodeClassRef;
import dev.foresight.policy.supply.NodePoolState;
import dev.foresight.policy.supply.NodeSupply;
import dev.foresight.policy.supply.NodeSupplyAnalyzer;
import dev.foresight.policy.supply.PendingPod;
import dev.foresight.policy.supply.SupplyEvent;
import dev.foresight.policy.supply.SupplyReport;
import dev.foresight.policy.supply.WorkloadPlacement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The fleet's node pool as the controller reads it from Karpenter: one {@code karpenter.sh/v1}
 * NodePool with the configured GPU limit, one NodeClaim per GPU node, the Pending pods of the
 * workload and Karpenter's Nominated Events, turned into the workload's {@link NodeSupply} by the
 * same {@link NodeSupplyAnalyzer} the controller runs.
 *
 * <p>Mapping of the {@link Fleet} onto those objects:
 *
 * <pre>
 * NodePool "gpu"     spec.limits[nvidia.com/gpu] = the node-pool GPU limit (none when unlimited)
 *                    status.resources[nvidia.com/gpu] = GPUs of every node, provisioning or Ready
 * NodeClaim per node requests = capacity = allocatable = GPUs per node; Launched=True at creation;
 *                    Registered and Initialized True when the node is Ready, Unknown before
 * Pending pod        a replica bound to no Ready node: PodScheduled=False/Unschedulable, pinned
 *                    to the pool by its node selector
 * Nominated Event    a Pending replica bound to a provisioning node: "Pod should schedule on:
 *                    nodeclaim/&lt;node&gt;" at the time it was bound
 * </pre>
 *
 * Launch is taken as immediate: Karpenter's cloud call returns within seconds, against minutes of
 * provisioning, and {@code status.resources} counts a claim from its launch. A replica that no node
 * can back (the limit is reached) has no Nominated Event, exactly as a pod Karpenter cannot
 * provision for.
 */
public final class KarpenterView {
  /** The NodePool of the fleet's GPU nodes. */
  public static final String NODE_POOL = "gpu";

  /** The simulated workload: one vLLM Deployment. */
  public static final WorkloadRef WORKLOAD = WorkloadRef.deployment("llm", "vllm");

  /** Every simulated replica requests one GPU. */
  static final int GPUS_PER_REPLICA = 1;

  private static final NodeClassRef NODE_CLASS =
      new NodeClassRef("karpenter.k8s.aws", "EC2NodeClass", "gpu");

  private final NodeSupplyAnalyzer analyzer = new NodeSupplyAnalyzer();
  private final WorkloadPlacement placement =
      new WorkloadPlacement(WORKLOAD, GPUS_PER_REPLICA, Set.of(NODE_POOL));
  private SupplyReport previous;

  /** What one look at the cluster yields: the workload's supply and newly initialized nodes. */
  public record Look(NodeSupply supply, List<Duration> nodeProvisionings) {}

  /**
   * Reads the fleet at {@code t} as the controller would read the cluster, and analyzes it.
   * Provisionings are the node claims initialized since the previous look.
   */
  Look look(Fleet fleet, double t) {
    SupplyReport report = analyzer.analyze(snapshot(fleet, t), List.of(placement));
    List<Duration> provisionings = new ArrayList<>();
    if (previous != null) {
      for (var sample : report.newSince(previous)) {
        // A zero provisioning time (configured so) is no sample: observations take positive ones.
        if (sample.duration().compareTo(Duration.ZERO) > 0) {
          provisionings.add(sample.duration());
        }
      }
    }
    previous = report;
    return new Look(report.forWorkload(WORKLOAD), provisionings);
  }

  /** The Karpenter objects, pods and Events that describe the fleet's node supply at {@code t}. */
  static ClusterSupply snapshot(Fleet fleet, double t) {
    SimulationConfig config = fleet.config();
    int gpusPerNode = config.gpusPerNode();
    Instant at = MetricsSampler.instant(t);
    List<NodeClaimState> claims = new ArrayList<>();
    int[] bound = new int[fleet.nodes().size()];
    List<PendingPod> pending = new ArrayList<>();
    List<SupplyEvent> events = new ArrayList<>();
    List<Node> nodes = fleet.nodes();
    for (Replica r : fleet.replicas()) {
      if (r.state == Replica.State.PENDING) {
        String pod = podName(r);
        Instant created = MetricsSampler.instant(r.createdAt);
        pending.add(
            new PendingPod(
                WORKLOAD.namespace(),
                pod,
                WORKLOAD,
                GPUS_PER_REPLICA,
                created,
                Optional.of(
                    Condition.isFalse(
                        PendingPod.POD_SCHEDULED,
                        PendingPod.UNSCHEDULABLE,
                        "0/" + nodes.size() + " nodes are available: Insufficient nvidia.com/gpu.",
                        created)),
                Optional.of(NODE_POOL)));
        if (r.node != null) {
          events.add(
              SupplyEvent.nominated(
                  WORKLOAD.namespace(), pod, claimName(r.node), MetricsSampler.instant(r.boundAt)));
        }
      } else if (r.node != null) {
        bound[nodes.indexOf(r.node)] += GPUS_PER_REPLICA;
      }
    }
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      Instant created = MetricsSampler.instant(n.createdAt);
      List<Condition> conditions = new ArrayList<>();
      conditions.add(Condition.isTrue(NodeClaimState.LAUNCHED, created));
      if (n.ready) {
        Instant ready = MetricsSampler.instant(n.readyAt);
        conditions.add(Condition.isTrue(NodeClaimState.REGISTERED, ready));
        conditions.add(Condition.isTrue(NodeClaimState.INITIALIZED, ready));
      } else {
        conditions.add(Condition.unknown(NodeClaimState.REGISTERED, created));
        conditions.add(Condition.unknown(NodeClaimState.INITIALIZED, created));
      }
      claims.add(
          new NodeClaimState(
              claimName(n),
              NODE_POOL,
              NODE_CLASS,
              created,
              Optional.empty(),
              gpusPerNode,
              OptionalInt.of(gpusPerNode),
              OptionalInt.of(gpusPerNode),
              n.ready ? Optional.of(claimName(n)) : Optional.empty(),
              conditions,
              bound[i]));
    }
    int limit = config.nodePoolGpuLimit();
    NodePoolState pool =
        new NodePoolState(
            NODE_POOL,
            limit == SimulationConfig.UNLIMITED ? OptionalInt.empty() : OptionalInt.of(limit),
            nodes.size() * gpusPerNode,
            List.of());
    return new ClusterSupply(at, true, List.of(pool), claims, pending, events);
  }

  /** Karpenter names a claim after its pool; the node takes the claim's name here. */
  static String claimName(Node n) {
    return NODE_POOL + "-" + n.id;
  }

  static String podName(Replica r) {
    return "vllm-" + r.id;
  }
}
