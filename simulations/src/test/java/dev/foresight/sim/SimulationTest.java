package dev.foresight.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.policy.Observation;
import dev.foresight.sim.policy.PolicyEnvironment;
import dev.foresight.sim.policy.PolicyRegistry;
import dev.foresight.sim.policy.ScalingPolicy;
import dev.foresight.sim.trace.ArrivalStream;
import dev.foresight.sim.trace.SyntheticTrace;
import dev.foresight.sim.trace.TraceSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SimulationTest {
  private static final SimulationConfig CONFIG = SimulationConfig.defaults();

  /**
   * A short, bursty synthetic trace: 12 minutes at 5 req/s with a minute at 60 req/s starting at
   * minute 8, later than the longest cold start (324 s), so that a clairvoyant policy can be ready.
   */
  static final TraceSource BURST =
      new SyntheticTrace("burst", 720, 60, t -> t >= 480 && t < 540 ? 60 : 5);

  private static Simulation.Result run(String policy, long seed) {
    SimulationConfig c = CONFIG.withSeed(seed);
    ScalingPolicy p = PolicyRegistry.standard().create(policy, new PolicyEnvironment(c, BURST));
    return new Simulation(c).run(BURST, policy, p, null);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"hpa-gpu", "keda-queue", "foresight-reactive", "foresight", "oracle"})
  void sameSeedGivesIdenticalResults(String policy) {
    Simulation.Result a = run(policy, 11);
    Simulation.Result b = run(policy, 11);
    assertThat(a.summary()).isEqualTo(b.summary());
    assertThat(a.series().desiredReplicas()).isEqualTo(b.series().desiredReplicas());
    assertThat(a.series().ttftP95Seconds()).isEqualTo(b.series().ttftP95Seconds());
    Simulation.Result other = run(policy, 12);
    assertThat(other.summary()).isNotEqualTo(a.summary());
  }

  /** A trace of the given requests. */
  static TraceSource listed(double duration, Request... requests) {
    return new TraceSource() {
      @Override
      public String name() {
        return "listed";
      }

      @Override
      public double durationSeconds() {
        return duration;
      }

      @Override
      public ArrivalStream open(long seed) {
        Iterator<Request> it =
            List.of(requests).stream()
                .map(r -> new Request(r.arrivalSeconds(), r.promptTokens(), r.outputTokens()))
                .iterator();
        return () -> it.hasNext() ? it.next() : null;
      }
    };
  }

  /** Holds the count and keeps every observation. */
  static final class Recording implements ScalingPolicy {
    final List<Observation> seen = new ArrayList<>();

    @Override
    public Duration interval() {
      return Duration.ofSeconds(15);
    }

    @Override
    public int evaluate(Observation o) {
      seen.add(o);
      return o.currentReplicas();
    }
  }

  @Test
  void aHeldFleetServesEveryRequestAndAccountsGpuTime() {
    SimulationConfig c = CONFIG.withReplicas(2, 1, 10);
    TraceSource trace = listed(60, new Request(1, 1000, 11), new Request(2, 1000, 11));
    Simulation.Result r = new Simulation(c).run(trace, "hold", new Recording(), null);
    RunSummary s = r.summary();
    assertThat(s.requests()).isEqualTo(2);
    assertThat(s.sloAttainment()).isEqualTo(1.0);
    // Each lands on an idle replica: TTFT = 1000 x 292.72 ms / 8192 = 35.7 ms.
    assertThat(s.ttftP50Seconds()).isBetween(0.035, 0.037);
    // Two replicas from 0 until the last request finished.
    assertThat(s.gpuHours() * 3600).isBetween(2 * 2.09, 2 * 2.11);
    assertThat(s.scaleEvents()).isZero();
  }

  @Test
  void policiesSeeScrapesOneDelayLateWithTheirAge() {
    Recording policy = new Recording();
    TraceSource trace = listed(100, new Request(0, 100, 100), new Request(90, 100, 100));
    new Simulation(CONFIG).run(trace, "hold", policy, null);
    Observation first = policy.seen.get(0); // t = 15: the scrape of t = 0 was delivered at 15
    assertThat(first.at().getEpochSecond()).isEqualTo(15);
    assertThat(first.signals().asMap()).isNotEmpty();
    assertThat(first.signals().get(dev.foresight.policy.Signal.QUEUE).orElseThrow().age())
        .isEqualTo(Duration.ofSeconds(15));
    assertThat(first.gpus()).hasSize(CONFIG.initialReplicas());
  }

  @Test
  void kedasDefaultMinZeroScalesASteadyLoadToZeroWhenNothingWaits() {
    SimulationConfig c = CONFIG.withSeed(1);
    TraceSource steady = new SyntheticTrace("steady", 1800, 2, t -> 2);
    ScalingPolicy zero =
        PolicyRegistry.standard()
            .create(
                dev.foresight.sim.policy.KedaQueuePolicy.NAME_SCALE_TO_ZERO,
                new PolicyEnvironment(c, steady));
    Simulation.Result r = new Simulation(c).run(steady, "keda-queue-zero", zero, null);
    // Two requests a second never queue on two replicas: the trigger is inactive, and after the
    // 300 s cooldown the workload goes to zero while requests keep arriving.
    assertThat(r.series().desiredReplicas()).contains(0);
    assertThat(r.summary().sloAttainment()).isLessThan(0.99);
    Simulation.Result one =
        new Simulation(c)
            .run(
                steady,
                "keda-queue",
                PolicyRegistry.standard().create("keda-queue", new PolicyEnvironment(c, steady)),
                null);
    assertThat(one.series().desiredReplicas()).doesNotContain(0);
    assertThat(one.summary().sloAttainment()).isEqualTo(1.0);
  }

  @Test
  void theOracleMeetsTheSloAtLowerCostThanGpuUtilization() {
    RunSummary oracle = run("oracle", 1).summary();
    RunSummary hpa = run("hpa-gpu", 1).summary();
    assertThat(oracle.sloAttainment()).isGreaterThan(0.99);
    assertThat(oracle.gpuHours()).isLessThan(hpa.gpuHours());
  }
}
