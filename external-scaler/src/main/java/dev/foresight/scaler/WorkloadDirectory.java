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
 * found on its first request. Every new decision updates the entry of its policy, so a policy that
 * is pointed at another target is followed as soon as it is decided for.
 */
final class WorkloadDirectory implements AutoCloseable {

  private record Key(String namespace, String policy) {}

  private final DecisionStore store;
  private final Map<Key, WorkloadRef> index = new ConcurrentHashMap<>();

  private final AutoCloseable subscription;

  WorkloadDirectory(DecisionStore store) {
    this.store = store;
    this.subscription = store.subscribe(d -> learn(d.workload()));
  }

  private void learn(WorkloadRef workload) {
    index.put(new Key(workload.namespace(), workload.policy()), workload);
  }

  /** The workload governed by {@code policy} in {@code namespace}, if the store knows it. */
  Optional<WorkloadRef> find(String namespace, String policy) {
    Key key = new Key(namespace, policy);
    WorkloadRef hit = index.get(key);
    if (hit != null) {
      return Optional.of(hit);
    }
    store.workloads().forEach(this::learn);
    return Optional.ofNullable(index.get(key));
  }

  @Override
  public void close() throws Exception {
    subscription.close();
  }
}
