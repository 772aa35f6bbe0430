package dev.foresight.policy.bench;

import dev.foresight.policy.DecisionEngine;
import dev.foresight.policy.Evaluation;
import dev.foresight.policy.GpuReading;
import dev.foresight.policy.Observation;
import dev.foresight.policy.PolicySpec;
import dev.foresight.policy.PolicyState;
import dev.foresight.policy.Reading;
import dev.foresight.policy.Signal;
import dev.foresight.policy.Signals;
import dev.foresight.policy.SloStatus;
import dev.foresight.policy.WorkloadRef;
import dev.foresight.policy.capacity.Capacity;
import dev.foresight.policy.forecast.LoadSample;
import dev.foresight.policy.forecast.PredictionSpec;
import dev.foresight.policy.forecast.PredictiveState;
import dev.foresight.policy.forecast.TimedLoad;
import dev.foresight.policy.supply.NodeSupply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One decision with every signal present, four GPUs (one of them hot) and a state holding five
 * minutes of history at one decision per 15 s, as the controller keeps it. The {@code …Predictive}
 * variants add pre-scaling (daily season at 1-minute samples, a forecaster that has seen two days,
 * so Holt-Winters and the trend are both fitted and compared): each call feeds the learners one
 * load sample and a start-up, forecasts one lead time ahead and the peak within lead time + margin;
 * {@code …WithSupply} adds the node-supply rule.
 *
 * <pre>
 * ./mvnw -q -pl policy test-compile exec:exec -Dexec.classpathScope=test -Dexec.executable=java \
 *   -Dexec.args="-cp %classpath org.openjdk.jmh.Main DecisionBenchmark -f 1 -wi 3 -i 5 -prof gc"
 * </pre>
 *
 * <p>{@code exec:exec} rather than {@code exec:java}: JMH's forked JVM takes its classpath from
 * {@code java.class.path}, which under {@code exec:java} is Maven's own, so forks fail with {@code
 * ClassNotFoundException: ForkedMain} ({@code exec:java} works only with {@code -f 0}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecisionBenchmark {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  private PolicySpec spec;
  private Observation scaleUp;
  private Observation steady;
  private PolicyState state;
  private PolicySpec predictiveSpec;
  private PolicyState predictiveState;
  private Observation scaleUpPredictive;
  private Observation scaleUpWithSupply;
  private Observation steadyPredictive;

  @Setup
  public void setUp() {
    spec =
        PolicySpec.builder()
            .minReplicas(0)
            .maxReplicas(64)
            .target(Signal.QUEUE, 4)
            .target(Signal.RUNNING, 16)
            .target(Signal.LATENCY_P95, 20)
            .target(Signal.TTFT_P95, 0.8)
            .target(Signal.KV_CACHE, 0.75)
            .target(Signal.REQUEST_RATE, 2)
            .target(Signal.PROMPT_TOKEN_RATE, 5000)
            .target(Signal.GENERATION_TOKEN_RATE, 1000)
            .build();
    List<GpuReading> gpus =
        List.of(
            new GpuReading("vllm-0", "GPU-0", 97, 72_000, 8_000, 71, 0),
            new GpuReading("vllm-1", "GPU-1", 95, 71_000, 9_000, 74, 0),
            new GpuReading("vllm-2", "GPU-2", 92, 73_000, 7_000, 89, 0),
            new GpuReading("vllm-3", "GPU-3", 96, 72_500, 7_500, 70, 0));
    scaleUp = observation(37, 60, 1.1, 19, 0.86, 9.5, 42_000, 7_900, gpus);
    steady = observation(16, 64, 0.78, 18, 0.74, 8, 38_000, 6_000, gpus);
    PolicyState s = PolicyState.initial();
    int[] history = {4, 4, 5, 5, 5, 4, 4, 4, 5, 6, 6, 5, 5, 4, 4, 4, 4, 5, 5, 4};
    for (int i = 0; i < history.length; i++) {
      s = s.withRecommendation(NOW.minusSeconds(15L * (history.length - i)), history[i]);
    }
    s = s.withScaleEvent(NOW.minusSeconds(45), 4, 5).withScaleEvent(NOW.minusSeconds(10), 5, 4);
    state = s.withActivity(java.util.Optional.of(NOW.minusSeconds(15)), java.util.Optional.empty());

    PredictionSpec prediction =
        PredictionSpec.builder()
            .enabled(true)
            .capacityPrior(new Capacity(2.5, 9000, 1800))
            .leadTimePrior(Duration.ofSeconds(150))
            .nodeProvisioningPrior(Duration.ofSeconds(120))
            .build();
    predictiveSpec = spec.toBuilder().prediction(prediction).build();
    SplittableRandom random = new SplittableRandom(2026);
    List<TimedLoad> twoDays = new ArrayList<>();
    for (int m = 2 * 1440; m > 0; m--) {
      double rate = 8 + 4 * Math.sin(2 * Math.PI * m / 1440.0) + (random.nextDouble() - 0.5) * 1.5;
      twoDays.add(
          new TimedLoad(NOW.minusSeconds(60L * m), new LoadSample(rate, rate * 4000, rate * 800)));
    }
    predictiveState = state.withPredictive(PredictiveState.rebuild(prediction, twoDays));
    scaleUpPredictive =
        scaleUp.withSlo(SloStatus.MISSED).withStartups(List.of(Duration.ofSeconds(140)), List.of());
    steadyPredictive = steady.withSlo(SloStatus.MET);
    scaleUpWithSupply =
        scaleUpPredictive.withSupply(
            new NodeSupply(
                WorkloadRef.deployment("llm", "chat"),
                NodeSupply.Observed.KARPENTER,
                Set.of("gpu"),
                1,
                1,
                1,
                8,
                OptionalInt.of(4),
                List.of(0, 1, 7),
                0,
                false));
  }

  private static Observation observation(
      double queue,
      double running,
      double ttft,
      double latency,
      double kv,
      double rate,
      double promptRate,
      double generationRate,
      List<GpuReading> gpus) {
    Signals signals =
        Signals.builder()
            .put(Signal.QUEUE, new Reading(queue, Duration.ofSeconds(3)))
            .put(Signal.RUNNING, new Reading(running, Duration.ofSeconds(3)))
            .put(Signal.TTFT_P95, new Reading(ttft, Duration.ofSeconds(3)))
            .put(Signal.LATENCY_P95, new Reading(latency, Duration.ofSeconds(3)))
            .put(Signal.KV_CACHE, new Reading(kv, Duration.ofSeconds(3)))
            .put(Signal.REQUEST_RATE, new Reading(rate, Duration.ofSeconds(3)))
            .put(Signal.PROMPT_TOKEN_RATE, new Reading(promptRate, Duration.ofSeconds(3)))
            .put(Signal.GENERATION_TOKEN_RATE, new Reading(generationRate, Duration.ofSeconds(3)))
            .build();
    return new Observation(NOW, 4, 4, signals, gpus);
  }

  /** Every signal asks for more; the hot GPU adds a replacement; the rate policy limits. */
  @Benchmark
  public Evaluation decideScaleUp() {
    return DecisionEngine.decide(spec, scaleUp, state);
  }

  /** Every signal near its target: tolerance and stabilization hold the count. */
  @Benchmark
  public Evaluation decideSteady() {
    return DecisionEngine.decide(spec, steady, state);
  }

  /** As {@link #decideScaleUp}, with pre-scaling: learners fed, forecast, peak for scale-down. */
  @Benchmark
  public Evaluation decideScaleUpPredictive() {
    return DecisionEngine.decide(predictiveSpec, scaleUpPredictive, predictiveState);
  }

  /** As {@link #decideSteady}, with pre-scaling (the SLO met: the capacity learner learns). */
  @Benchmark
  public Evaluation decideSteadyPredictive() {
    return DecisionEngine.decide(predictiveSpec, steadyPredictive, predictiveState);
  }

  /** As {@link #decideScaleUpPredictive}, with the node-supply rule (Karpenter, a GPU limit). */
  @Benchmark
  public Evaluation decideScaleUpPredictiveWithSupply() {
    return DecisionEngine.decide(predictiveSpec, scaleUpWithSupply, predictiveState);
  }
}
