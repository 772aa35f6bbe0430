package dev.foresight.policy.forecast;

import dev.foresight.policy.Prediction;
import dev.foresight.policy.capacity.CapacityEstimator;
import dev.foresight.policy.capacity.CapacityObservation;
import dev.foresight.policy.coldstart.LeadTimeEstimator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything one workload's pre-scaling remembers: the load forecaster, the capacity learner and
 * the lead-time learner. A value: every observation returns a new state, so it can live in the
 * policy state record and be replayed or rebuilt.
 *
 * <p>Residuals are tracked at the longest current lead time (pod start-up plus node provisioning),
 * so the upper bound is calibrated for the horizon that matters most.
 *
 * <p>Integration in a decision, in a few lines:
 *
 * <pre>{@code
 * PredictiveState p = state.prediction()
 *     .observeLoad(obs.at(), load)
 *     .observeCapacity(new CapacityObservation(obs.readyReplicas(), load, sloMet, queued));
 * Optional<Prediction> prediction = p.predict(spec, obs.at(), nodeNeeded);
 * int desired = Math.max(reactive,
 *     prediction.filter(Prediction::acting).map(Prediction::replicas).orElse(0));
 * int keep = p.replicasNeededWithin(spec, obs.at(), nodeNeeded).orElse(0); // scale-down floor
 * }</pre>
 */
public record PredictiveState(
    LoadForecaster load, CapacityEstimator capacity, LeadTimeEstimator leadTime) {

  /** A load sample older than this many sample intervals makes no prediction. */
  public static final int MAX_SAMPLE_AGE_INTERVALS = 3;

  public PredictiveState {
    Objects.requireNonNull(load, "load");
    Objects.requireNonNull(capacity, "capacity");
    Objects.requireNonNull(leadTime, "leadTime");
  }

  /** The state of a workload that has been observed never. */
  public static PredictiveState initial(PredictionSpec spec) {
    return new PredictiveState(
        LoadForecaster.empty(spec.forecasterSettings()),
        CapacityEstimator.empty(spec.capacitySettings()),
        LeadTimeEstimator.empty(spec.leadTimeSettings()));
  }

  /**
   * A state whose forecaster is rebuilt from load history (the learners start from their priors).
   */
  public static PredictiveState rebuild(PredictionSpec spec, List<TimedLoad> history) {
    PredictiveState initial = initial(spec);
    return new PredictiveState(
        LoadForecaster.rebuild(spec.forecasterSettings(), history, initial.trackedHorizon()),
        initial.capacity,
        initial.leadTime);
  }

  /** The horizon whose forecast residuals are tracked: the longest current lead time. */
  public Duration trackedHorizon() {
    return leadTime.estimate().total(true);
  }

  /** With the load sample at {@code at}. */
  public PredictiveState observeLoad(Instant at, LoadSample sample) {
    return new PredictiveState(load.update(at, sample, trackedHorizon()), capacity, leadTime);
  }

  /** With an interval's service observation (learned from if it qualifies). */
  public PredictiveState observeCapacity(CapacityObservation observation) {
    return new PredictiveState(load, capacity.observe(observation), leadTime);
  }

  /** With one more pod start-up (creation, or node initialized if later, to Ready). */
  public PredictiveState observePodStartup(Duration startup) {
    return new PredictiveState(load, capacity, leadTime.withPodStartup(startup));
  }

  /** With one more node provisioning (node claim created to node initialized). */
  public PredictiveState observeNodeProvisioning(Duration provisioning) {
    return new PredictiveState(load, capacity, leadTime.withNodeProvisioning(provisioning));
  }

  /** The lead time a new replica needs now. */
  public Duration leadTime(boolean nodeNeeded) {
    return leadTime.estimate().total(nodeNeeded);
  }

  /**
   * The predictive proposal at {@code now}: the forecast at now + lead time and the replicas its
   * upper bound needs. Empty when prediction is disabled, before the first load sample, or when the
   * last sample is older than {@value #MAX_SAMPLE_AGE_INTERVALS} sample intervals (stale data never
   * proposes).
   *
   * @param nodeNeeded whether a new replica needs a new node (adds node provisioning to the lead)
   */
  public Optional<Prediction> predict(PredictionSpec spec, Instant now, boolean nodeNeeded) {
    if (!spec.enabled()) {
      return Optional.empty();
    }
    Duration lead = leadTime(nodeNeeded);
    return forecastAt(spec, now, lead, false)
        .map(
            forecast ->
                PredictionArithmetic.prediction(
                    forecast,
                    capacity.estimate(),
                    lead,
                    spec.residualQuantile(),
                    !spec.observeOnly()));
  }

  /**
   * Replicas the forecast needs at any time within lead time + {@code scaleDownMargin} of {@code
   * now}: a scale-down below this would remove a replica that must be started again before it could
   * be ready. Empty when {@link #predict} would be.
   */
  public OptionalInt replicasNeededWithin(PredictionSpec spec, Instant now, boolean nodeNeeded) {
    if (!spec.enabled()) {
      return OptionalInt.empty();
    }
    Duration window = leadTime(nodeNeeded).plus(spec.scaleDownMargin());
    return forecastAt(spec, now, window, true)
        .map(
            peak ->
                OptionalInt.of(
                    PredictionArithmetic.replicas(peak, capacity.estimate().perReplica())))
        .orElse(OptionalInt.empty());
  }

  /**
   * The scale-down stabilization window to use when the policy sets none: lead time plus margin, so
   * a replica is not removed for a dip shorter than the time it takes to bring it back.
   */
  public Duration derivedScaleDownWindow(PredictionSpec spec, boolean nodeNeeded) {
    return leadTime(nodeNeeded).plus(spec.scaleDownMargin());
  }

  private Optional<LoadForecast> forecastAt(
      PredictionSpec spec, Instant now, Duration ahead, boolean peak) {
    Optional<Instant> last = load.lastSampleAt();
    if (last.isEmpty()) {
      return Optional.empty();
    }
    Duration age = Duration.between(last.get(), now);
    if (age.isNegative()) {
      age = Duration.ZERO;
    }
    if (age.compareTo(spec.sampleInterval().multipliedBy(MAX_SAMPLE_AGE_INTERVALS)) > 0) {
      return Optional.empty();
    }
    Duration horizon = ahead.plus(age);
    return peak ? load.peak(horizon) : load.forecast(horizon);
  }
}
