package dev.foresight.sim.policy;

import dev.foresight.policy.Decision;
import dev.foresight.policy.DecisionEngine;
import dev.foresight.policy.Evaluation;
import dev.foresight.policy.Observation;
import dev.foresight.policy.PolicySpec;
import dev.foresight.policy.PolicyState;
import dev.foresight.policy.Prediction;
import dev.foresight.policy.Reading;
import dev.foresight.policy.Signal;
import dev.foresight.policy.capacity.Capacity;
import dev.foresight.policy.capacity.CapacityObservation;
import dev.foresight.policy.forecast.LoadSample;
import dev.foresight.policy.forecast.PredictionSpec;
import dev.foresight.policy.forecast.PredictiveState;
import dev.foresight.sim.SimulationConfig;
import java.time.Duration;
import java.util.Optional;

/**
 * Foresight itself: the policy module's {@link DecisionEngine}, the very code the controller ships,
 * fed the simulator's observations every 15 s, with its {@link PolicyState} carried from one
 * decision to the next exactly as the controller carries it.
 *
 * <p>{@code foresight-reactive} uses the service-level signals only ({@link #reactiveSpec}). {@code
 * foresight} adds the policy module's pre-scaling ({@link PredictiveState}, {@link
 * #predictionSpec}), combined as that class documents: every evaluation feeds the delivered request
 * and token rates to the forecaster and, with the TTFT and queue, to the capacity learner; then
 *
 * <pre>
 *   desired = max(reactive decision, replicas the forecast's upper bound needs one lead time ahead)
 *   desired = max(desired, min(current, replicas the forecast needs within lead time + margin))
 * </pre>
 *
 * (the second line only holds a scale-down back), bounded by {@code maxReplicas}. The lead time is
 * the configured prior (pod start-up plus node provisioning, assuming a node is needed): the
 * simulator does not feed observed start-ups to the learner, because an observation carries none.
 */
public final class ForesightPolicy implements ScalingPolicy {
  public static final String NAME_REACTIVE = "foresight-reactive";
  public static final String NAME_FULL = "foresight";

  private final PolicySpec spec;
  private final PredictionSpec prediction;
  private final double sloSeconds;
  private PolicyState state = PolicyState.initial();
  private PredictiveState predictive;
  private Decision last;
  private Optional<Prediction> lastPrediction = Optional.empty();

  /** The reactive policy alone. */
  public ForesightPolicy(PolicySpec spec) {
    this(spec, PredictionSpec.disabled(), Double.POSITIVE_INFINITY);
  }

  /**
   * @param spec the reactive policy
   * @param prediction the pre-scaling settings ({@link PredictionSpec#disabled()} for none)
   * @param sloSeconds TTFT objective; an interval whose TTFT p95 met it teaches the capacity
   *     learner
   */
  public ForesightPolicy(PolicySpec spec, PredictionSpec prediction, double sloSeconds) {
    if (!spec.problems().isEmpty()) {
      throw new IllegalArgumentException("invalid Foresight policy spec: " + spec.problems());
    }
    if (!prediction.problems().isEmpty()) {
      throw new IllegalArgumentException("invalid prediction spec: " + prediction.problems());
    }
    this.spec = spec;
    this.prediction = prediction;
    this.sloSeconds = sloSeconds;
    this.predictive = PredictiveState.initial(prediction);
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
  public int evaluate(Observation observation) {
    Evaluation e = DecisionEngine.decide(spec, observation, state);
    state = e.state();
    last = e.decision();
    int desired = last.desiredReplicas();
    if (!prediction.enabled()) {
      return desired;
    }
    Optional<LoadSample> load = load(observation);
    if (load.isPresent()) {
      predictive = predictive.observeLoad(observation.at(), load.get());
      Optional<Double> ttft = value(observation, Signal.TTFT_P95);
      Optional<Double> queue = value(observation, Signal.QUEUE);
      if (ttft.isPresent() && queue.isPresent() && queue.get() >= 0) {
        predictive =
            predictive.observeCapacity(
                new CapacityObservation(
                    observation.readyReplicas(),
                    load.get(),
                    ttft.get() <= sloSeconds,
                    queue.get()));
      }
    }
    lastPrediction = predictive.predict(prediction, observation.at(), true);
    int ahead = lastPrediction.filter(Prediction::acting).map(Prediction::replicas).orElse(0);
    desired = Math.max(desired, ahead);
    int current = observation.currentReplicas();
    if (desired < current) {
      int keep = predictive.replicasNeededWithin(prediction, observation.at(), true).orElse(0);
      desired = Math.max(desired, Math.min(current, keep));
    }
    return Math.min(spec.maxReplicas(), desired);
  }

  private static Optional<LoadSample> load(Observation o) {
    Optional<Double> requests = value(o, Signal.REQUEST_RATE);
    Optional<Double> prompt = value(o, Signal.PROMPT_TOKEN_RATE);
    Optional<Double> generation = value(o, Signal.GENERATION_TOKEN_RATE);
    if (requests.isEmpty() || prompt.isEmpty() || generation.isEmpty()) {
      return Optional.empty();
    }
    if (requests.get() < 0 || prompt.get() < 0 || generation.get() < 0) {
      return Optional.empty();
    }
    return Optional.of(new LoadSample(requests.get(), prompt.get(), generation.get()));
  }

  private static Optional<Double> value(Observation o, Signal signal) {
    return o.signals().get(signal).map(Reading::value).filter(Double::isFinite);
  }

  /** The newest predictive proposal; empty for the reactive policy or before a forecast. */
  public Optional<Prediction> lastPrediction() {
    return lastPrediction;
  }

  /** The newest decision, with its reasons; empty before the first evaluation. */
  public Optional<Decision> lastDecision() {
    return Optional.ofNullable(last);
  }
}
