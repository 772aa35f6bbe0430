package dev.foresight.policy.bench;

import dev.foresight.policy.Prediction;
import dev.foresight.policy.forecast.LoadForecast;
import dev.foresight.policy.forecast.LoadForecaster;
import dev.foresight.policy.forecast.LoadSample;
import dev.foresight.policy.forecast.PredictionSpec;
import dev.foresight.policy.forecast.PredictiveState;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One tick of one workload: update the forecaster with a load sample (request, prompt-token and
 * generation-token rates) and forecast one lead time ahead. Target: at most 20 µs per tick.
 *
 * <p>The forecaster starts from three seasons of synthetic history, so Holt-Winters, the trend and
 * the last value all run, and each tick advances one sample interval.
 *
 * <pre>
 * ./mvnw -q -pl policy test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.foresight.policy.bench.Benchmarks \
 *   -Dexec.args="ForecasterBenchmark -f 1 -wi 3 -i 5"
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ForecasterBenchmark {

  /** Samples per day: 288 at 5 minutes, 1,440 at 1 minute. */
  @Param({"288", "1440"})
  public int seasonPeriod;

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private PredictionSpec spec;
  private Duration interval;
  private Duration lead;
  private double[] rates;
  private LoadForecaster forecaster;
  private PredictiveState state;
  private int tick;

  @Setup
  public void setUp() {
    interval = Duration.ofMinutes(1440 / seasonPeriod);
    lead = interval.multipliedBy(3);
    spec =
        PredictionSpec.builder()
            .enabled(true)
            .season(seasonPeriod, interval)
            .leadTimePrior(lead)
            .nodeProvisioningPrior(Duration.ZERO)
            .maxHorizon(interval.multipliedBy(30))
            .build();
    Random random = new Random(1);
    rates = new double[4 * seasonPeriod];
    for (int t = 0; t < rates.length; t++) {
      rates[t] =
          Math.max(
              0, 100 + 50 * Math.sin(2 * Math.PI * t / seasonPeriod) + 5 * random.nextGaussian());
    }
    forecaster = LoadForecaster.empty(spec.forecasterSettings());
    state = PredictiveState.initial(spec);
    for (tick = 0; tick < 3 * seasonPeriod; tick++) {
      forecaster = forecaster.update(at(tick), sample(tick), lead);
      state = state.observeLoad(at(tick), sample(tick));
    }
  }

  private Instant at(int t) {
    return T0.plus(interval.multipliedBy(t));
  }

  private LoadSample sample(int t) {
    double rps = rates[t % rates.length];
    return new LoadSample(rps, 1200 * rps, 150 * rps);
  }

  /** Forecaster only: update three series, forecast three series. */
  @Benchmark
  public Optional<LoadForecast> updateAndForecast() {
    int t = tick++;
    forecaster = forecaster.update(at(t), sample(t), lead);
    return forecaster.forecast(lead);
  }

  /** What the decision engine would call: observe the load, then predict replicas. */
  @Benchmark
  public Optional<Prediction> observeAndPredict() {
    int t = tick++;
    state = state.observeLoad(at(t), sample(t));
    return state.predict(spec, at(t), false);
  }
}
