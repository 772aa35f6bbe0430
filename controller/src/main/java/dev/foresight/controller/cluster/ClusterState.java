package dev.foresight.controller.cluster;

import dev.foresight.controller.loop.GovernedWorkload;
import dev.foresight.policy.WorkloadRef;
import dev.foresight.policy.supply.ClusterSupply;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The controller's view of the cluster (a narrow port: client-java behind {@link
 * KubernetesCluster}, {@link FakeClusterState} for unit tests).
 */
public interface ClusterState {

  /** Every ScalingPolicy, as last seen (informer cache). Invalid ones are left out and logged. */
  List<PolicyResource> policies();

  /**
   * The target's replicas: {@code spec.replicas} of its scale subresource and the number of its
   * pods that are Ready. Empty when the target cannot be read (the loop then keeps the last known
   * count; it never assumes zero).
   */
  Optional<GovernedWorkload.Replicas> replicas(PolicyResource policy);

  /**
   * Start-up durations (created → Ready) of the target's pods that became ready since the previous
   * call, each pod reported once: the lead-time learner's samples.
   */
  List<Duration> startupDurations(WorkloadRef workload);

  /**
   * The node-supply snapshot at {@code at}: Karpenter objects (if present), Pending pods, Events.
   */
  ClusterSupply supply(Instant at);

  /** Whether Karpenter's {@code karpenter.sh/v1} API was discovered. */
  boolean karpenterObserved();
}
