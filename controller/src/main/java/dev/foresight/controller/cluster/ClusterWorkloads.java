package dev.foresight.controller.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.foresight.controller.config.InvalidConfigException;
import dev.foresight.controller.config.Problem;
import dev.foresight.controller.crd.ScalingPolicyKeys;
import dev.foresight.controller.loop.GovernedWorkload;
import dev.foresight.controller.metrics.GpuQueries;
import dev.foresight.controller.metrics.SignalQuery;
import dev.foresight.controller.metrics.WorkloadQueries;
import dev.foresight.controller.prometheus.QueryContext;
import dev.foresight.controller.prometheus.SignalSources;
import dev.foresight.policy.InvalidPolicyException;
import dev.foresight.policy.PolicySpec;
import dev.foresight.policy.PolicySpecParser;
import dev.foresight.policy.Signal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a ScalingPolicy into a workload the loop governs: {@code spec.policy} through {@link
 * ScalingPolicyKeys} and the policy parser, {@code spec.signals} and {@code spec.gpus} through
 * {@link SignalSources} (the same blocks as the standalone policies file), and replica counts from
 * {@link ClusterState#replicas} (scale subresource and Ready pods) on every evaluation.
 */
public final class ClusterWorkloads {

  private final ClusterState cluster;
  private final ObjectMapper json = new ObjectMapper();

  public ClusterWorkloads(ClusterState cluster) {
    this.cluster = cluster;
  }

  /**
   * The workload {@code policy} declares.
   *
   * @throws InvalidConfigException listing every problem, each with its path under {@code spec}
   */
  public GovernedWorkload workload(PolicyResource policy) {
    String where = "scalingpolicy/" + policy.ref().namespace() + "/" + policy.ref().policy();
    JsonNode spec;
    try {
      spec = json.readTree(policy.spec());
    } catch (JsonProcessingException e) {
      throw new InvalidConfigException(
          where, List.of(new Problem("spec", e.getOriginalMessage(), "a JSON object")));
    }
    List<Problem> problems = new ArrayList<>();
    PolicySpec policySpec = null;
    try {
      policySpec = PolicySpecParser.parse(ScalingPolicyKeys.flatten(spec.get("policy")));
    } catch (InvalidPolicyException e) {
      for (InvalidPolicyException.Problem p : e.problems()) {
        problems.add(new Problem("spec.policy." + p.field(), p.value(), p.expected()));
      }
    }
    String defaultSelector =
        QueryContext.podsOf(policy.ref().namespace(), policy.ref().targetName());
    Map<Signal, SignalQuery> signals =
        SignalSources.signals(
            "spec.signals", spec.get("signals"), defaultSelector, policySpec, problems);
    Optional<GpuQueries> gpus =
        SignalSources.gpus("spec.gpus", spec.get("gpus"), defaultSelector, problems);
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(where, problems);
    }
    return new GovernedWorkload(
        policy.ref(),
        policySpec,
        new WorkloadQueries(signals, gpus, Optional.empty(), Optional.empty()),
        Optional.empty(),
        Optional.of(() -> cluster.replicas(policy)));
  }
}
