package dev.foresight.controller.cluster;

import dev.foresight.controller.loop.GovernedWorkload;
import dev.foresight.policy.WorkloadRef;
import dev.foresight.policy.supply.ClusterSupply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** An in-memory {@link ClusterState} whose contents the test sets. */
public final class FakeClusterState implements ClusterState {

  private volatile List<PolicyResource> policies = List.of();
  private final Map<WorkloadRef, GovernedWorkload.Replicas> replicas = new ConcurrentHashMap<>();
  private final Map<WorkloadRef, List<Duration>> startups = new ConcurrentHashMap<>();
  private volatile ClusterSupply supply =
      ClusterSupply.withoutKarpenter(Instant.EPOCH, List.of(), List.of());

  public FakeClusterState policies(List<PolicyResource> next) {
    policies = List.copyOf(next);
    return this;
  }

  public FakeClusterState replicas(WorkloadRef ref, int current, int ready) {
    replicas.put(ref, new GovernedWorkload.Replicas(current, ready));
    return this;
  }

  public FakeClusterState podReadyAfter(WorkloadRef ref, Duration startup) {
    startups.computeIfAbsent(ref, r -> new ArrayList<>()).add(startup);
    return this;
  }

  public FakeClusterState supply(ClusterSupply next) {
    supply = next;
    return this;
  }

  @Override
  public List<PolicyResource> policies() {
    return policies;
  }

  @Override
  public Optional<GovernedWorkload.Replicas> replicas(PolicyResource policy) {
    return Optional.ofNullable(replicas.get(policy.ref()));
  }

  @Override
  public synchronized List<Duration> startupDurations(WorkloadRef workload) {
    List<Duration> d = startups.remove(workload);
    return d == null ? List.of() : List.copyOf(d);
  }

  @Override
  public ClusterSupply supply(Instant at) {
    ClusterSupply s = supply;
    return new ClusterSupply(
        at, s.karpenterObserved(), s.nodePools(), s.nodeClaims(), s.pendingPods(), s.events());
  }

  @Override
  public boolean karpenterObserved() {
    return supply.karpenterObserved();
  }
}
