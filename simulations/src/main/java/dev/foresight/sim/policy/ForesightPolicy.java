package dev.foresight.sim.policy;

import dev.foresight.policy.Decision;
import dev.foresight.policy.DecisionEngine;
import dev.foresight.policy.Evaluation;
import dev.foresight.policy.Observation;
import dev.foresight.policy.PolicySpec;
import dev.foresight.policy.PolicyState;
import dev.foresight.policy.Signal;
import dev.foresight.sim.SimulationConfig;
import java.time.Duration;
import java.util.Optional;

/**
 * Foresight itself: the policy module's {@link DecisionEngine}, the very code the controller ships,
 * fed the simulator's observations every 15 s, with its {@link PolicyState} carried from one
 * decision to the next exactly as the controller carries it.
 *
 * <p>{@code foresight-reactive} uses the service-level signals only ({@link #reactiveSpec}). The
 * full policy, with the forecast one lead time ahead, registers as {@code foresight} once the
 * policy module offers prediction; until then it is not registered, so it cannot be mistaken for
 * the reactive one.
 */
public final class ForesightPolicy implements ScalingPolicy {
  public static final String NAME_REACTIVE = "foresight-reactive";

  private final PolicySpec spec;
  private PolicyState state = PolicyState.initial();
  private Decision last;

  public ForesightPolicy(PolicySpec spec) {
    if (!spec.problems().isEmpty()) {
      throw new IllegalArgumentException("invalid Foresight policy spec: " + spec.problems());
    }
    this.spec = spec;
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
    return last.desiredReplicas();
  }

  /** The newest decision, with its reasons; empty before the first evaluation. */
  public Optional<Decision> lastDecision() {
    return Optional.ofNullable(last);
  }
}
