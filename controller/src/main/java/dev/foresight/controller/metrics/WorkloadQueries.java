package dev.foresight.controller.metrics;

import dev.foresight.policy.Signal;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the controller asks Prometheus about one workload.
 *
 * @param signals one query per signal the policy uses
 * @param gpus DCGM queries, when GPU guard-rails read DCGM
 * @param currentReplicas a query yielding the replica count desired on the target, when replicas
 *     come from Prometheus (for example kube-state-metrics' {@code kube_deployment_spec_replicas})
 * @param readyReplicas a query yielding the Ready replicas
 */
public record WorkloadQueries(
    Map<Signal, SignalQuery> signals,
    Optional<GpuQueries> gpus,
    Optional<String> currentReplicas,
    Optional<String> readyReplicas) {

  public WorkloadQueries {
    EnumMap<Signal, SignalQuery> copy = new EnumMap<>(Signal.class);
    copy.putAll(signals);
    signals = Collections.unmodifiableMap(copy);
    Objects.requireNonNull(gpus, "gpus");
    Objects.requireNonNull(currentReplicas, "currentReplicas");
    Objects.requireNonNull(readyReplicas, "readyReplicas");
  }

  public static WorkloadQueries of(Map<Signal, SignalQuery> signals) {
    return new WorkloadQueries(signals, Optional.empty(), Optional.empty(), Optional.empty());
  }
}
