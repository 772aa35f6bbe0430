package dev.foresight.policy.bench;

import dev.foresight.policy.forecast.LoadForecaster;
import dev.foresight.policy.forecast.LoadSample;
import dev.foresight.policy.forecast.PredictionSpec;
import dev.foresight.policy.forecast.PredictiveState;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Random;

/**
 * CPU time of one forecaster tick, for machines whose cores are shared: JMH reports wall-clock
 * time, which grows with every other process on the core; the thread's own CPU time does much less.
 * Same set-up and operations as {@link ForecasterBenchmark}; prints microseconds of CPU per tick
 * for five rounds of 200,000 ticks after one warm-up round.
 *
 * <pre>
 * ./mvnw -q -pl policy test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.foresight.policy.bench.TickCpuTime
 * </pre>
 */
public final class TickCpuTime {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final int TICKS = 200_000;

  private TickCpuTime() {}

  public static void main(String[] args) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (int period : new int[] {288, 1440}) {
      Duration interval = Duration.ofMinutes(1440 / period);
      Duration lead = interval.multipliedBy(3);
      PredictionSpec spec =
          PredictionSpec.builder()
              .enabled(true)
              .season(period, interval)
              .leadTimePrior(lead)
              .nodeProvisioningPrior(Duration.ZERO)
              .maxHorizon(interval.multipliedBy(30))
              .build();
      Random random = new Random(1);
      double[] rates = new double[4 * period];
      for (int t = 0; t < rates.length; t++) {
        rates[t] =
            Math.max(0, 100 + 50 * Math.sin(2 * Math.PI * t / period) + 5 * random.nextGaussian());
      }
      LoadForecaster forecaster = LoadForecaster.empty(spec.forecasterSettings());
      PredictiveState state = PredictiveState.initial(spec);
      long sink = 0;
      int tick = 0;
      for (; tick < 3 * period; tick++) {
        LoadSample sample = sample(rates, tick);
        forecaster = forecaster.update(T0.plus(interval.multipliedBy(tick)), sample, lead);
        state = state.observeLoad(T0.plus(interval.multipliedBy(tick)), sample);
      }
      for (int round = 0; round <= 5; round++) {
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < TICKS; i++, tick++) {
          forecaster =
              forecaster.update(T0.plus(interval.multipliedBy(tick)), sample(rates, tick), lead);
          sink += forecaster.forecast(lead).orElseThrow().requests().model().length();
        }
        long middle = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < TICKS; i++, tick++) {
          Instant at = T0.plus(interval.multipliedBy(tick));
          state = state.observeLoad(at, sample(rates, tick));
          sink += state.predict(spec, at, false).orElseThrow().replicas();
        }
        long end = threads.getCurrentThreadCpuTime();
        if (round > 0) {
          System.out.printf(
              Locale.ROOT,
              "seasonPeriod=%d round=%d CPU us/tick: updateAndForecast %.2f, observeAndPredict"
                  + " %.2f%n",
              period,
              round,
              (middle - start) / 1e3 / TICKS,
              (end - middle) / 1e3 / TICKS);
        }
      }
      System.out.println("(checksum " + sink + ")");
    }
  }

  private static LoadSample sample(double[] rates, int tick) {
    double rps = rates[tick % rates.length];
    return new LoadSample(rps, 1200 * rps, 150 * rps);
  }
}
