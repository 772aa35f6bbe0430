package dev.foresight.scaler;

import dev.foresight.policy.DecisionStore;
import dev.foresight.policy.WorkloadRef;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the workload a policy reference ({@code namespace} + policy name) points at, from the
 * decision store's known workloads. Hits are a map lookup; a miss rescans the store once (the store
 * lists every workload, with or without a decision), so a workload registered after start-up is
 * found on its first request.
 */
final class WorkloadDirectory {

  private record Key(String namespace, String policy) {}

  private final DecisionStore store;
  private final Map<Key, WorkloadRef> index = new ConcurrentHashMap<>();

  WorkloadDirectory(DecisionStore store) {
    this.store = store;
  }

  /** The workload governed by {@code policy} in {@code namespace}, if the store knows it. */
  Optional<WorkloadRef> find(String namespace, String policy) {
    Key key = new Key(namespace, policy);
    WorkloadRef hit = index.get(key);
    if (hit != null) {
      return Optional.of(hit);
    }
    for (WorkloadRef workload : store.workloads()) {
      index.put(new Key(workload.namespace(), workload.policy()), workload);
    }
    return Optional.ofNullable(index.get(key));
  }

  /** Forgets the cached entry for {@code workload}, so that the next lookup rescans. */
  void forget(WorkloadRef workload) {
    index.remove(new Key(workload.namespace(), workload.policy()), workload);
  }
}
