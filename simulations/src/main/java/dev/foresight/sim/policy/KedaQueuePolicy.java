package dev.foresight.sim.policy;

import dev.foresight.policy.Observation;
import dev.foresight.policy.Reading;
import dev.foresight.policy.Signal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * KEDA's Prometheus scaler on {@code sum(vllm:num_requests_waiting)}: {@code metricType:
 * AverageValue}, {@code threshold: 4}, {@code activationThreshold: 0}, {@code pollingInterval: 30},
 * {@code cooldownPeriod: 300}.
 *
 * <p>Two loops, as in a cluster. KEDA's operator polls every {@code pollingInterval}: the trigger
 * is active when the metric exceeds the activation threshold; an active trigger at 0 replicas
 * scales the target to {@code max(1, minReplicaCount)}; with {@code minReplicaCount 0}, a trigger
 * inactive for {@code cooldownPeriod} since it was last active scales the target to 0. Between 1
 * and max, the HPA that KEDA creates ({@code minReplicas = max(1, minReplicaCount)}) syncs every 15
 * s on the External metric with an AverageValue target ({@link
 * HpaAlgorithm#externalPerPodReplicas}) and HPA's default behavior; at 0 replicas the HPA is
 * disabled.
 *
 * <p>A waiting-queue trigger is inactive whenever nothing waits, which on a well-provisioned fleet
 * is most of the time: with KEDA's default {@code minReplicaCount: 0} the workload is scaled to
 * zero under steady load ({@code keda-queue-zero}); the usual production setting is 1 ({@code
 * keda-queue}).
 */
public final class KedaQueuePolicy implements ScalingPolicy {
  public static final String NAME = "keda-queue";
  public static final String NAME_SCALE_TO_ZERO = "keda-queue-zero";

  public static final double THRESHOLD = 4;
  public static final double ACTIVATION_THRESHOLD = 0;
  public static final Duration POLLING_INTERVAL = Duration.ofSeconds(30);
  public static final Duration COOLDOWN_PERIOD = Duration.ofSeconds(300);

  private final int minReplicaCount;
  private final HpaController hpa;
  private Instant lastPoll;
  private Instant lastActive;

  public KedaQueuePolicy(int minReplicaCount, int maxReplicaCount) {
    this.minReplicaCount = minReplicaCount;
    this.hpa = HpaController.withDefaultBehavior(Math.max(1, minReplicaCount), maxReplicaCount);
  }

  static ScalingPolicy create(PolicyEnvironment env) {
    return new KedaQueuePolicy(env.config().minReplicas(), env.config().maxReplicas());
  }

  static ScalingPolicy createScaleToZero(PolicyEnvironment env) {
    return new KedaQueuePolicy(0, env.config().maxReplicas());
  }

  @Override
  public Duration interval() {
    return Duration.ofSeconds(15);
  }

  @Override
  public int evaluate(Observation o) {
    Instant now = o.at();
    int current = o.currentReplicas();
    Optional<Double> metric =
        o.signals().get(Signal.QUEUE).map(Reading::value).filter(Double::isFinite);
    if (lastActive == null) {
      lastActive = now;
    }
    if (lastPoll == null || !now.isBefore(lastPoll.plus(POLLING_INTERVAL))) {
      lastPoll = now;
      boolean active = metric.isPresent() && metric.get() > ACTIVATION_THRESHOLD;
      if (active) {
        lastActive = now;
        if (current == 0) {
          return Math.max(1, minReplicaCount);
        }
      } else if (minReplicaCount == 0
          && current > 0
          && !now.isBefore(lastActive.plus(COOLDOWN_PERIOD))) {
        return 0;
      }
    }
    if (current == 0) {
      return 0;
    }
    OptionalInt proposal =
        metric.isPresent()
            ? OptionalInt.of(
                HpaAlgorithm.externalPerPodReplicas(
                    current, metric.get(), THRESHOLD, HpaAlgorithm.DEFAULT_TOLERANCE))
            : OptionalInt.empty();
    return hpa.reconcile(now, current, proposal);
  }
}
