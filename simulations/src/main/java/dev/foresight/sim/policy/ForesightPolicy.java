package dev.foresight.sim.policy;

import dev.foresight.policy.Decision;
import dev.foresight.policy.DecisionEngine;
import dev.foresight.policy.Evaluation;
import dev.foresight.policy.Observation;
import dev.foresight.policy.PolicySpec;
import dev.foresight.policy.PolicyState;
import dev.foresight.policy.Prediction;
import dev.foresight.policy.Reading;
import dev.foresight.policy.Reason;
import dev.foresight.policy.Signal;
import dev.foresight.policy.SloStatus;
import dev.foresight.policy.capacity.Capacity;
import dev.foresight.policy.forecast.PredictionSpec;
import dev.foresight.sim.SimulationConfig;
import java.time.Duration;
import java.util.Optional;

/**
 * Foresight itself: the policy module's {@link DecisionEngine}, the very code the controller ships,
 * fed the simulator's observations every 15 s, with its {@link PolicyState} carried from one
 * decision to the next exactly as the controller carries it.
 *
 * <p>{@code foresight-reactive} uses the service-level signals only ({@link #reactiveSpec}). {@code
 * foresight} is the same spec with the engine's pre-scaling enabled ({@link #predictionSpec}): the
 * engine itself learns the load and the capacity per replica, forecasts one lead time ahead and
 * keeps replicas the forecast needs again (see {@link DecisionEngine}); its proposal is {@link
 * Decision#prediction()}. Each observation carries whether the interval met the TTFT objective
 * ({@link SloStatus}), which decides what the capacity learner may learn.
 *
 * <p>Both read node supply as the controller reads it from Karpenter ({@link
 * #observesNodeSupply()}): the engine holds growth while every Pending pod is covered by a node on
 * its way, caps it at what nodes and the NodePool's GPU limit can back, and counts node
 * provisioning in the lead time only when no GPU is free. The lead time starts from the configured
 * priors (pod start-up, node provisioning); node provisionings are reported as nodes initialize,
 * pod start-ups are not.
 */
public final class ForesightPolicy implements ScalingPolicy {
  public static final String NAME_REACTIVE = "foresight-reactive";
  public static final String NAME_FULL = "foresight";

  private final PolicySpec spec;
  private final double sloSeconds;
  private PolicyState state = PolicyState.initial();
  private Decision last;

  /** The reactive policy alone. */
  public ForesightPolicy(PolicySpec spec) {
    this(spec, PredictionSpec.disabled(), Double.POSITIVE_INFINITY);
  }

  /**
   * @param spec the reactive policy
   * @param prediction the pre-scaling settings ({@link PredictionSpec#disabled()} for none)
   * @param sloSeconds TTFT objective; an interval whose TTFT p95 met it counts as meeting the SLO
   */
  public ForesightPolicy(PolicySpec spec, PredictionSpec prediction, double sloSeconds) {
    PolicySpec withPrediction = spec.toBuilder().prediction(prediction).build();
    if (!withPrediction.problems().isEmpty()) {
      throw new IllegalArgumentException(
          "invalid Foresight policy spec: " + withPrediction.problems());
    }
    this.spec = withPrediction;
    this.sloSeconds = sloSeconds;
  }

  /**
   * Pre-scaling for the simulated fleet: daily season at 1-minute samples, p90 upper bound, the
   * prior capacity of one replica at the reactive targets (10 requests/s, 12,000 prompt tokens/s),
   * learned from then on; lead-time priors from the config's pod start-up and node provisioning.
   */
  public static PredictionSpec predictionSpec(SimulationConfig config) {
    return PredictionSpec.builder()
        .enabled(true)
        .capacityPrior(new Capacity(10, 12_000, 0))
        .leadTimePrior(config.podStartup())
        .nodeProvisioningPrior(config.nodeProvisioning())
        .build();
  }

  static ScalingPolicy createFull(PolicyEnvironment env) {
    return new ForesightPolicy(
        reactiveSpec(env.config()),
        predictionSpec(env.config()),
        env.config().ttftSlo().toNanos() / 1e9);
  }

  /**
   * The reactive policy the simulator runs, sized for the calibrated engine (Llama-3.1-8B on one
   * H100, {@link SimulationConfig}) and the 2 s TTFT objective:
   *
   * <ul>
   *   <li>queue: 4 waiting requests per replica (the same threshold as the KEDA baseline);
   *   <li>running: 48 sequences per replica (decode steps stay near 10 ms);
   *   <li>TTFT p95: 1 s, half the objective, so the policy acts before the objective is missed;
   *   <li>KV cache: 80% mean usage;
   *   <li>prompt tokens: 12,000 per second per replica (about 40% of one H100's prefill rate);
   *   <li>bounds from the config; HPA's default behavior and tolerance.
   * </ul>
   */
  public static PolicySpec reactiveSpec(SimulationConfig config) {
    return PolicySpec.builder()
        .target(Signal.QUEUE, 4)
        .target(Signal.RUNNING, 48)
        .target(Signal.TTFT_P95, 1.0)
        .target(Signal.KV_CACHE, 0.8)
        .target(Signal.PROMPT_TOKEN_RATE, 12_000)
        .minReplicas(config.minReplicas())
        .maxReplicas(config.maxReplicas())
        .build();
  }

  static ScalingPolicy createReactive(PolicyEnvironment env) {
    return new ForesightPolicy(reactiveSpec(env.config()));
  }

  @Override
  public Duration interval() {
    return Duration.ofSeconds(15);
  }

  @Override
  public boolean observesNodeSupply() {
    return true;
  }

  @Override
  public Optional<Reason> lastReason() {
    return lastDecision().map(Decision::reason);
  }

  @Override
  public int evaluate(Observation observation) {
    Evaluation e = DecisionEngine.decide(spec, withSlo(observation), state);
    state = e.state();
    last = e.decision();
    return last.desiredReplicas();
  }

  /** The observation with the interval's SLO status: TTFT p95 against the objective. */
  private Observation withSlo(Observation o) {
    if (!spec.prediction().enabled()) {
      return o;
    }
    Optional<Double> ttft = o.signals().get(Signal.TTFT_P95).map(Reading::value);
    if (ttft.isEmpty() || !Double.isFinite(ttft.get())) {
      return o;
    }
    return o.withSlo(ttft.get() <= sloSeconds ? SloStatus.MET : SloStatus.MISSED);
  }

  /** The newest predictive proposal; empty for the reactive policy or before a forecast. */
  public Optional<Prediction> lastPrediction() {
    return lastDecision().flatMap(Decision::prediction);
  }

  /** The newest decision, with its reasons; empty before the first evaluation. */
  public Optional<Decision> lastDecision() {
    return Optional.ofNullable(last);
  }
}
