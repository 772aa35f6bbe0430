package dev.foresight.policy;

import java.util.Collection;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Read-only view of the latest decision per workload. The controller writes decisions; the KEDA
 * scaler and the external metrics API read them from memory through this port, so that no request
 * ever waits on Prometheus or Kubernetes.
 *
 * <p>Implementations are thread-safe; reads never block on writers.
 */
public interface DecisionStore {

  /** The latest decision for {@code workload}, or empty when none has been made yet. */
  Optional<StoredDecision> latest(WorkloadRef workload);

  /** Every workload the store knows, with or without a decision. */
  Collection<WorkloadRef> workloads();

  /**
   * Calls {@code listener} with the workload after each new decision for it. The listener runs on
   * the writer's thread and must not block.
   *
   * @return a handle that removes the listener when closed
   */
  AutoCloseable subscribe(Consumer<StoredDecision> listener);
}
