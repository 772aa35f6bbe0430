package dev.foresight.controller.audit;

import dev.foresight.policy.WorkloadRef;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The most recent audit records per workload, newest first, for the {@code /decisions} endpoint.
 */
public final class DecisionHistory {

  private final int capacity;
  private final Map<WorkloadRef, Deque<AuditRecord>> byWorkload = new ConcurrentHashMap<>();

  /** Keeps at most {@code capacity} records per workload. */
  public DecisionHistory(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    this.capacity = capacity;
  }

  /** Adds {@code r} and returns the record it follows, if any. */
  public Optional<AuditRecord> add(AuditRecord r) {
    Deque<AuditRecord> q = byWorkload.computeIfAbsent(r.workload(), w -> new ArrayDeque<>());
    synchronized (q) {
      Optional<AuditRecord> previous = Optional.ofNullable(q.peekFirst());
      q.addFirst(r);
      while (q.size() > capacity) {
        q.removeLast();
      }
      return previous;
    }
  }

  /** The records of {@code workload}, newest first. */
  public List<AuditRecord> of(WorkloadRef workload) {
    Deque<AuditRecord> q = byWorkload.get(workload);
    if (q == null) {
      return List.of();
    }
    synchronized (q) {
      return List.copyOf(q);
    }
  }

  /** Every workload with records, by namespace then policy. */
  public List<WorkloadRef> workloads() {
    List<WorkloadRef> w = new ArrayList<>(byWorkload.keySet());
    w.sort(Comparator.comparing(WorkloadRef::namespace).thenComparing(WorkloadRef::policy));
    return w;
  }

  /** Forgets {@code workload}. */
  public void remove(WorkloadRef workload) {
    byWorkload.remove(workload);
  }
}
