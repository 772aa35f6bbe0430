package dev.foresight.policy;

import dev.foresight.policy.forecast.PredictionSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How one workload is scaled: per-signal targets, bounds, tolerance, HPA-style behavior, GPU
 * guard-rails and the idle period before scale to zero. Immutable; build with {@link #builder()},
 * which validates and reports every problem at once.
 *
 * <p>Target units, per signal: {@link Signal#QUEUE} and {@link Signal#RUNNING} requests per
 * replica; {@link Signal#TTFT_P95} and {@link Signal#LATENCY_P95} seconds; {@link Signal#KV_CACHE}
 * a fraction of the cache (0-1]; rate signals per second per replica.
 *
 * @param targets target per signal; a signal without a target makes no proposal
 * @param minReplicas lower bound; 0 allows scale to zero
 * @param maxReplicas upper bound; at least {@code max(1, minReplicas)}
 * @param tolerance HPA tolerance: ratios within {@code 1 ± tolerance} do not change the count
 * @param scaleUp scale-up behavior
 * @param scaleDown scale-down behavior
 * @param guardRails DCGM guard-rail thresholds
 * @param idleBeforeScaleToZero how long the workload must be idle before it scales to zero
 * @param maxSignalAge a reading older than this is stale and makes no proposal
 * @param prediction pre-scaling: forecast, capacity and lead-time learners ({@link
 *     PredictionSpec#disabled()} by default, which leaves every decision purely reactive)
 */
public record PolicySpec(
    Map<Signal, Double> targets,
    int minReplicas,
    int maxReplicas,
    double tolerance,
    ScalingRules scaleUp,
    ScalingRules scaleDown,
    GuardRailSpec guardRails,
    Duration idleBeforeScaleToZero,
    Duration maxSignalAge,
    PredictionSpec prediction) {

  public static final double DEFAULT_TOLERANCE = 0.1;
  public static final Duration DEFAULT_IDLE_BEFORE_SCALE_TO_ZERO = Duration.ofMinutes(5);
  public static final Duration DEFAULT_MAX_SIGNAL_AGE = Duration.ofSeconds(60);

  private static final PredictionSpec NO_PREDICTION = PredictionSpec.disabled();

  public PolicySpec {
    EnumMap<Signal, Double> copy = new EnumMap<>(Signal.class);
    copy.putAll(targets);
    targets = Collections.unmodifiableMap(copy);
    Objects.requireNonNull(scaleUp, "scaleUp");
    Objects.requireNonNull(scaleDown, "scaleDown");
    Objects.requireNonNull(guardRails, "guardRails");
    Objects.requireNonNull(idleBeforeScaleToZero, "idleBeforeScaleToZero");
    Objects.requireNonNull(maxSignalAge, "maxSignalAge");
    Objects.requireNonNull(prediction, "prediction");
  }

  /** A spec without prediction: every decision is purely reactive. */
  public PolicySpec(
      Map<Signal, Double> targets,
      int minReplicas,
      int maxReplicas,
      double tolerance,
      ScalingRules scaleUp,
      ScalingRules scaleDown,
      GuardRailSpec guardRails,
      Duration idleBeforeScaleToZero,
      Duration maxSignalAge) {
    this(
        targets,
        minReplicas,
        maxReplicas,
        tolerance,
        scaleUp,
        scaleDown,
        guardRails,
        idleBeforeScaleToZero,
        maxSignalAge,
        NO_PREDICTION);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this spec's values, to derive a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.targets.putAll(targets);
    b.minReplicas = minReplicas;
    b.maxReplicas = maxReplicas;
    b.tolerance = tolerance;
    b.scaleUp = scaleUp;
    b.scaleDown = scaleDown;
    b.guardRails = guardRails;
    b.idleBeforeScaleToZero = idleBeforeScaleToZero;
    b.maxSignalAge = maxSignalAge;
    b.prediction = prediction;
    return b;
  }

  /** Every problem with this spec; empty when it is valid. */
  public List<InvalidPolicyException.Problem> problems() {
    List<InvalidPolicyException.Problem> problems = new ArrayList<>();
    targets.forEach(
        (signal, target) -> {
          if (target == null || !(target > 0) || Double.isInfinite(target)) {
            problems.add(
                problem("targets." + signal.wireName(), target, "a finite number above 0"));
          } else if (signal == Signal.KV_CACHE && target > 1) {
            problems.add(problem("targets." + signal.wireName(), target, "a fraction in (0, 1]"));
          }
        });
    if (minReplicas < 0) {
      problems.add(problem("minReplicas", minReplicas, "0 or more"));
    }
    if (maxReplicas < 1) {
      problems.add(problem("maxReplicas", maxReplicas, "1 or more"));
    }
    if (minReplicas > maxReplicas) {
      problems.add(
          problem("minReplicas", minReplicas, "at most maxReplicas (" + maxReplicas + ")"));
    }
    if (!(tolerance >= 0 && tolerance < 1)) {
      problems.add(problem("tolerance", tolerance, "a fraction in [0, 1)"));
    }
    checkRules("behavior.scaleUp", scaleUp, problems);
    checkRules("behavior.scaleDown", scaleDown, problems);
    if (!(guardRails.maxTemperatureCelsius() > 0)) {
      problems.add(
          problem(
              "guardRails.maxTemperatureCelsius",
              guardRails.maxTemperatureCelsius(),
              "a temperature above 0"));
    }
    if (!(guardRails.minFramebufferFreeFraction() >= 0
        && guardRails.minFramebufferFreeFraction() < 1)) {
      problems.add(
          problem(
              "guardRails.minFramebufferFreeFraction",
              guardRails.minFramebufferFreeFraction(),
              "a fraction in [0, 1)"));
    }
    if (!(guardRails.lowUtilizationPercent() >= 0 && guardRails.lowUtilizationPercent() <= 100)) {
      problems.add(
          problem(
              "guardRails.lowUtilizationPercent",
              guardRails.lowUtilizationPercent(),
              "a percentage in [0, 100]"));
    }
    if (idleBeforeScaleToZero.isNegative()) {
      problems.add(
          problem("idleBeforeScaleToZero", idleBeforeScaleToZero, "a duration of 0 or more"));
    }
    if (maxSignalAge.isNegative() || maxSignalAge.isZero()) {
      problems.add(problem("maxSignalAge", maxSignalAge, "a positive duration"));
    }
    problems.addAll(prediction.problems());
    return problems;
  }

  private static void checkRules(
      String path, ScalingRules rules, List<InvalidPolicyException.Problem> problems) {
    Duration window = rules.stabilizationWindow();
    if (window.isNegative() || window.compareTo(Duration.ofHours(1)) > 0) {
      problems.add(
          problem(path + ".stabilizationWindowSeconds", window.toSeconds(), "0 to 3600 seconds"));
    }
    if (rules.policies().isEmpty() && rules.select() != ScalingRules.Select.DISABLED) {
      problems.add(problem(path + ".policies", "[]", "at least one policy unless Disabled"));
    }
    for (int i = 0; i < rules.policies().size(); i++) {
      RatePolicy policy = rules.policies().get(i);
      if (policy.value() <= 0) {
        problems.add(problem(path + ".policies[" + i + "].value", policy.value(), "above 0"));
      }
      long seconds = policy.period().toSeconds();
      if (policy.period().isNegative() || seconds <= 0 || seconds > 1800) {
        problems.add(
            problem(path + ".policies[" + i + "].periodSeconds", seconds, "1 to 1800 seconds"));
      }
    }
  }

  private static InvalidPolicyException.Problem problem(
      String field, Object value, String expected) {
    return new InvalidPolicyException.Problem(field, String.valueOf(value), expected);
  }

  /** Collects a spec's values; {@link #build()} validates them all at once. */
  public static final class Builder {
    private final EnumMap<Signal, Double> targets = new EnumMap<>(Signal.class);
    private int minReplicas = 1;
    private int maxReplicas = 10;
    private double tolerance = DEFAULT_TOLERANCE;
    private ScalingRules scaleUp = ScalingRules.hpaDefaultScaleUp();
    private ScalingRules scaleDown = ScalingRules.hpaDefaultScaleDown();
    private GuardRailSpec guardRails = GuardRailSpec.defaults();
    private Duration idleBeforeScaleToZero = DEFAULT_IDLE_BEFORE_SCALE_TO_ZERO;
    private Duration maxSignalAge = DEFAULT_MAX_SIGNAL_AGE;
    private PredictionSpec prediction = NO_PREDICTION;

    private Builder() {}

    public Builder target(Signal signal, double target) {
      targets.put(signal, target);
      return this;
    }

    public Builder minReplicas(int minReplicas) {
      this.minReplicas = minReplicas;
      return this;
    }

    public Builder maxReplicas(int maxReplicas) {
      this.maxReplicas = maxReplicas;
      return this;
    }

    public Builder tolerance(double tolerance) {
      this.tolerance = tolerance;
      return this;
    }

    public Builder scaleUp(ScalingRules scaleUp) {
      this.scaleUp = scaleUp;
      return this;
    }

    public Builder scaleDown(ScalingRules scaleDown) {
      this.scaleDown = scaleDown;
      return this;
    }

    public Builder guardRails(GuardRailSpec guardRails) {
      this.guardRails = guardRails;
      return this;
    }

    public Builder idleBeforeScaleToZero(Duration idle) {
      this.idleBeforeScaleToZero = idle;
      return this;
    }

    public Builder maxSignalAge(Duration maxSignalAge) {
      this.maxSignalAge = maxSignalAge;
      return this;
    }

    /** Pre-scaling settings; {@link PredictionSpec#disabled()} keeps decisions reactive. */
    public Builder prediction(PredictionSpec prediction) {
      this.prediction = prediction;
      return this;
    }

    /**
     * The spec.
     *
     * @throws InvalidPolicyException listing every problem, when any value is invalid
     */
    public PolicySpec build() {
      PolicySpec spec =
          new PolicySpec(
              targets,
              minReplicas,
              maxReplicas,
              tolerance,
              scaleUp,
              scaleDown,
              guardRails,
              idleBeforeScaleToZero,
              maxSignalAge,
              prediction);
      List<InvalidPolicyException.Problem> problems = spec.problems();
      if (!problems.isEmpty()) {
        throw new InvalidPolicyException(problems);
      }
      return spec;
    }
  }
}
