package dev.foresight.controller.loop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.foresight.controller.audit.AuditMetrics;
import dev.foresight.controller.audit.DecisionAudit;
import dev.foresight.controller.audit.DecisionHistory;
import dev.foresight.controller.audit.DecisionJson;
import dev.foresight.controller.audit.ErrorType;
import dev.foresight.controller.metrics.FakeMetricsSource;
import dev.foresight.controller.metrics.MetricsReading;
import dev.foresight.controller.metrics.SignalQuery;
import dev.foresight.controller.metrics.SignalRead;
import dev.foresight.controller.metrics.WorkloadQueries;
import dev.foresight.controller.prometheus.PrometheusException;
import dev.foresight.policy.Decision;
import dev.foresight.policy.InMemoryDecisionStore;
import dev.foresight.policy.Observation;
import dev.foresight.policy.PolicySpec;
import dev.foresight.policy.Reason;
import dev.foresight.policy.Signal;
import dev.foresight.policy.WorkloadRef;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DecisionLoopTest {

  private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
  private static final WorkloadRef A = WorkloadRef.deployment("llm", "a");
  private static final WorkloadRef B = WorkloadRef.deployment("llm", "b");
  private static final WorkloadRef SLOW = WorkloadRef.deployment("llm", "slow");
  private static final PolicySpec SPEC =
      PolicySpec.builder().target(Signal.QUEUE, 4).minReplicas(1).maxReplicas(20).build();
  private static final WorkloadQueries QUEUE =
      WorkloadQueries.of(Map.of(Signal.QUEUE, SignalQuery.of("sum(q)")));

  /** Scales on the queue alone; holds when the queue is not delivered. Records what it saw. */
  static final class QueueMaker implements DecisionMaker {
    final Map<WorkloadRef, Observation> seen = new ConcurrentHashMap<>();
    final List<WorkloadRef> forgotten = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public Decision decide(WorkloadRef w, PolicySpec spec, Observation o) {
      seen.put(w, o);
      int current = o.currentReplicas();
      Optional<Double> queue = o.signals().get(Signal.QUEUE).map(r -> r.value());
      int desired =
          queue.map(q -> (int) Math.ceil(q / spec.targets().get(Signal.QUEUE))).orElse(current);
      Reason reason =
          queue.isEmpty()
              ? Reason.HOLD_NO_USABLE_SIGNAL
              : desired > current
                  ? Reason.SCALE_UP
                  : desired < current ? Reason.SCALE_DOWN : Reason.STEADY;
      return new Decision(
          o.at(),
          current,
          o.readyReplicas(),
          desired,
          desired,
          List.of(),
          Optional.empty(),
          Optional.empty(),
          List.of(),
          Optional.empty(),
          reason,
          "test",
          true);
    }

    @Override
    public void forget(WorkloadRef w) {
      forgotten.add(w);
    }
  }

  private final FakeMetricsSource source = new FakeMetricsSource();
  private final QueueMaker maker = new QueueMaker();
  private final InMemoryDecisionStore store = new InMemoryDecisionStore();
  private final DecisionAudit audit =
      new DecisionAudit(
          new AuditMetrics(new PrometheusRegistry()),
          new DecisionHistory(5),
          new DecisionJson(new ObjectMapper()));
  private final ExecutorService workers = Executors.newFixedThreadPool(4);
  private Instant now = T0;
  private final InstantSource clock = () -> now;
  // Generous: the loop must not time out healthy workloads on a loaded build machine.
  private DecisionLoop loop = loop(Duration.ofSeconds(10));

  private DecisionLoop loop(Duration evaluationTimeout) {
    return new DecisionLoop(clock, source, maker, store, audit, evaluationTimeout, workers);
  }

  @AfterEach
  void stop() {
    workers.shutdownNow();
  }

  private static GovernedWorkload fixed(WorkloadRef w, int current) {
    return new GovernedWorkload(
        w, SPEC, QUEUE, Optional.of(new GovernedWorkload.Replicas(current, current)));
  }

  private Decision latest(WorkloadRef w) {
    return store.latest(w).orElseThrow().decision();
  }

  @Test
  void everyWorkloadIsDecidedAtTheClocksInstant() {
    loop.govern(List.of(fixed(A, 2), fixed(B, 5)));
    source.set(A, Map.of(Signal.QUEUE, 37.0)).set(B, Map.of(Signal.QUEUE, 8.0));
    loop.tick();
    assertThat(latest(A).desiredReplicas()).isEqualTo(10);
    assertThat(latest(A).at()).isEqualTo(T0);
    assertThat(latest(B).desiredReplicas()).isEqualTo(2);
    now = T0.plusSeconds(5);
    loop.tick();
    assertThat(latest(A).at()).isEqualTo(T0.plusSeconds(5));
    assertThat(store.latest(A).orElseThrow().spec()).isEqualTo(SPEC);
  }

  @Test
  void slowWorkloadTimesOutAndHoldsWithoutDelayingTheOthers() {
    loop = loop(Duration.ofSeconds(3));
    loop.govern(List.of(fixed(A, 2), fixed(SLOW, 6), fixed(B, 5)));
    source.set(A, Map.of(Signal.QUEUE, 37.0)).set(B, Map.of(Signal.QUEUE, 8.0));
    // Far longer than the timeout; the cancelled read is interrupted when the tick gives up.
    source.set(SLOW, Map.of(Signal.QUEUE, 0.0)).delay(SLOW, Duration.ofMinutes(5));
    loop.tick();
    assertThat(latest(A).desiredReplicas()).isEqualTo(10);
    assertThat(latest(B).desiredReplicas()).isEqualTo(2);
    Decision slow = latest(SLOW);
    assertThat(slow.reason()).isEqualTo(Reason.HOLD_NO_USABLE_SIGNAL);
    assertThat(slow.desiredReplicas()).isEqualTo(6); // never scaled down on missing data
    assertThat(maker.seen.get(SLOW).signals().asMap()).isEmpty();
    assertThat(audit.errors(SLOW, ErrorType.EVALUATION_TIMEOUT)).isEqualTo(1);
    assertThat(audit.errors(A, ErrorType.EVALUATION_TIMEOUT)).isZero();
  }

  @Test
  void failingWorkloadHoldsAndCountsTheFailure() {
    loop.govern(List.of(fixed(A, 3), fixed(B, 5)));
    source.fail(A, new IllegalStateException("bug")).set(B, Map.of(Signal.QUEUE, 8.0));
    loop.tick();
    assertThat(latest(A).reason()).isEqualTo(Reason.HOLD_NO_USABLE_SIGNAL);
    assertThat(latest(A).desiredReplicas()).isEqualTo(3);
    assertThat(latest(B).desiredReplicas()).isEqualTo(2);
    assertThat(audit.errors(A, ErrorType.EVALUATION_FAILED)).isEqualTo(1);
  }

  @Test
  void queryFailuresAreCountedByKind() {
    loop.govern(List.of(fixed(A, 3)));
    source.set(
        A,
        new MetricsReading(
            List.of(
                new SignalRead(
                    Signal.QUEUE,
                    SignalRead.Outcome.FAILED,
                    Double.NaN,
                    Duration.ZERO,
                    Optional.of(PrometheusException.Kind.UNREACHABLE),
                    "refused")),
            List.of(),
            Optional.of(PrometheusException.Kind.TIMEOUT),
            OptionalInt.empty(),
            OptionalInt.empty()));
    loop.tick();
    assertThat(audit.errors(A, ErrorType.PROMETHEUS_UNREACHABLE)).isEqualTo(1);
    assertThat(audit.errors(A, ErrorType.PROMETHEUS_TIMEOUT)).isEqualTo(1);
    assertThat(latest(A).reason()).isEqualTo(Reason.HOLD_NO_USABLE_SIGNAL);
  }

  @Test
  void replicasFromPrometheusAndUnknownReplicasMakeNoDecision() {
    WorkloadQueries withReplicas =
        new WorkloadQueries(
            QUEUE.signals(), Optional.empty(), Optional.of("cur"), Optional.of("ready"));
    loop.govern(List.of(new GovernedWorkload(A, SPEC, withReplicas, Optional.empty())));
    source.set(
        A,
        new MetricsReading(
            List.of(
                new SignalRead(
                    Signal.QUEUE, SignalRead.Outcome.OK, 8, Duration.ZERO, Optional.empty(), "")),
            List.of(),
            Optional.empty(),
            OptionalInt.empty(),
            OptionalInt.empty()));
    loop.tick();
    assertThat(store.latest(A)).isEmpty();
    assertThat(audit.errors(A, ErrorType.REPLICAS_UNKNOWN)).isEqualTo(1);

    source.set(
        A,
        new MetricsReading(
            List.of(
                new SignalRead(
                    Signal.QUEUE, SignalRead.Outcome.OK, 8, Duration.ZERO, Optional.empty(), "")),
            List.of(),
            Optional.empty(),
            OptionalInt.of(4),
            OptionalInt.of(3)));
    loop.tick();
    assertThat(latest(A).currentReplicas()).isEqualTo(4);
    assertThat(latest(A).readyReplicas()).isEqualTo(3);
  }

  @Test
  void replicasTheClusterStopsAnsweringHoldTheLastKnownCountAndAreCounted() {
    java.util.concurrent.atomic.AtomicReference<Optional<GovernedWorkload.Replicas>> cluster =
        new java.util.concurrent.atomic.AtomicReference<>(Optional.empty());
    loop.govern(
        List.of(new GovernedWorkload(A, SPEC, QUEUE, Optional.empty(), Optional.of(cluster::get))));
    source.set(A, Map.of(Signal.QUEUE, 4.0)); // one replica's worth: a scale-down from 5
    loop.tick();
    assertThat(store.latest(A)).as("never read: no decision").isEmpty();
    assertThat(audit.errors(A, ErrorType.REPLICAS_UNKNOWN)).isEqualTo(1);
    assertThat(audit.errors(A, ErrorType.REPLICAS_UNREADABLE)).isZero();

    cluster.set(Optional.of(new GovernedWorkload.Replicas(5, 5)));
    source.set(A, Map.of(Signal.QUEUE, 20.0));
    loop.tick();
    assertThat(latest(A).reason()).isEqualTo(Reason.STEADY);

    cluster.set(Optional.empty());
    source.set(A, Map.of(Signal.QUEUE, 4.0));
    now = T0.plusSeconds(1);
    loop.tick();
    Decision held = latest(A);
    assertThat(held.at()).isEqualTo(T0.plusSeconds(1));
    assertThat(held.currentReplicas()).isEqualTo(5);
    assertThat(held.desiredReplicas()).as("no scale-down on a stale count").isEqualTo(5);
    assertThat(held.reason()).isEqualTo(Reason.HOLD_NO_USABLE_SIGNAL);
    assertThat(audit.errors(A, ErrorType.REPLICAS_UNREADABLE)).isEqualTo(1);

    cluster.set(Optional.of(new GovernedWorkload.Replicas(5, 5)));
    now = T0.plusSeconds(2);
    loop.tick();
    assertThat(latest(A).reason())
        .as("decides again once the cluster answers")
        .isEqualTo(Reason.SCALE_DOWN);
    assertThat(audit.errors(A, ErrorType.REPLICAS_UNREADABLE)).isEqualTo(1);
  }

  @Test
  void removedWorkloadsAreForgottenEverywhere() {
    loop.govern(List.of(fixed(A, 2), fixed(B, 5)));
    source.set(A, Map.of(Signal.QUEUE, 4.0)).set(B, Map.of(Signal.QUEUE, 4.0));
    loop.tick();
    loop.govern(List.of(fixed(B, 5)));
    assertThat(store.workloads()).containsExactly(B);
    assertThat(store.latest(A)).isEmpty();
    assertThat(maker.forgotten).containsExactly(A);
    loop.tick();
    assertThat(source.calls(A)).isEqualTo(1);
    assertThat(source.calls(B)).isEqualTo(2);
  }
}
