package dev.foresight.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Random but reproducible inputs for the property tests: specs, observations (every signal absent,
 * fresh, zero, stale, NaN, infinite or negative), GPU readings and states. The same seed always
 * gives equal values.
 */
final class Generated {

  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  /** A typical target and a generous value range per signal. */
  private static final Map<Signal, double[]> TARGET_AND_RANGE = new EnumMap<>(Signal.class);

  static {
    TARGET_AND_RANGE.put(Signal.QUEUE, new double[] {4, 400});
    TARGET_AND_RANGE.put(Signal.RUNNING, new double[] {16, 1000});
    TARGET_AND_RANGE.put(Signal.LATENCY_P95, new double[] {10, 60});
    TARGET_AND_RANGE.put(Signal.TTFT_P95, new double[] {0.8, 8});
    TARGET_AND_RANGE.put(Signal.KV_CACHE, new double[] {0.75, 1});
    TARGET_AND_RANGE.put(Signal.REQUEST_RATE, new double[] {2, 200});
    TARGET_AND_RANGE.put(Signal.PROMPT_TOKEN_RATE, new double[] {5000, 500_000});
    TARGET_AND_RANGE.put(Signal.GENERATION_TOKEN_RATE, new double[] {1000, 100_000});
  }

  private static final List<ScalingRules> SCALE_UP =
      List.of(
          ScalingRules.hpaDefaultScaleUp(),
          Fixtures.unlimited(Duration.ZERO),
          Fixtures.unlimited(Duration.ofSeconds(60)),
          new ScalingRules(Duration.ZERO, List.of(), ScalingRules.Select.DISABLED),
          new ScalingRules(
              Duration.ofSeconds(30),
              List.of(
                  RatePolicy.pods(2, Duration.ofSeconds(60)),
                  RatePolicy.percent(50, Duration.ofSeconds(30))),
              ScalingRules.Select.MIN));

  private static final List<ScalingRules> SCALE_DOWN =
      List.of(
          ScalingRules.hpaDefaultScaleDown(),
          Fixtures.unlimited(Duration.ZERO),
          new ScalingRules(Duration.ofSeconds(120), List.of(), ScalingRules.Select.DISABLED),
          new ScalingRules(
              Duration.ofSeconds(60),
              List.of(
                  RatePolicy.pods(4, Duration.ofSeconds(60)),
                  RatePolicy.percent(10, Duration.ofSeconds(60))),
              ScalingRules.Select.MAX));

  /** One generated decision input. */
  record Input(long seed, PolicySpec spec, Observation observation, PolicyState state) {

    Evaluation decide() {
      return DecisionEngine.decide(spec, observation, state);
    }

    @Override
    public String toString() {
      return "seed "
          + seed
          + "\n  spec: "
          + spec
          + "\n  observation: "
          + observation
          + "\n  state: "
          + state;
    }
  }

  private Generated() {}

  static Input input(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    return new Input(seed, spec(r), observation(r, NOW), state(r));
  }

  static PolicySpec spec(SplittableRandom r) {
    // min 0 (scale to zero allowed) in one spec of three
    int min = r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(4);
    PolicySpec.Builder b =
        PolicySpec.builder()
            .minReplicas(min)
            .maxReplicas(Math.max(1, min + r.nextInt(41)))
            .tolerance(pick(r, List.of(0.0, 0.05, 0.1, 0.25)))
            .scaleUp(pick(r, SCALE_UP))
            .scaleDown(pick(r, SCALE_DOWN))
            .idleBeforeScaleToZero(Duration.ofSeconds(pick(r, List.of(0, 60, 300))));
    for (Signal s : Signal.values()) {
      if (r.nextInt(3) > 0) {
        b.target(s, TARGET_AND_RANGE.get(s)[0]);
      }
    }
    return b.build();
  }

  static Observation observation(SplittableRandom r, Instant at) {
    Map<Signal, Reading> readings = new EnumMap<>(Signal.class);
    // one observation in four is quiet: mostly zeros, the edge of scaling to and from zero
    boolean quiet = r.nextInt(4) == 0;
    for (Signal s : Signal.values()) {
      double value = r.nextDouble() * TARGET_AND_RANGE.get(s)[1];
      int how = quiet && r.nextInt(8) > 0 ? 11 : r.nextInt(20);
      if (quiet && how < 11) {
        how = 11 + r.nextInt(9); // quiet: never a positive fresh reading
      }
      // 11 in 20 fresh, 4 zero, 1 each absent, stale, NaN, infinite, negative
      if (how < 11) {
        readings.put(s, Reading.fresh(value));
      } else if (how < 15) {
        readings.put(s, Reading.fresh(0));
      } else if (how == 15) {
        continue;
      } else if (how == 16) {
        readings.put(s, new Reading(value, Duration.ofMinutes(10)));
      } else if (how == 17) {
        readings.put(s, Reading.fresh(Double.NaN));
      } else if (how == 18) {
        readings.put(s, Reading.fresh(r.nextBoolean() ? Double.POSITIVE_INFINITY : -1e300 * 1e300));
      } else {
        readings.put(s, Reading.fresh(-1 - value));
      }
    }
    int current = r.nextInt(61);
    int ready = current * r.nextInt(101) / 100;
    return new Observation(at, current, ready, Signals.of(readings), gpus(r));
  }

  static List<GpuReading> gpus(SplittableRandom r) {
    List<GpuReading> gpus = new ArrayList<>();
    int n = r.nextInt(5);
    for (int i = 0; i < n; i++) {
      int pod = r.nextInt(4);
      gpus.add(
          new GpuReading(
              "pod-" + pod,
              "gpu-" + i,
              r.nextDouble() * 100,
              r.nextDouble() * 80_000,
              r.nextDouble() * 80_000,
              pick(r, List.of(40.0, 70.0, 86.0, 95.0, Double.NaN)),
              pick(r, List.of(0L, 0L, 0L, 1L, 7L))));
    }
    return gpus;
  }

  static PolicyState state(SplittableRandom r) {
    List<PolicyState.Recommendation> recs = new ArrayList<>();
    for (int i = r.nextInt(11); i > 0; i--) {
      recs.add(new PolicyState.Recommendation(NOW.minusSeconds(r.nextInt(601)), r.nextInt(61)));
    }
    return new PolicyState(
        recs,
        events(r),
        events(r),
        r.nextBoolean() ? Optional.of(NOW.minusSeconds(r.nextInt(1001))) : Optional.empty(),
        r.nextBoolean() ? Optional.of(NOW.minusSeconds(r.nextInt(1001))) : Optional.empty());
  }

  private static List<PolicyState.ScaleEvent> events(SplittableRandom r) {
    List<PolicyState.ScaleEvent> events = new ArrayList<>();
    for (int i = r.nextInt(5); i > 0; i--) {
      events.add(new PolicyState.ScaleEvent(NOW.minusSeconds(r.nextInt(121)), 1 + r.nextInt(10)));
    }
    return events;
  }

  /** A series of observations 15 s apart. */
  static List<Observation> series(SplittableRandom r) {
    List<Observation> out = new ArrayList<>();
    int n = 2 + r.nextInt(39);
    for (int i = 0; i < n; i++) {
      out.add(observation(r, NOW.plusSeconds(15L * i)));
    }
    return out;
  }

  private static <T> T pick(SplittableRandom r, List<T> options) {
    return options.get(r.nextInt(options.size()));
  }
}
