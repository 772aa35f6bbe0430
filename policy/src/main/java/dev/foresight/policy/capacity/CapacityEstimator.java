package dev.foresight.policy.capacity;

import dev.foresight.policy.forecast.SlidingWindow;
import java.util.Objects;

/**
 * Learns what one replica sustains within the SLO from what replicas were seen to serve when they
 * were busy. Immutable; each observation returns a new estimator.
 *
 * <p>An observation <em>qualifies</em> when the SLO was met, at least one replica was Ready,
 * requests arrived, at most {@code maxQueuePerReplica} requests per replica were waiting, and the
 * replicas were <em>busy</em>:
 *
 * <pre>
 * busy = queuedRequests &gt; 0                                 (requests waited for a batch slot)
 *     or kvCacheUsage ≥ {@value #BUSY_KV_CACHE_USAGE}                                (batch nearly full)
 * </pre>
 *
 * Only a busy replica's load says anything about its capacity: on an over-provisioned fleet each
 * replica serves little, and taking that as capacity would make the forecast ask for more replicas,
 * which lowers the load per replica and the learned capacity further, a ratchet without end. From
 * the last {@code window} qualifying observations, per dimension {@code d} (requests, prompt
 * tokens, generation tokens per second):
 *
 * <pre>
 * learned_d    = Q_q( load_d / readyReplicas )          over qualifying observations
 * missed_d     = Q_0.5( load_d / readyReplicas )        over observations that missed the SLO
 *                                                       (+∞ when none)
 * perReplica_d = max( learned_d, min(prior_d, missed_d) )   when at least minSamples qualified
 *              = prior_d                                    otherwise
 * </pre>
 *
 * with {@code Q_q} the type-7 quantile (see {@link SlidingWindow}). {@code learned_d} is the
 * busiest load per replica served within the SLO, skipping the top {@code 1 - q} as outliers: a
 * lower bound of the true capacity. It may raise the estimate above the prior freely, but lower it
 * below the prior only as far as the SLO was seen to be missed: without a miss the prior (from a
 * load test) stands, and with misses at a median load {@code m} per replica the estimate goes no
 * lower than {@code m}. A token dimension whose learned value is 0 (the rate is not reported) falls
 * back to its prior.
 *
 * <p>Usage: {@code estimator = estimator.observe(new CapacityObservation(ready, load, sloMet,
 * queued, kvCacheUsage)); double perReplica =
 * estimator.estimate().perReplica().requestsPerSecond();}
 */
public final class CapacityEstimator {

  /**
   * KV-cache usage (fraction of the cache) at or above which a replica counts as busy: the
   * scheduler admits sequences until the cache is full, so a cache this full means the batch is
   * near its limit.
   */
  public static final double BUSY_KV_CACHE_USAGE = 0.7;

  private static final double MISSED_QUANTILE = 0.5;

  private final CapacitySettings settings;
  private final SlidingWindow requests;
  private final SlidingWindow promptTokens;
  private final SlidingWindow generationTokens;
  private final SlidingWindow missedRequests;
  private final SlidingWindow missedPromptTokens;
  private final SlidingWindow missedGenerationTokens;

  private CapacityEstimator(
      CapacitySettings settings,
      SlidingWindow requests,
      SlidingWindow promptTokens,
      SlidingWindow generationTokens,
      SlidingWindow missedRequests,
      SlidingWindow missedPromptTokens,
      SlidingWindow missedGenerationTokens) {
    this.settings = settings;
    this.requests = requests;
    this.promptTokens = promptTokens;
    this.generationTokens = generationTokens;
    this.missedRequests = missedRequests;
    this.missedPromptTokens = missedPromptTokens;
    this.missedGenerationTokens = missedGenerationTokens;
  }

  /** An estimator that has observed nothing and answers with the prior. */
  public static CapacityEstimator empty(CapacitySettings settings) {
    Objects.requireNonNull(settings, "settings");
    SlidingWindow window = SlidingWindow.empty(settings.window());
    return new CapacityEstimator(settings, window, window, window, window, window, window);
  }

  public CapacitySettings settings() {
    return settings;
  }

  /** Whether {@code observation} shows the replicas busy (see the class comment). */
  public static boolean busy(CapacityObservation observation) {
    return observation.queuedRequests() > 0
        || observation.kvCacheUsage() >= BUSY_KV_CACHE_USAGE; // false for NaN
  }

  /** Whether {@code observation} teaches the capacity served within the SLO (class comment). */
  public boolean qualifies(CapacityObservation observation) {
    int ready = observation.readyReplicas();
    return observation.sloMet()
        && ready > 0
        && observation.load().requestRate() > 0
        && busy(observation)
        && observation.queuedRequests() <= settings.maxQueuePerReplica() * ready;
  }

  /** Whether {@code observation} is evidence of a load per replica that missed the SLO. */
  private static boolean missed(CapacityObservation observation) {
    return !observation.sloMet()
        && observation.readyReplicas() > 0
        && observation.load().requestRate() > 0;
  }

  /** With {@code observation} learned from if it qualifies or missed the SLO; this otherwise. */
  public CapacityEstimator observe(CapacityObservation observation) {
    Objects.requireNonNull(observation, "observation");
    double ready = observation.readyReplicas();
    if (qualifies(observation)) {
      return new CapacityEstimator(
          settings,
          requests.push(observation.load().requestRate() / ready),
          promptTokens.push(observation.load().promptTokenRate() / ready),
          generationTokens.push(observation.load().generationTokenRate() / ready),
          missedRequests,
          missedPromptTokens,
          missedGenerationTokens);
    }
    if (missed(observation)) {
      return new CapacityEstimator(
          settings,
          requests,
          promptTokens,
          generationTokens,
          missedRequests.push(observation.load().requestRate() / ready),
          missedPromptTokens.push(observation.load().promptTokenRate() / ready),
          missedGenerationTokens.push(observation.load().generationTokenRate() / ready));
    }
    return this;
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
            perReplica(requests, missedRequests, prior.requestsPerSecond()),
            perReplica(promptTokens, missedPromptTokens, prior.promptTokensPerSecond()),
            perReplica(
                generationTokens, missedGenerationTokens, prior.generationTokensPerSecond())),
        true,
        requests.size());
  }

  private double perReplica(SlidingWindow served, SlidingWindow missed, double prior) {
    double learned = served.quantile(settings.quantile());
    if (!(learned > 0)) {
      return prior;
    }
    double missedLoad =
        missed.size() == 0 ? Double.POSITIVE_INFINITY : missed.quantile(MISSED_QUANTILE);
    double floor = missedLoad > 0 ? Math.min(prior, missedLoad) : prior;
    return Math.max(learned, floor);
  }
}
