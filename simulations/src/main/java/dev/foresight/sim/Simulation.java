package dev.foresight.sim;

import dev.foresight.policy.Observation;
import dev.foresight.policy.Reason;
import dev.foresight.sim.policy.ScalingPolicy;
import dev.foresight.sim.trace.ArrivalStream;
import dev.foresight.sim.trace.TraceSource;
import java.util.List;
import java.util.function.DoubleConsumer;
import org.apache.commons.math3.random.Well19937c;

/**
 * Replays one trace against one policy. A discrete-event loop over five kinds of events, taken in
 * time order (ties in this order, so that a run is a pure function of its inputs and seed): engine
 * completions, lifecycle timers (node Ready, replica Ready, node idle), arrivals, scrapes and
 * policy evaluations. The loop ends when the trace is exhausted and every request has finished (or
 * a day after the trace's end, counting what is left as SLO misses).
 */
public final class Simulation {
  private final SimulationConfig config;

  public Simulation(SimulationConfig config) {
    this.config = config;
  }

  /** The outcome of a run: its summary and its per-minute series. */
  public record Result(RunSummary summary, RunSeries series) {}

  /**
   * Runs {@code policy} on {@code trace}.
   *
   * @param progress receives the fraction of the trace's span simulated so far (0-1), now and then
   */
  public Result run(
      TraceSource trace, String policyName, ScalingPolicy policy, DoubleConsumer progress) {
    RunRecorder recorder = new RunRecorder(Fleet.seconds(config.ttftSlo()));
    Fleet fleet = new Fleet(config, new Well19937c(config.seed() ^ 0x5eed5eedL), recorder);
    MetricsSampler sampler = new MetricsSampler(config);
    double scrapeEvery = Fleet.seconds(config.scrapeInterval());
    double policyEvery = policy.interval().toNanos() / 1e9;
    if (!(policyEvery > 0)) {
      throw new IllegalArgumentException(policyName + ": evaluation interval must be positive");
    }
    double duration = trace.durationSeconds();
    double hardStop = duration + 86_400;
    double nextScrape = 0;
    double nextPolicy = policyEvery;
    int scaleEvents = 0;
    int peak = fleet.desiredReplicas();
    // Node supply is read as Foresight's controller reads it from Karpenter, and only by policies
    // that read it: HPA and KEDA never see NodeClaims or NodePool limits.
    KarpenterView karpenter = policy.observesNodeSupply() ? new KarpenterView() : null;
    int capped = 0;
    int held = 0;
    long events = 0;
    double t = 0;
    try (ArrivalStream arrivals = trace.open(config.seed())) {
      Request next = arrivals.next();
      while (true) {
        if (next == null && fleet.idle()) {
          break;
        }
        double tEngine = fleet.nextEngineEvent();
        double tTimer = fleet.nextTimer();
        double tArrival = next == null ? Double.POSITIVE_INFINITY : next.arrivalSeconds();
        double tMin =
            Math.min(
                Math.min(tEngine, tTimer), Math.min(tArrival, Math.min(nextScrape, nextPolicy)));
        if (tMin > hardStop) {
          break;
        }
        t = tMin;
        if (tEngine == tMin) {
          fleet.fireEngine(t);
        } else if (tTimer == tMin) {
          fleet.fireTimer(t);
        } else if (tArrival == tMin) {
          fleet.arrive(next, t);
          next = arrivals.next();
        } else if (nextScrape == tMin) {
          fleet.advanceAll(t);
          sampler.scrape(t, fleet, recorder);
          recorder.fleet(
              t, fleet.desiredReplicas(), fleet.readyReplicas(), fleet.unbackedPending());
          nextScrape += scrapeEvery;
        } else {
          Observation o = sampler.observe(t, fleet);
          if (karpenter != null) {
            KarpenterView.Look look = karpenter.look(fleet, t);
            o = o.withSupply(look.supply()).withStartups(List.of(), look.nodeProvisionings());
          }
          int desired = Math.max(0, Math.min(config.maxReplicas(), policy.evaluate(o)));
          Reason reason = policy.lastReason().orElse(null);
          if (reason == Reason.NODE_SUPPLY_CAPPED) {
            capped++;
          } else if (reason == Reason.HOLD_NODE_SUPPLY_IN_FLIGHT) {
            held++;
          }
          if (desired != o.currentReplicas()) {
            scaleEvents++;
            fleet.scaleTo(desired, t);
            peak = Math.max(peak, desired);
          }
          nextPolicy += policyEvery;
        }
        if ((++events & 0xFFFFF) == 0 && progress != null) {
          progress.accept(Math.min(1, t / duration));
        }
      }
    }
    if (progress != null) {
      progress.accept(1);
    }
    RunSummary summary =
        recorder.summary(
            trace.name(),
            policyName,
            fleet.gpuSeconds(t),
            fleet.nodeSeconds(t),
            scaleEvents,
            peak,
            new SupplyTally(
                fleet.peakUnbacked(),
                fleet.unbackedPodSeconds(t),
                fleet.nodesProvisioned(),
                capped,
                capped * policyEvery,
                held),
            t,
            config.underProvisionedAttainment());
    return new Result(summary, recorder.series());
  }
}
