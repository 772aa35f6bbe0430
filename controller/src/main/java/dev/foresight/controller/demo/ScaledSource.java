package dev.foresight.controller.demo;

import dev.foresight.controller.metrics.MetricsReading;
import dev.foresight.controller.metrics.MetricsSource;
import dev.foresight.controller.metrics.SignalRead;
import dev.foresight.controller.metrics.WorkloadQueries;
import dev.foresight.policy.WorkloadRef;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * Puts a Prometheus-backed {@link MetricsSource} into simulated time: the loop asks at a virtual
 * instant, Prometheus is asked at the matching wall-clock instant with the staleness limit shrunk
 * by the speed-up, and each reading's age is stretched back to simulated seconds. The replica
 * counts come from the fleet itself (its Deployment's {@code spec.replicas} and Ready count), as a
 * standalone controller reads them from kube-state-metrics, but without the scrape's lag.
 */
final class ScaledSource implements MetricsSource {
  private final MetricsSource prometheus;
  private final VirtualClock clock;
  private final Function<WorkloadRef, DemoFleet> fleets;

  ScaledSource(
      MetricsSource prometheus, VirtualClock clock, Function<WorkloadRef, DemoFleet> fleets) {
    this.prometheus = prometheus;
    this.clock = clock;
    this.fleets = fleets;
  }

  @Override
  public MetricsReading read(
      WorkloadRef workload, WorkloadQueries queries, Instant at, Duration maxAge) {
    MetricsReading r = prometheus.read(workload, queries, clock.wallAt(at), clock.toWall(maxAge));
    List<SignalRead> reads =
        r.reads().stream()
            .map(
                s ->
                    new SignalRead(
                        s.signal(),
                        s.outcome(),
                        s.value(),
                        clock.toSimulated(s.age()),
                        s.error(),
                        s.detail()))
            .toList();
    DemoFleet fleet = fleets.apply(workload);
    if (fleet == null) {
      return new MetricsReading(
          reads, r.gpus(), r.gpuError(), r.currentReplicas(), r.readyReplicas());
    }
    var snap = fleet.fleet().snapshot();
    return new MetricsReading(
        reads,
        r.gpus(),
        r.gpuError(),
        OptionalInt.of(snap.desired()),
        OptionalInt.of(snap.ready()));
  }
}
