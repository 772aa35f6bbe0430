package dev.foresight.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Builders shared by the policy tests: a fixed instant, specs, observations and states. */
final class Fixtures {

  static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  private Fixtures() {}

  /** A spec with the builder's defaults (min 1, max 10, HPA behavior) and a queue target of 4. */
  static PolicySpec.Builder queueSpec() {
    return PolicySpec.builder().target(Signal.QUEUE, 4);
  }

  /** Behavior with no stabilization and no rate limit worth speaking of, to test formulas alone. */
  static ScalingRules unlimited(Duration window) {
    return new ScalingRules(
        window, List.of(RatePolicy.percent(1000, Duration.ofSeconds(1))), ScalingRules.Select.MAX);
  }

  /** A spec whose behavior lets any recommendation through at once. */
  static PolicySpec.Builder free() {
    return PolicySpec.builder()
        .maxReplicas(1000)
        .scaleUp(unlimited(Duration.ZERO))
        .scaleDown(unlimited(Duration.ZERO));
  }

  static Signals signals(Object... signalValuePairs) {
    Signals.Builder b = Signals.builder();
    for (int i = 0; i < signalValuePairs.length; i += 2) {
      Signal s = (Signal) signalValuePairs[i];
      Object v = signalValuePairs[i + 1];
      if (v instanceof Reading r) {
        b.put(s, r);
      } else {
        b.put(s, ((Number) v).doubleValue());
      }
    }
    return b.build();
  }

  static Observation obs(int current, int ready, Signals signals) {
    return Observation.of(T0, current, ready, signals);
  }

  static Observation obs(Instant at, int current, int ready, Signals signals, GpuReading... gpus) {
    return new Observation(at, current, ready, signals, List.of(gpus));
  }

  /** The state of a workload evaluated before, long ago: no history left in any window. */
  static PolicyState seen() {
    return PolicyState.initial()
        .withActivity(Optional.of(T0.minus(Duration.ofDays(1))), Optional.empty());
  }

  /** A state whose recommendations are {@code (secondsAgo, replicas)} pairs before {@link #T0}. */
  static PolicyState history(int... secondsAgoReplicaPairs) {
    PolicyState s = seen();
    List<int[]> pairs = new ArrayList<>();
    for (int i = 0; i < secondsAgoReplicaPairs.length; i += 2) {
      pairs.add(new int[] {secondsAgoReplicaPairs[i], secondsAgoReplicaPairs[i + 1]});
    }
    pairs.sort((a, b) -> Integer.compare(b[0], a[0]));
    for (int[] p : pairs) {
      s = s.withRecommendation(T0.minusSeconds(p[0]), p[1]);
    }
    return s;
  }

  static Reading aged(double value, int seconds) {
    return new Reading(value, Duration.ofSeconds(seconds));
  }

  static GpuReading gpu(String pod, double util, double temp, long xid) {
    return new GpuReading(pod, pod + "-gpu0", util, 40_000, 40_000, temp, xid);
  }

  static GpuReading gpuFramebuffer(String pod, double usedMiB, double freeMiB) {
    return new GpuReading(pod, pod + "-gpu0", 50, usedMiB, freeMiB, 60, 0);
  }

  static Decision decide(PolicySpec spec, Observation o, PolicyState s) {
    return DecisionEngine.decide(spec, o, s).decision();
  }
}
