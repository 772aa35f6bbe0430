package dev.foresight.controller.inline;

import dev.foresight.controller.config.ControllerConfig;
import dev.foresight.controller.loop.GovernedWorkload;
import dev.foresight.controller.metrics.SignalQuery;
import dev.foresight.controller.metrics.WorkloadQueries;
import dev.foresight.controller.prometheus.KubeStateMetrics;
import dev.foresight.controller.prometheus.QueryContext;
import dev.foresight.policy.PolicySpec;
import dev.foresight.policy.Signal;
import dev.foresight.policy.WorkloadRef;
import dev.foresight.scaler.InvalidMetadataException;
import dev.foresight.scaler.Problem;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a policy written inline in a KEDA ScaledObject trigger into a workload the loop can
 * evaluate. A ScaledObject carries no PromQL, so its signals are read with one configured preset
 * ({@code --inline-signals-preset}) over the target's pods ({@code
 * namespace="<ns>",pod=~"<target>-.*"}) and its replica counts from kube-state-metrics.
 */
public final class InlineWorkloads {

  /** Read whenever the preset has them: the policy's activity (scale-to-zero) inputs. */
  private static final Set<Signal> ALWAYS_READ =
      Set.of(Signal.QUEUE, Signal.RUNNING, Signal.REQUEST_RATE);

  private final ControllerConfig.InlinePolicies config;

  public InlineWorkloads(ControllerConfig.InlinePolicies config) {
    this.config = config;
  }

  /**
   * The workload {@code spec} governs.
   *
   * @throws InvalidMetadataException listing every reason it cannot be governed (a target signal
   *     the preset does not read, a target kind without kube-state-metrics replica series); KEDA
   *     shows it as the trigger's {@code INVALID_ARGUMENT}
   */
  public GovernedWorkload workload(WorkloadRef ref, PolicySpec spec) {
    List<Problem> problems = new ArrayList<>();
    QueryContext context =
        new QueryContext(QueryContext.podsOf(ref.namespace(), ref.targetName()), config.window());
    Map<Signal, SignalQuery> signals = new EnumMap<>(Signal.class);
    for (Signal s : config.preset().signals().keySet()) {
      if (spec.targets().containsKey(s) || ALWAYS_READ.contains(s)) {
        signals.put(s, config.preset().query(s, context).orElseThrow());
      }
    }
    for (Signal s : spec.targets().keySet()) {
      if (!signals.containsKey(s)) {
        problems.add(
            new Problem(
                "target." + s.wireName(),
                String.valueOf(spec.targets().get(s)),
                "a signal the inline-policy preset '"
                    + config.preset().name()
                    + "' reads: "
                    + config.preset().signals().keySet().stream().map(Signal::wireName).toList()));
      }
    }
    Optional<KubeStateMetrics.ReplicaQueries> replicas =
        KubeStateMetrics.replicas(ref.namespace(), ref.targetKind(), ref.targetName());
    if (replicas.isEmpty()) {
      problems.add(
          new Problem(
              "targetKind",
              ref.targetKind(),
              "a "
                  + KubeStateMetrics.SUPPORTED_KINDS
                  + " (inline policies read replica counts from kube-state-metrics)"));
    }
    if (!problems.isEmpty()) {
      throw new InvalidMetadataException(ref.namespace() + "/" + ref.policy(), problems);
    }
    return new GovernedWorkload(
        ref,
        spec,
        new WorkloadQueries(
            signals,
            Optional.empty(),
            Optional.of(replicas.get().current()),
            Optional.of(replicas.get().ready())),
        Optional.empty());
  }
}
