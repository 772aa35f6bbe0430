package dev.foresight.policy.coldstart;

import dev.foresight.policy.forecast.InvalidSampleException;
import dev.foresight.policy.forecast.SlidingWindow;
import java.time.Duration;
import java.util.Objects;

/**
 * Learns a workload's cold-start lead time from observed start-ups. Immutable; each observation
 * returns a new estimator. Durations are plain inputs: collecting them from Kubernetes is the
 * controller's job.
 *
 * <p>Two independent windows of the last {@code window} durations, in seconds: pod start-ups
 * (creation, or the node becoming initialized if later, to Ready) and node provisionings (node
 * claim created to node initialized). Each estimate is
 *
 * <pre>
 * estimate = Q_q(last window durations)   when at least minSamples were observed
 *          = prior                          otherwise
 * </pre>
 *
 * with {@code Q_q} the type-7 quantile (see {@link SlidingWindow}); {@code q = 0.9} by default. A
 * high quantile covers most start-ups without being set by the slowest one: in a window of {@code
 * n}, up to {@code floor((1 - q)(n - 1))} outliers above the bulk do not move the estimate (2 of 20
 * at p90 barely, 1 of 20 not at all). After a shift in start-up time, the estimate reaches the new
 * level once more than {@code (1 - q) n} new samples arrived when the shift is upward, and once the
 * window is refilled when it is downward: always within one window.
 *
 * <p>Usage:
 *
 * <pre>{@code
 * LeadTimeEstimator lead = LeadTimeEstimator.empty(settings);
 * lead = lead.withPodStartup(Duration.ofSeconds(95));
 * Duration horizon = lead.estimate().total(nodeNeeded);
 * }</pre>
 */
public final class LeadTimeEstimator {

  private final LeadTimeSettings settings;
  private final SlidingWindow podStartups;
  private final SlidingWindow nodeProvisionings;

  private LeadTimeEstimator(
      LeadTimeSettings settings, SlidingWindow podStartups, SlidingWindow nodeProvisionings) {
    this.settings = settings;
    this.podStartups = podStartups;
    this.nodeProvisionings = nodeProvisionings;
  }

  /** An estimator that has observed nothing and answers with the priors. */
  public static LeadTimeEstimator empty(LeadTimeSettings settings) {
    Objects.requireNonNull(settings, "settings");
    SlidingWindow window = SlidingWindow.empty(settings.window());
    return new LeadTimeEstimator(settings, window, window);
  }

  public LeadTimeSettings settings() {
    return settings;
  }

  /**
   * With one more pod start-up.
   *
   * @param startup creation (or node initialized, if later) to Ready; positive
   * @throws InvalidSampleException when {@code startup} is zero or negative
   */
  public LeadTimeEstimator withPodStartup(Duration startup) {
    return new LeadTimeEstimator(
        settings, podStartups.push(seconds("podStartup", startup)), nodeProvisionings);
  }

  /**
   * With one more node provisioning.
   *
   * @param provisioning node claim created to node initialized; positive
   * @throws InvalidSampleException when {@code provisioning} is zero or negative
   */
  public LeadTimeEstimator withNodeProvisioning(Duration provisioning) {
    return new LeadTimeEstimator(
        settings, podStartups, nodeProvisionings.push(seconds("nodeProvisioning", provisioning)));
  }

  /** The current estimate of both parts (see the class comment). */
  public LeadTime estimate() {
    boolean podLearned = podStartups.size() >= settings.minSamples();
    boolean nodeLearned = nodeProvisionings.size() >= settings.minSamples();
    return new LeadTime(
        podLearned ? quantile(podStartups) : settings.podStartupPrior(),
        nodeLearned ? quantile(nodeProvisionings) : settings.nodeProvisioningPrior(),
        podLearned,
        nodeLearned,
        podStartups.size(),
        nodeProvisionings.size());
  }

  private Duration quantile(SlidingWindow window) {
    return Duration.ofMillis(Math.round(1000 * window.quantile(settings.quantile())));
  }

  private static double seconds(String field, Duration duration) {
    Objects.requireNonNull(duration, field);
    if (duration.isNegative() || duration.isZero()) {
      throw new InvalidSampleException(field, duration, "a positive duration");
    }
    return duration.toMillis() / 1000.0;
  }
}
