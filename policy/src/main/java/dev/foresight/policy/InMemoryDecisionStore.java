package dev.foresight.policy;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A {@link DecisionStore} held in memory: the controller's store, and the fake that the servers'
 * tests write to. Reads are lock-free map lookups.
 */
public final class InMemoryDecisionStore implements DecisionStore {

  private final ConcurrentHashMap<WorkloadRef, StoredDecision> latest = new ConcurrentHashMap<>();
  private final Set<WorkloadRef> known = ConcurrentHashMap.newKeySet();
  private final List<Consumer<StoredDecision>> listeners = new CopyOnWriteArrayList<>();

  /** Makes {@code workload} known before its first decision. */
  public void register(WorkloadRef workload) {
    known.add(Objects.requireNonNull(workload, "workload"));
  }

  /** Forgets {@code workload} and its decision (its policy was deleted). */
  public void remove(WorkloadRef workload) {
    known.remove(workload);
    latest.remove(workload);
  }

  /** Stores {@code decision} as the latest for its workload and tells every listener. */
  public void put(StoredDecision decision) {
    known.add(decision.workload());
    latest.put(decision.workload(), decision);
    for (Consumer<StoredDecision> listener : listeners) {
      listener.accept(decision);
    }
  }

  @Override
  public Optional<StoredDecision> latest(WorkloadRef workload) {
    return Optional.ofNullable(latest.get(workload));
  }

  @Override
  public Collection<WorkloadRef> workloads() {
    return List.copyOf(known);
  }

  @Override
  public AutoCloseable subscribe(Consumer<StoredDecision> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return () -> listeners.remove(listener);
  }
}
