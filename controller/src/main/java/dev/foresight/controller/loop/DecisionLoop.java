package dev.foresight.controller.loop;

import dev.foresight.controller.audit.AuditRecord;
import dev.foresight.controller.audit.DecisionAudit;
import dev.foresight.controller.audit.ErrorType;
import dev.foresight.controller.metrics.MetricsReading;
import dev.foresight.controller.metrics.MetricsSource;
import dev.foresight.controller.metrics.SignalRead;
import dev.foresight.controller.metrics.TickReads;
import dev.foresight.controller.metrics.WorkloadQueries;
import dev.foresight.policy.Decision;
import dev.foresight.policy.InMemoryDecisionStore;
import dev.foresight.policy.Observation;
import dev.foresight.policy.Signal;
import dev.foresight.policy.Signals;
import dev.foresight.policy.StoredDecision;
import dev.foresight.policy.WorkloadRef;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates every governed workload once per tick, each in its own task with a timeout, so that a
 * slow or failing Prometheus query delays only its own workload.
 *
 * <p>Per workload and tick: read the signals at the tick's instant (from the {@link InstantSource},
 * never the wall clock directly), build the {@link Observation}, ask the {@link DecisionMaker},
 * store the decision in the {@link InMemoryDecisionStore} the servers read, and audit it. When the
 * evaluation times out or throws, the workload is decided on an observation with no signals, so the
 * policy holds the count (it never scales down on missing data), and the error is counted by type.
 * When the current replica count is unknown (never read), no decision is made and that is counted.
 * When the cluster fails to answer for a count it answered before, the count holds at the last
 * known one, again on no signals, and that is counted as {@link ErrorType#REPLICAS_UNREADABLE}.
 */
public final class DecisionLoop implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DecisionLoop.class);

  private final InstantSource clock;
  private final MetricsSource source;
  private final DecisionMaker maker;
  private final InMemoryDecisionStore store;
  private final DecisionAudit audit;
  private final Duration evaluationTimeout;
  private final ExecutorService workers;
  private final Map<WorkloadRef, Slot> slots = new ConcurrentHashMap<>();
  private volatile List<GovernedWorkload> workloads = List.of();
  private volatile ObservationInputs inputs = ObservationInputs.NONE;
  private ScheduledFuture<?> schedule;

  /** Per-workload state the loop keeps: a lock serializing decisions, the last known replicas. */
  private static final class Slot {
    volatile GovernedWorkload.Replicas lastReplicas;
  }

  public DecisionLoop(
      InstantSource clock,
      MetricsSource source,
      DecisionMaker maker,
      InMemoryDecisionStore store,
      DecisionAudit audit,
      Duration evaluationTimeout,
      ExecutorService workers) {
    this.clock = clock;
    this.source = source;
    this.maker = maker;
    this.store = store;
    this.audit = audit;
    this.evaluationTimeout = evaluationTimeout;
    this.workers = workers;
  }

  /**
   * What to add to each observation besides Prometheus' signals (cluster mode: start-ups, supply).
   */
  public void observationInputs(ObservationInputs inputs) {
    this.inputs = java.util.Objects.requireNonNull(inputs, "inputs");
  }

  /** Replaces the governed workloads; workloads no longer present are forgotten everywhere. */
  public synchronized void govern(List<GovernedWorkload> next) {
    Map<WorkloadRef, GovernedWorkload> byRef = new LinkedHashMap<>();
    for (GovernedWorkload w : next) {
      byRef.put(w.ref(), w);
    }
    for (GovernedWorkload old : workloads) {
      if (!byRef.containsKey(old.ref())) {
        store.remove(old.ref());
        audit.remove(old.ref());
        maker.forget(old.ref());
        slots.remove(old.ref());
      }
    }
    for (GovernedWorkload w : byRef.values()) {
      store.register(w.ref());
      slots.computeIfAbsent(w.ref(), r -> new Slot());
    }
    workloads = List.copyOf(byRef.values());
  }

  /** Runs {@link #tick()} every {@code period} on {@code scheduler}, starting now. */
  public synchronized void start(ScheduledExecutorService scheduler, Duration period) {
    if (schedule != null) {
      throw new IllegalStateException("already started");
    }
    schedule =
        scheduler.scheduleAtFixedRate(
            () -> {
              try {
                tick();
              } catch (RuntimeException e) {
                LOG.error("loop tick failed", e); // keep the schedule alive
              }
            },
            0,
            period.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  /**
   * Evaluates every workload once, in parallel, and waits for all of them (or their timeout). The
   * queries many workloads share start first ({@link MetricsSource#startTick}); each workload's
   * evaluation starts once the shared queries it needs have answered.
   */
  public void tick() {
    long startNanos = System.nanoTime();
    Instant at = clock.instant();
    List<GovernedWorkload> current = workloads;
    List<WorkloadQueries> queries = new ArrayList<>(current.size());
    for (GovernedWorkload w : current) {
      queries.add(w.queries());
    }
    try (TickReads reads = source.startTick(queries, at)) {
      List<Task> tasks = new ArrayList<>(current.size());
      for (GovernedWorkload w : current) {
        Task t = new Task(w, at, reads);
        tasks.add(t);
        reads.ready(w.queries()).whenComplete((ignored, error) -> t.start());
      }
      long deadline = startNanos + evaluationTimeout.toNanos();
      for (Task t : tasks) {
        try {
          t.finished.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          t.cancel();
          t.abandon(
              ErrorType.EVALUATION_TIMEOUT, "evaluation timed out after " + evaluationTimeout);
        } catch (ExecutionException e) {
          LOG.warn("{}: evaluation failed", t.workload.ref(), e.getCause());
          t.abandon(ErrorType.EVALUATION_FAILED, "evaluation failed: " + e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    audit.loopDuration(Duration.ofNanos(System.nanoTime() - startNanos));
  }

  /** One workload's evaluation in one tick. */
  private final class Task {
    final GovernedWorkload workload;
    final Instant at;
    final Slot slot;
    final TickReads reads;
    final CompletableFuture<Void> finished = new CompletableFuture<>();
    private Future<?> future; // guarded by this
    private boolean cancelled; // guarded by this
    private boolean done; // guarded by slot

    Task(GovernedWorkload workload, Instant at, TickReads reads) {
      this.workload = workload;
      this.at = at;
      this.reads = reads;
      this.slot = slots.computeIfAbsent(workload.ref(), r -> new Slot());
    }

    /** Submits the evaluation, unless the tick already gave up on it. */
    synchronized void start() {
      if (cancelled) {
        return;
      }
      try {
        future =
            workers.submit(
                () -> {
                  try {
                    run();
                    finished.complete(null);
                  } catch (Throwable e) {
                    finished.completeExceptionally(e);
                  }
                });
      } catch (RejectedExecutionException e) {
        finished.completeExceptionally(e);
      }
    }

    /** Stops the evaluation: not started yet, it never starts; running, it is interrupted. */
    synchronized void cancel() {
      cancelled = true;
      if (future != null) {
        future.cancel(true);
      }
    }

    void run() {
      MetricsReading reading =
          reads.read(workload.ref(), workload.queries(), workload.spec().maxSignalAge());
      for (SignalRead r : reading.reads()) {
        if (r.outcome() == SignalRead.Outcome.FAILED) {
          r.error().ifPresent(kind -> audit.error(workload.ref(), ErrorType.of(kind)));
        } else if (r.outcome() == SignalRead.Outcome.AMBIGUOUS) {
          audit.error(workload.ref(), ErrorType.SIGNAL_AMBIGUOUS);
        }
      }
      reading.gpuError().ifPresent(kind -> audit.error(workload.ref(), ErrorType.of(kind)));
      Optional<GovernedWorkload.Replicas> replicas = workload.fixedReplicas();
      if (replicas.isEmpty() && workload.replicaReader().isPresent()) {
        replicas = workload.replicaReader().get().read();
        if (replicas.isEmpty() && slot.lastReplicas != null) {
          holdOnUnreadableReplicas();
          return;
        }
      } else if (replicas.isEmpty() && reading.currentReplicas().isPresent()) {
        int current = reading.currentReplicas().getAsInt();
        replicas =
            Optional.of(
                new GovernedWorkload.Replicas(
                    current, reading.readyReplicas().orElse(Math.min(current, lastReady()))));
      }
      decide(replicas, reading.signals(), reading, reading.reads());
    }

    private int lastReady() {
      GovernedWorkload.Replicas last = slot.lastReplicas;
      return last == null ? Integer.MAX_VALUE : last.ready();
    }

    /** Decides on no signals after a timeout or failure, unless the task already decided. */
    void abandon(ErrorType error, String why) {
      audit.error(workload.ref(), error);
      decide(workload.fixedReplicas(), Signals.none(), null, unused(why));
    }

    /**
     * The cluster did not answer for the replica count this tick: holds at the last known count
     * instead of deciding fresh signals against it. A count that may be stale could turn into a
     * scale-down of replicas that are no longer there (or were just added), and nothing would act
     * on a new count anyway while the API server it has to go through is failing.
     */
    private void holdOnUnreadableReplicas() {
      audit.error(workload.ref(), ErrorType.REPLICAS_UNREADABLE);
      GovernedWorkload.Replicas last = slot.lastReplicas;
      decide(
          Optional.empty(),
          Signals.none(),
          null,
          unused(
              "replica count unreadable from the cluster; held at the last known "
                  + last.current()));
    }

    /** Every signal of the workload as not used, with why. */
    private List<SignalRead> unused(String why) {
      List<SignalRead> reads = new ArrayList<>();
      for (Signal s : workload.queries().signals().keySet()) {
        reads.add(
            new SignalRead(
                s, SignalRead.Outcome.FAILED, Double.NaN, Duration.ZERO, Optional.empty(), why));
      }
      return reads;
    }

    private void decide(
        Optional<GovernedWorkload.Replicas> replicas,
        Signals signals,
        MetricsReading reading,
        List<SignalRead> reads) {
      synchronized (slot) {
        if (done) {
          return;
        }
        done = true;
        GovernedWorkload.Replicas r = replicas.orElse(slot.lastReplicas);
        if (r == null) {
          audit.error(workload.ref(), ErrorType.REPLICAS_UNKNOWN);
          return;
        }
        slot.lastReplicas = r;
        Observation observation =
            inputs.complete(
                workload.ref(),
                new Observation(
                    at,
                    r.current(),
                    r.ready(),
                    signals,
                    reading == null ? List.of() : reading.gpus()));
        Decision decision = maker.decide(workload.ref(), workload.spec(), observation);
        store.put(new StoredDecision(workload.ref(), decision, workload.spec()));
        audit.record(new AuditRecord(workload.ref(), observation, decision, reads));
      }
    }
  }

  @Override
  public synchronized void close() {
    if (schedule != null) {
      schedule.cancel(false);
    }
  }
}
