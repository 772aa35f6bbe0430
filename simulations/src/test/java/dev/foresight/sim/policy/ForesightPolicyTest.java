package dev.foresight.sim.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.policy.Observation;
import dev.foresight.policy.Reason;
import dev.foresight.policy.Signal;
import dev.foresight.policy.Signals;
import dev.foresight.sim.SimulationConfig;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The adapter carries the engine's state from one decision to the next, as the controller does. */
class ForesightPolicyTest {
  private static Observation at(long seconds, int replicas, double queue) {
    return Observation.of(
        Instant.EPOCH.plusSeconds(seconds),
        replicas,
        replicas,
        Signals.builder()
            .put(Signal.QUEUE, queue)
            .put(Signal.RUNNING, 10.0 * replicas)
            .put(Signal.KV_CACHE, 0.2)
            .put(Signal.PROMPT_TOKEN_RATE, 1000.0)
            .put(Signal.TTFT_P95, 0.2)
            .build());
  }

  @Test
  void scalesUpOnTheQueueAndHoldsThroughTheScaleDownWindow() {
    ForesightPolicy policy =
        new ForesightPolicy(ForesightPolicy.reactiveSpec(SimulationConfig.defaults()));
    // ceil(40 / 4) = 10; HPA's default scale-up allows max(2 + 4, 2 x 2) = 6 per 15 s.
    assertThat(policy.evaluate(at(0, 2, 40))).isEqualTo(6);
    assertThat(policy.lastDecision().orElseThrow().reason()).isEqualTo(Reason.RATE_LIMITED);
    assertThat(policy.evaluate(at(15, 6, 40))).isEqualTo(10);
    assertThat(policy.evaluate(at(30, 10, 0))).isEqualTo(10); // the window remembers 10
    assertThat(policy.evaluate(at(331, 10, 0))).isLessThan(10);
  }

  private static Observation ramp(long minute, int replicas) {
    double rps = 2 + minute; // +1 request/s every minute
    return Observation.of(
        Instant.EPOCH.plusSeconds(60 * minute),
        replicas,
        replicas,
        Signals.builder()
            .put(Signal.QUEUE, 0.0)
            .put(Signal.RUNNING, 5.0 * replicas)
            .put(Signal.KV_CACHE, 0.2)
            .put(Signal.TTFT_P95, 0.2)
            .put(Signal.REQUEST_RATE, rps)
            .put(Signal.PROMPT_TOKEN_RATE, rps * 1000)
            .put(Signal.GENERATION_TOKEN_RATE, rps * 200)
            .build());
  }

  @Test
  void theFullPolicyScalesAheadOfAPredictableRampAndTheReactiveOneDoesNot() {
    SimulationConfig c = SimulationConfig.defaults();
    ForesightPolicy reactive = new ForesightPolicy(ForesightPolicy.reactiveSpec(c));
    ForesightPolicy full =
        new ForesightPolicy(ForesightPolicy.reactiveSpec(c), ForesightPolicy.predictionSpec(c), 2);
    int reactiveDesired = 0;
    int fullDesired = 0;
    for (long m = 0; m <= 40; m++) {
      reactiveDesired = reactive.evaluate(ramp(m, 4));
      fullDesired = full.evaluate(ramp(m, 4));
    }
    // At minute 40: 42 req/s, 42,000 prompt tokens/s: the reactive policy asks for
    // ceil(42000 / 12000) = 4; the forecast 5 minutes ahead (a lead time) asks for more.
    assertThat(reactiveDesired).isEqualTo(4);
    assertThat(reactive.lastPrediction()).isEmpty();
    assertThat(full.lastPrediction()).isPresent();
    assertThat(full.lastPrediction().orElseThrow().horizon()).isEqualTo(Duration.ofSeconds(300));
    assertThat(fullDesired).isGreaterThan(reactiveDesired);
  }

  @Test
  void theRegistryBuildsAFreshPolicyForEveryRun() {
    PolicyRegistry registry = PolicyRegistry.standard();
    PolicyEnvironment env = new PolicyEnvironment(SimulationConfig.defaults(), null);
    assertThat(registry.names()).contains(ForesightPolicy.NAME_REACTIVE, ForesightPolicy.NAME_FULL);
    assertThat(registry.create(ForesightPolicy.NAME_REACTIVE, env))
        .isNotSameAs(registry.create(ForesightPolicy.NAME_REACTIVE, env));
  }
}
