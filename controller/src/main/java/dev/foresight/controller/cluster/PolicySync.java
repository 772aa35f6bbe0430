package dev.foresight.controller.cluster;

import dev.foresight.controller.config.InvalidConfigException;
import dev.foresight.controller.loop.GovernedWorkload;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the governed workloads in step with the ScalingPolicies in the informer cache: on each
 * {@link #sync()} the cached policies are compared with the previous ones, and only when one was
 * added, changed or removed are the workloads rebuilt and handed on. A policy unchanged since the
 * previous sync keeps its workload; an invalid one is logged (with every problem), not governed,
 * and handed to the rejection consumer (which writes its status and an Event).
 */
public final class PolicySync {

  private static final Logger LOG = LoggerFactory.getLogger(PolicySync.class);

  private final ClusterState cluster;
  private final ClusterWorkloads workloads;
  private final Consumer<List<GovernedWorkload>> declare;
  private final Consumer<List<InvalidPolicies.Rejection>> rejected;
  private Map<PolicyResource, GovernedWorkload> current = Map.of();
  private List<PolicyResource> seen;

  /**
   * @param declare receives every valid policy's workload on each change (for example {@code
   *     GovernedSet::declare})
   */
  public PolicySync(
      ClusterState cluster, ClusterWorkloads workloads, Consumer<List<GovernedWorkload>> declare) {
    this(cluster, workloads, declare, rejections -> {});
  }

  /**
   * @param rejected receives every invalid policy on each change (for example {@link
   *     InvalidPolicies#rejected})
   */
  public PolicySync(
      ClusterState cluster,
      ClusterWorkloads workloads,
      Consumer<List<GovernedWorkload>> declare,
      Consumer<List<InvalidPolicies.Rejection>> rejected) {
    this.cluster = cluster;
    this.workloads = workloads;
    this.declare = declare;
    this.rejected = rejected;
  }

  /** Reads the cached policies and re-declares the workloads when they changed. */
  public synchronized void sync() {
    List<PolicyResource> policies = cluster.policies();
    if (policies.equals(seen)) {
      return;
    }
    Map<PolicyResource, GovernedWorkload> next = new HashMap<>();
    List<GovernedWorkload> out = new ArrayList<>();
    List<InvalidPolicies.Rejection> invalid = new ArrayList<>();
    for (PolicyResource p : policies) {
      GovernedWorkload w = current.get(p);
      if (w == null) {
        try {
          w = workloads.workload(p);
          LOG.info("governing ScalingPolicy {} (generation {})", p.ref(), p.generation());
        } catch (InvalidConfigException e) {
          LOG.warn("not governing: {}", e.getMessage());
          invalid.add(InvalidPolicies.Rejection.of(p, e));
          continue;
        }
      }
      next.put(p, w);
      out.add(w);
    }
    current = next;
    seen = policies;
    declare.accept(out);
    rejected.accept(invalid);
  }
}
