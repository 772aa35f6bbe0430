package dev.foresight.policy;

import dev.foresight.policy.forecast.PredictiveState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The policy's memory of one workload, passed into {@link DecisionEngine#decide} and returned with
 * the decision, so that a decision depends only on its inputs and a sequence can be replayed.
 *
 * <p>It holds what HPA keeps in controller maps: the recent recommendations for the stabilization
 * windows and the recent scale events for the rate policies; plus the instant the workload was last
 * seen active (for scale to zero) and the instant sustained low GPU utilization began.
 *
 * <p>Size is bounded: {@link #prunedFor} drops recommendations older than the longer stabilization
 * window and scale events older than the longest rate-policy period, and only the newest
 * recommendation per replica count is kept (an older equal one can never change a window's minimum
 * or maximum, because the newer one stays in every window the older one is in). So with one
 * decision every {@code Δt}, at most {@code window / Δt + 1} recommendations are held (and never
 * more than there are distinct counts), and at most one scale event per decision in the longest
 * period.
 *
 * @param recommendations recommendations recorded by earlier decisions, oldest first
 * @param scaleUpEvents scale-ups made by earlier decisions, oldest first
 * @param scaleDownEvents scale-downs made by earlier decisions, oldest first
 * @param lastSeenActive the last observation instant at which the workload was not proven idle
 *     (something ran, waited or arrived, or the idle signals were missing or stale); empty before
 *     the first decision
 * @param lowUtilizationSince the instant from which every observation showed mean GPU utilization
 *     below the low-utilization threshold with an empty queue; empty when the last one did not
 * @param predictive the pre-scaling learners (load forecaster, capacity, lead time); empty until
 *     the first decision with prediction enabled. Bounded by the prediction spec's windows and
 *     season.
 * @param standingAsk the node-supply rule's standing ask: the recommendation behind the replicas
 *     still waiting for nodes ({@link dev.foresight.policy.supply.SupplyOutcome#standingAsk()});
 *     empty when none wait or supply is not observed
 * @param lastAsked the count the last decision asked for, which KEDA or HPA is taking the target
 *     to. Rate policies count from it rather than from the observed count: HPA, the actuator,
 *     counts from what it last wrote, while the count Foresight observes lags its own ask by up to
 *     an HPA sync period, and counting the same ask again every tick would shrink the limit below
 *     the current count. Empty before the first decision.
 */
public record PolicyState(
    List<Recommendation> recommendations,
    List<ScaleEvent> scaleUpEvents,
    List<ScaleEvent> scaleDownEvents,
    Optional<Instant> lastSeenActive,
    Optional<Instant> lowUtilizationSince,
    Optional<PredictiveState> predictive,
    OptionalInt standingAsk,
    OptionalInt lastAsked) {

  private static final PolicyState INITIAL =
      new PolicyState(List.of(), List.of(), List.of(), Optional.empty(), Optional.empty());

  /**
   * One recommendation, as HPA's {@code timestampedRecommendation}.
   *
   * @param at the observation instant it was made at
   * @param replicas the recommended count before stabilization, rate policies and bounds
   */
  public record Recommendation(Instant at, int replicas) {
    public Recommendation {
      Objects.requireNonNull(at, "at");
      if (replicas < 0) {
        throw new IllegalArgumentException(
            "recommended replicas must not be negative: " + replicas);
      }
    }
  }

  /**
   * One scale event, as HPA's {@code timestampedScaleEvent}.
   *
   * @param at the observation instant of the decision that made it
   * @param change replicas added (in the scale-up list) or removed (in the scale-down list); above
   *     0
   */
  public record ScaleEvent(Instant at, int change) {
    public ScaleEvent {
      Objects.requireNonNull(at, "at");
      if (change <= 0) {
        throw new IllegalArgumentException("scale event change must be above 0: " + change);
      }
    }
  }

  public PolicyState {
    recommendations = List.copyOf(recommendations);
    scaleUpEvents = List.copyOf(scaleUpEvents);
    scaleDownEvents = List.copyOf(scaleDownEvents);
    Objects.requireNonNull(lastSeenActive, "lastSeenActive");
    Objects.requireNonNull(lowUtilizationSince, "lowUtilizationSince");
    Objects.requireNonNull(predictive, "predictive");
    Objects.requireNonNull(standingAsk, "standingAsk");
    Objects.requireNonNull(lastAsked, "lastAsked");
  }

  /** A state without pre-scaling learners or a standing node-supply ask. */
  public PolicyState(
      List<Recommendation> recommendations,
      List<ScaleEvent> scaleUpEvents,
      List<ScaleEvent> scaleDownEvents,
      Optional<Instant> lastSeenActive,
      Optional<Instant> lowUtilizationSince) {
    this(
        recommendations,
        scaleUpEvents,
        scaleDownEvents,
        lastSeenActive,
        lowUtilizationSince,
        Optional.empty(),
        OptionalInt.empty(),
        OptionalInt.empty());
  }

  /** The state of a workload never evaluated before: no history at all. */
  public static PolicyState initial() {
    return INITIAL;
  }

  /**
   * A copy with {@code replicas} recorded as recommended at {@code at}; an older recommendation of
   * the same count is replaced (it can no longer affect any window).
   */
  public PolicyState withRecommendation(Instant at, int replicas) {
    List<Recommendation> next = new ArrayList<>(recommendations.size() + 1);
    for (Recommendation r : recommendations) {
      if (r.replicas() != replicas) {
        next.add(r);
      }
    }
    next.add(new Recommendation(at, replicas));
    return new PolicyState(
        next,
        scaleUpEvents,
        scaleDownEvents,
        lastSeenActive,
        lowUtilizationSince,
        predictive,
        standingAsk,
        lastAsked);
  }

  /** A copy with the change from {@code from} to {@code to} replicas recorded at {@code at}. */
  public PolicyState withScaleEvent(Instant at, int from, int to) {
    if (to == from) {
      return this;
    }
    List<ScaleEvent> up = scaleUpEvents;
    List<ScaleEvent> down = scaleDownEvents;
    if (to > from) {
      up = appended(up, new ScaleEvent(at, to - from));
    } else {
      down = appended(down, new ScaleEvent(at, from - to));
    }
    return new PolicyState(
        recommendations,
        up,
        down,
        lastSeenActive,
        lowUtilizationSince,
        predictive,
        standingAsk,
        lastAsked);
  }

  /**
   * A copy recording that a decision asked for {@code desired} at {@code at}: the change from the
   * previous ask (or from {@code current} before the first) becomes a scale event, and {@code
   * desired} the new ask.
   */
  public PolicyState withAsk(Instant at, int current, int desired) {
    PolicyState recorded = withScaleEvent(at, lastAsked.orElse(current), desired);
    if (recorded.lastAsked.equals(OptionalInt.of(desired))) {
      return recorded;
    }
    return new PolicyState(
        recorded.recommendations,
        recorded.scaleUpEvents,
        recorded.scaleDownEvents,
        lastSeenActive,
        lowUtilizationSince,
        predictive,
        standingAsk,
        OptionalInt.of(desired));
  }

  /** A copy with the activity and low-utilization instants replaced. */
  public PolicyState withActivity(
      Optional<Instant> lastSeenActive, Optional<Instant> lowUtilizationSince) {
    return new PolicyState(
        recommendations,
        scaleUpEvents,
        scaleDownEvents,
        lastSeenActive,
        lowUtilizationSince,
        predictive,
        standingAsk,
        lastAsked);
  }

  /** A copy with the pre-scaling learners replaced. */
  public PolicyState withPredictive(PredictiveState predictive) {
    return new PolicyState(
        recommendations,
        scaleUpEvents,
        scaleDownEvents,
        lastSeenActive,
        lowUtilizationSince,
        Optional.of(predictive),
        standingAsk,
        lastAsked);
  }

  /** A copy with the node-supply rule's standing ask replaced. */
  public PolicyState withStandingAsk(OptionalInt standingAsk) {
    if (standingAsk.equals(this.standingAsk)) {
      return this;
    }
    return new PolicyState(
        recommendations,
        scaleUpEvents,
        scaleDownEvents,
        lastSeenActive,
        lowUtilizationSince,
        predictive,
        standingAsk,
        lastAsked);
  }

  /**
   * A copy without the entries {@code spec} can no longer use at {@code now}: recommendations not
   * after {@code now − max(scale-up window, scale-down window)} and scale events not after {@code
   * now − longest policy period} (both directions' events count in both directions' limits, as in
   * HPA).
   */
  public PolicyState prunedFor(PolicySpec spec, Instant now) {
    return prunedFor(spec, now, spec.scaleDown().stabilizationWindow());
  }

  /**
   * As {@link #prunedFor(PolicySpec, Instant)}, with {@code scaleDownWindow} in place of the spec's
   * scale-down stabilization window (the engine derives one from the lead time when the spec sets
   * none).
   */
  public PolicyState prunedFor(PolicySpec spec, Instant now, Duration scaleDownWindow) {
    Duration window = longer(spec.scaleUp().stabilizationWindow(), scaleDownWindow);
    Duration period = longer(longestPeriod(spec.scaleUp()), longestPeriod(spec.scaleDown()));
    Instant recommendationCutoff = now.minus(window);
    Instant eventCutoff = now.minus(period);
    List<Recommendation> keptRecommendations =
        after(recommendations, Recommendation::at, recommendationCutoff);
    List<ScaleEvent> keptUp = after(scaleUpEvents, ScaleEvent::at, eventCutoff);
    List<ScaleEvent> keptDown = after(scaleDownEvents, ScaleEvent::at, eventCutoff);
    if (keptRecommendations == recommendations
        && keptUp == scaleUpEvents
        && keptDown == scaleDownEvents) {
      return this;
    }
    return new PolicyState(
        keptRecommendations,
        keptUp,
        keptDown,
        lastSeenActive,
        lowUtilizationSince,
        predictive,
        standingAsk,
        lastAsked);
  }

  /** {@code entries} at instants after {@code cutoff}; the same list when none is dropped. */
  private static <T> List<T> after(
      List<T> entries, java.util.function.Function<T, Instant> at, Instant cutoff) {
    int kept = 0;
    for (T e : entries) {
      if (at.apply(e).isAfter(cutoff)) {
        kept++;
      }
    }
    if (kept == entries.size()) {
      return entries;
    }
    List<T> out = new ArrayList<>(kept);
    for (T e : entries) {
      if (at.apply(e).isAfter(cutoff)) {
        out.add(e);
      }
    }
    return out;
  }

  private static Duration longestPeriod(ScalingRules rules) {
    Duration longest = Duration.ZERO;
    for (RatePolicy policy : rules.policies()) {
      longest = longer(longest, policy.period());
    }
    return longest;
  }

  private static Duration longer(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static <T> List<T> appended(List<T> list, T item) {
    List<T> next = new ArrayList<>(list.size() + 1);
    next.addAll(list);
    next.add(item);
    return next;
  }
}
