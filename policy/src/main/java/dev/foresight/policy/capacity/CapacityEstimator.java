package dev.foresight.policy.capacity;

import dev.foresight.policy.forecast.SlidingWindow;
import java.util.Objects;

/**
 * Learns what one replica sustains within the SLO from what replicas were seen to serve. Immutable;
 * each observation returns a new estimator.
 *
 * <p>An observation <em>qualifies</em> when the SLO was met, at most {@code maxQueuePerReplica}
 * requests per replica were waiting, at least one replica was Ready and requests arrived. From the
 * last {@code window} qualifying observations, per dimension {@code d} (requests, prompt tokens,
 * generation tokens per second):
 *
 * <pre>
 * perReplica_d = Q_q( load_d / readyReplicas )    when at least minSamples qualified
 *              = prior_d                            otherwise
 * </pre>
 *
 * with {@code Q_q} the type-7 quantile (see {@link SlidingWindow}). The result is the busiest load
 * per replica that was served within the SLO, skipping the top {@code 1 - q} as outliers; it is a
 * lower bound of the true capacity (a replica never pushed to its limit is never seen at it), which
 * errs towards more replicas. A token dimension whose learned value is 0 (the rate is not reported)
 * falls back to its prior.
 *
 * <p>Usage: {@code estimator = estimator.observe(new CapacityObservation(ready, load, sloMet,
 * queued)); double perReplica = estimator.estimate().perReplica().requestsPerSecond();}
 */
public final class CapacityEstimator {

  private final CapacitySettings settings;
  private final SlidingWindow requests;
  private final SlidingWindow promptTokens;
  private final SlidingWindow generationTokens;

  private CapacityEstimator(
      CapacitySettings settings,
      SlidingWindow requests,
      SlidingWindow promptTokens,
      SlidingWindow generationTokens) {
    this.settings = settings;
    this.requests = requests;
    this.promptTokens = promptTokens;
    this.generationTokens = generationTokens;
  }

  /** An estimator that has observed nothing and answers with the prior. */
  public static CapacityEstimator empty(CapacitySettings settings) {
    Objects.requireNonNull(settings, "settings");
    SlidingWindow window = SlidingWindow.empty(settings.window());
    return new CapacityEstimator(settings, window, window, window);
  }

  public CapacitySettings settings() {
    return settings;
  }

  /** Whether {@code observation} says something about capacity (see the class comment). */
  public boolean qualifies(CapacityObservation observation) {
    int ready = observation.readyReplicas();
    return observation.sloMet()
        && ready > 0
        && observation.load().requestRate() > 0
        && observation.queuedRequests() <= settings.maxQueuePerReplica() * ready;
  }

  /** With {@code observation} learned from if it qualifies; this estimator otherwise. */
  public CapacityEstimator observe(CapacityObservation observation) {
    Objects.requireNonNull(observation, "observation");
    if (!qualifies(observation)) {
      return this;
    }
    double ready = observation.readyReplicas();
    return new CapacityEstimator(
        settings,
        requests.push(observation.load().requestRate() / ready),
        promptTokens.push(observation.load().promptTokenRate() / ready),
        generationTokens.push(observation.load().generationTokenRate() / ready));
  }

  /** The capacity per replica in use now. */
  public CapacityEstimate estimate() {
    Capacity prior = settings.prior();
    boolean learned = requests.size() >= settings.minSamples();
    if (!learned) {
      return new CapacityEstimate(prior, false, requests.size());
    }
    return new CapacityEstimate(
        new Capacity(
            learnedOr(requests, prior.requestsPerSecond()),
            learnedOr(promptTokens, prior.promptTokensPerSecond()),
            learnedOr(generationTokens, prior.generationTokensPerSecond())),
        true,
        requests.size());
  }

  private double learnedOr(SlidingWindow window, double prior) {
    double learned = window.quantile(settings.quantile());
    return learned > 0 ? learned : prior;
  }
}
