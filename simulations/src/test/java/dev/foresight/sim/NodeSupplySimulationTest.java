package dev.foresight.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.policy.Decision;
import dev.foresight.policy.Observation;
import dev.foresight.policy.Reading;
import dev.foresight.policy.Reason;
import dev.foresight.policy.Signal;
import dev.foresight.policy.Signals;
import dev.foresight.sim.policy.ForesightPolicy;
import dev.foresight.sim.policy.PolicyEnvironment;
import dev.foresight.sim.policy.PolicyRegistry;
import dev.foresight.sim.policy.ScalingPolicy;
import dev.foresight.sim.trace.TraceSource;
import dev.foresight.sim.trace.Traces;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Where the NodePool's GPU limit binds, Foresight reads node supply and caps at what the pool can
 * back; HPA and KEDA, which do not read it, leave Pending pods no node can back.
 */
class NodeSupplySimulationTest {
  private static final TraceSource AZURE_CODE = Traces.resolve("azure-code", null, 20);

  private static SimulationConfig limited(long seed, int gpuLimit) {
    SimulationConfig d = SimulationConfig.defaults().withSeed(seed);
    return d.withCluster(d.podStartup(), d.podStartupJitter(), d.nodeProvisioning(), gpuLimit);
  }

  private static RunSummary run(SimulationConfig config, String policy) {
    return run(config, policy, false);
  }

  /** Runs {@code policy}; with {@code blind} it is not fed node supply, as if not observed. */
  private static RunSummary run(SimulationConfig config, String policy, boolean blind) {
    ScalingPolicy p =
        PolicyRegistry.standard().create(policy, new PolicyEnvironment(config, AZURE_CODE));
    ScalingPolicy used = blind ? withoutSupply(p) : p;
    return new Simulation(config).run(AZURE_CODE, policy, used, null).summary();
  }

  private static ScalingPolicy withoutSupply(ScalingPolicy p) {
    return new ScalingPolicy() {
      @Override
      public Duration interval() {
        return p.interval();
      }

      @Override
      public int evaluate(Observation observation) {
        return p.evaluate(observation);
      }

      @Override
      public Optional<Reason> lastReason() {
        return p.lastReason();
      }
    };
  }

  /** Seeds of the limit-binds runs: the default and two others. */
  static Stream<Arguments> seeds() {
    return Stream.of(Arguments.of(42L), Arguments.of(7L), Arguments.of(20261123L));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void whereTheLimitBindsForesightCapsAndReportsWhileKedaPilesUpPendingPods(long seed) {
    SimulationConfig config = limited(seed, 3);
    RunSummary keda = run(config, "keda-queue");
    assertThat(keda.peakUnbackedPods()).as("keda-queue peak unbacked").isGreaterThanOrEqualTo(3);
    assertThat(keda.unbackedPodMinutes()).as("keda-queue unbacked pod-minutes").isGreaterThan(30);
    assertThat(keda.supplyCappedDecisions()).isZero();

    for (String foresight : new String[] {"foresight-reactive", "foresight"}) {
      RunSummary f = run(config, foresight);
      assertThat(f.peakUnbackedPods()).as(foresight + " peak unbacked").isZero();
      assertThat(f.unbackedPodMinutes()).as(foresight + " unbacked pod-minutes").isZero();
      assertThat(f.peakReplicas()).as(foresight + " peak replicas").isLessThanOrEqualTo(3);
      assertThat(f.supplyCappedDecisions()).as(foresight + " capped decisions").isPositive();
      assertThat(f.supplyCappedMinutes()).isEqualTo(f.supplyCappedDecisions() * 15 / 60.0);

      // The same policy, not fed node supply, asks past the limit like the baselines.
      RunSummary blind = run(config, foresight, true);
      assertThat(blind.peakUnbackedPods()).as(foresight + " without supply").isPositive();
      assertThat(blind.supplyCappedDecisions()).isZero();
    }
  }

  @Test
  void withoutALimitSupplyNeverCaps() {
    SimulationConfig config = SimulationConfig.defaults();
    for (String foresight : new String[] {"foresight-reactive", "foresight"}) {
      RunSummary fed = run(config, foresight);
      assertThat(fed.supplyCappedDecisions()).isZero();
      assertThat(fed.peakUnbackedPods()).isZero();
      assertThat(fed.peakReplicas()).as(foresight + " peak replicas").isGreaterThan(3);
    }
  }

  /** A queue reading of {@code waiting} requests, delivered now. */
  private static Observation queue(Fleet fleet, double t, double waiting) {
    return Observation.of(
        MetricsSampler.instant(t),
        fleet.desiredReplicas(),
        fleet.readyReplicas(),
        Signals.builder().put(Signal.QUEUE, new Reading(waiting, Duration.ZERO)).build());
  }

  /**
   * The scale-up the limit allows is asked once: while every Pending pod is covered by a NodeClaim
   * on its way and the need has not grown past what they were asked for, Foresight holds and no
   * further claim is made; a need that grows is capped again, never Pending.
   */
  @Test
  void noDuplicateAskWhileClaimsAreInFlight() {
    SimulationConfig config = limited(42, 4).withReplicas(1, 1, 50);
    Fleet fleet = new Fleet(config, new Well19937c(1), new RunRecorder(2));
    KarpenterView karpenter = new KarpenterView();
    ForesightPolicy policy = new ForesightPolicy(ForesightPolicy.reactiveSpec(config));

    // 228 waiting asks 57; the scale-up rate allows 5; the pool backs 1 + 3 GPUs of headroom.
    int first =
        policy.evaluate(queue(fleet, 15, 228).withSupply(karpenter.look(fleet, 15).supply()));
    assertThat(first).isEqualTo(4);
    assertThat(policy.lastReason()).contains(Reason.NODE_SUPPLY_CAPPED);
    fleet.scaleTo(first, 15);
    assertThat(fleet.nodesProvisioned()).isEqualTo(3);
    assertThat(fleet.unbackedPending()).isZero();

    // 15 s later the pods wait on their three claims, and 20 waiting asks 5: the same need.
    var supply = karpenter.look(fleet, 30).supply();
    assertThat(supply.pendingCoveredByInFlight()).isTrue();
    int second = policy.evaluate(queue(fleet, 30, 20).withSupply(supply));
    Decision held = policy.lastDecision().orElseThrow();
    assertThat(held.recommendedReplicas()).isEqualTo(5);
    assertThat(second).isEqualTo(4);
    assertThat(held.reason()).isEqualTo(Reason.HOLD_NODE_SUPPLY_IN_FLIGHT);
    fleet.scaleTo(second, 30);
    assertThat(fleet.nodesProvisioned()).isEqualTo(3);

    // The need grows past the ask: capped again at what the full pool backs, nothing Pending.
    int third =
        policy.evaluate(queue(fleet, 45, 40).withSupply(karpenter.look(fleet, 45).supply()));
    assertThat(third).isEqualTo(4);
    assertThat(policy.lastReason()).contains(Reason.NODE_SUPPLY_CAPPED);

    // The same first decision without supply asks 5, and the fifth pod is Pending, unbacked.
    Fleet blindFleet = new Fleet(config, new Well19937c(1), new RunRecorder(2));
    ForesightPolicy blind = new ForesightPolicy(ForesightPolicy.reactiveSpec(config));
    blindFleet.scaleTo(blind.evaluate(queue(blindFleet, 15, 228)), 15);
    assertThat(blindFleet.desiredReplicas()).isEqualTo(5);
    assertThat(blindFleet.unbackedPending()).isEqualTo(1);
  }
}
