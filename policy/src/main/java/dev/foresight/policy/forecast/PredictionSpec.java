package dev.foresight.policy.forecast;

import dev.foresight.policy.InvalidPolicyException;
import dev.foresight.policy.capacity.Capacity;
import dev.foresight.policy.capacity.CapacitySettings;
import dev.foresight.policy.coldstart.LeadTimeSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How one workload is pre-scaled: forecaster, capacity learner and lead-time learner settings.
 * Immutable; build with {@link #builder()}, which validates and reports every problem at once
 * (field names are prefixed {@code prediction.}).
 *
 * @param enabled whether a predictive proposal is computed at all
 * @param observeOnly compute and audit the predictive proposal without letting it act
 * @param seasonPeriod samples per season (a day): 1,440 at 1-minute samples, 288 at 5 minutes
 * @param sampleInterval time between two forecaster samples
 * @param residualQuantile level of the residual quantile added to the point forecast, in (0, 1)
 * @param residualWindow recent forecast residuals kept per model (model choice and upper bound)
 * @param trendWindow recent samples the short-term trend line is fitted to
 * @param maxHorizon longest horizon whose forecast residuals are tracked; at least the prior lead
 *     time including node provisioning
 * @param smoothing Holt-Winters smoothing constants
 * @param capacityPrior capacity per replica assumed until learned (from a load test)
 * @param capacityQuantile level of the learned capacity quantile, in (0, 1)
 * @param capacityMinSamples qualifying observations before the learned capacity is used
 * @param capacityWindow qualifying observations kept
 * @param capacityMaxQueuePerReplica queue per replica up to which an observation counts as "queue
 *     short"
 * @param leadTimePrior pod start-up time assumed until learned
 * @param nodeProvisioningPrior node provisioning time assumed until learned; zero without node
 *     autoscaling
 * @param leadTimeQuantile level of the learned lead-time quantile, in (0, 1)
 * @param leadTimeWindow start-ups of each kind kept
 * @param leadTimeMinSamples start-ups before the learned lead time is used
 * @param scaleDownMargin how far beyond the lead time a replica the forecast needs again is kept
 */
public record PredictionSpec(
    boolean enabled,
    boolean observeOnly,
    int seasonPeriod,
    Duration sampleInterval,
    double residualQuantile,
    int residualWindow,
    int trendWindow,
    Duration maxHorizon,
    HoltWintersParameters smoothing,
    Capacity capacityPrior,
    double capacityQuantile,
    int capacityMinSamples,
    int capacityWindow,
    double capacityMaxQueuePerReplica,
    Duration leadTimePrior,
    Duration nodeProvisioningPrior,
    double leadTimeQuantile,
    int leadTimeWindow,
    int leadTimeMinSamples,
    Duration scaleDownMargin) {

  /** Largest season, in samples: a week at 30 s. Bounds the memory of one workload's state. */
  public static final int MAX_SEASON_PERIOD = 20_160;

  public static final int DEFAULT_SEASON_PERIOD = 1440;
  public static final Duration DEFAULT_SAMPLE_INTERVAL = Duration.ofMinutes(1);
  public static final double DEFAULT_QUANTILE = 0.9;
  public static final int DEFAULT_RESIDUAL_WINDOW = 120;
  public static final int DEFAULT_TREND_WINDOW = 30;
  public static final Duration DEFAULT_MAX_HORIZON = Duration.ofMinutes(30);
  public static final Capacity DEFAULT_CAPACITY_PRIOR = Capacity.requests(1);
  public static final int DEFAULT_CAPACITY_MIN_SAMPLES = 30;
  public static final int DEFAULT_CAPACITY_WINDOW = 1440;
  public static final double DEFAULT_CAPACITY_MAX_QUEUE_PER_REPLICA = 1;
  public static final Duration DEFAULT_LEAD_TIME_PRIOR = Duration.ofSeconds(180);
  public static final Duration DEFAULT_NODE_PROVISIONING_PRIOR = Duration.ofSeconds(120);
  public static final int DEFAULT_LEAD_TIME_WINDOW = 20;
  public static final int DEFAULT_LEAD_TIME_MIN_SAMPLES = 5;
  public static final Duration DEFAULT_SCALE_DOWN_MARGIN = Duration.ofMinutes(2);

  public PredictionSpec {
    Objects.requireNonNull(sampleInterval, "sampleInterval");
    Objects.requireNonNull(maxHorizon, "maxHorizon");
    Objects.requireNonNull(smoothing, "smoothing");
    Objects.requireNonNull(capacityPrior, "capacityPrior");
    Objects.requireNonNull(leadTimePrior, "leadTimePrior");
    Objects.requireNonNull(nodeProvisioningPrior, "nodeProvisioningPrior");
    Objects.requireNonNull(scaleDownMargin, "scaleDownMargin");
  }

  /** A builder with every default: prediction disabled. */
  public static Builder builder() {
    return new Builder();
  }

  /** The defaults, disabled. */
  public static PredictionSpec disabled() {
    return builder().build();
  }

  /** A builder holding this spec's values, to derive a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.enabled = enabled;
    b.observeOnly = observeOnly;
    b.seasonPeriod = seasonPeriod;
    b.sampleInterval = sampleInterval;
    b.residualQuantile = residualQuantile;
    b.residualWindow = residualWindow;
    b.trendWindow = trendWindow;
    b.maxHorizon = maxHorizon;
    b.smoothing = smoothing;
    b.capacityPrior = capacityPrior;
    b.capacityQuantile = capacityQuantile;
    b.capacityMinSamples = capacityMinSamples;
    b.capacityWindow = capacityWindow;
    b.capacityMaxQueuePerReplica = capacityMaxQueuePerReplica;
    b.leadTimePrior = leadTimePrior;
    b.nodeProvisioningPrior = nodeProvisioningPrior;
    b.leadTimeQuantile = leadTimeQuantile;
    b.leadTimeWindow = leadTimeWindow;
    b.leadTimeMinSamples = leadTimeMinSamples;
    b.scaleDownMargin = scaleDownMargin;
    return b;
  }

  /** The forecaster's settings; the spec must be valid. */
  public ForecasterSettings forecasterSettings() {
    long steps = Math.max(1, ceilDiv(maxHorizon.toMillis(), sampleInterval.toMillis()));
    return new ForecasterSettings(
        seasonPeriod,
        sampleInterval,
        residualQuantile,
        residualWindow,
        trendWindow,
        (int) steps,
        smoothing);
  }

  /** The capacity learner's settings; the spec must be valid. */
  public CapacitySettings capacitySettings() {
    return new CapacitySettings(
        capacityPrior,
        capacityQuantile,
        capacityMinSamples,
        capacityWindow,
        capacityMaxQueuePerReplica);
  }

  /** The lead-time learner's settings; the spec must be valid. */
  public LeadTimeSettings leadTimeSettings() {
    return new LeadTimeSettings(
        leadTimePrior, nodeProvisioningPrior, leadTimeQuantile, leadTimeWindow, leadTimeMinSamples);
  }

  /** Every problem with this spec; empty when it is valid. */
  public List<InvalidPolicyException.Problem> problems() {
    List<InvalidPolicyException.Problem> problems = new ArrayList<>();
    if (seasonPeriod < 2 || seasonPeriod > MAX_SEASON_PERIOD) {
      problems.add(problem("seasonPeriod", seasonPeriod, "2 to " + MAX_SEASON_PERIOD + " samples"));
    }
    boolean intervalValid =
        sampleInterval.compareTo(Duration.ofSeconds(1)) >= 0
            && sampleInterval.compareTo(Duration.ofHours(1)) <= 0;
    if (!intervalValid) {
      problems.add(problem("sampleInterval", sampleInterval, "1 second to 1 hour"));
    }
    checkLevel("residualQuantile", residualQuantile, problems);
    if (residualWindow < SeriesForecaster.MIN_COMPARISONS || residualWindow > 10_000) {
      problems.add(
          problem(
              "residualWindow",
              residualWindow,
              SeriesForecaster.MIN_COMPARISONS + " to 10000 residuals"));
    }
    if (trendWindow < 3 || trendWindow > 1000) {
      problems.add(problem("trendWindow", trendWindow, "3 to 1000 samples"));
    }
    if (maxHorizon.compareTo(Duration.ofHours(6)) > 0
        || (intervalValid && maxHorizon.compareTo(sampleInterval) < 0)) {
      problems.add(
          problem(
              "maxHorizon",
              maxHorizon,
              "a duration from sampleInterval (" + sampleInterval + ") to 6 hours"));
    } else if (maxHorizon.compareTo(leadTimePrior.plus(nodeProvisioningPrior)) < 0) {
      problems.add(
          problem(
              "maxHorizon",
              maxHorizon,
              "at least leadTimePrior + nodeProvisioningPrior ("
                  + leadTimePrior.plus(nodeProvisioningPrior)
                  + ")"));
    }
    checkFraction("smoothing.alpha", smoothing.alpha(), problems);
    checkFraction("smoothing.beta", smoothing.beta(), problems);
    checkFraction("smoothing.gamma", smoothing.gamma(), problems);
    if (!(smoothing.phi() > 0 && smoothing.phi() <= 1)) {
      problems.add(problem("smoothing.phi", smoothing.phi(), "a damping factor in (0, 1]"));
    }
    if (!(capacityPrior.requestsPerSecond() > 0)
        || Double.isInfinite(capacityPrior.requestsPerSecond())) {
      problems.add(
          problem(
              "capacityPrior.requestsPerSecond",
              capacityPrior.requestsPerSecond(),
              "a finite rate above 0"));
    }
    checkTokenPrior(
        "capacityPrior.promptTokensPerSecond", capacityPrior.promptTokensPerSecond(), problems);
    checkTokenPrior(
        "capacityPrior.generationTokensPerSecond",
        capacityPrior.generationTokensPerSecond(),
        problems);
    checkLevel("capacityQuantile", capacityQuantile, problems);
    checkCounts(
        "capacityWindow",
        capacityWindow,
        "capacityMinSamples",
        capacityMinSamples,
        100_000,
        problems);
    if (!(capacityMaxQueuePerReplica >= 0) || Double.isInfinite(capacityMaxQueuePerReplica)) {
      problems.add(
          problem(
              "capacityMaxQueuePerReplica",
              capacityMaxQueuePerReplica,
              "a finite number of 0 or more requests"));
    }
    if (leadTimePrior.isNegative()
        || leadTimePrior.isZero()
        || leadTimePrior.compareTo(Duration.ofHours(1)) > 0) {
      problems.add(problem("leadTimePrior", leadTimePrior, "a duration above 0 up to 1 hour"));
    }
    if (nodeProvisioningPrior.isNegative()
        || nodeProvisioningPrior.compareTo(Duration.ofHours(1)) > 0) {
      problems.add(
          problem("nodeProvisioningPrior", nodeProvisioningPrior, "a duration of 0 to 1 hour"));
    }
    checkLevel("leadTimeQuantile", leadTimeQuantile, problems);
    checkCounts(
        "leadTimeWindow", leadTimeWindow, "leadTimeMinSamples", leadTimeMinSamples, 1000, problems);
    if (scaleDownMargin.isNegative() || scaleDownMargin.compareTo(Duration.ofHours(1)) > 0) {
      problems.add(problem("scaleDownMargin", scaleDownMargin, "a duration of 0 to 1 hour"));
    }
    return problems;
  }

  private static void checkLevel(
      String field, double level, List<InvalidPolicyException.Problem> problems) {
    if (!(level > 0 && level < 1)) {
      problems.add(problem(field, level, "a quantile level in (0, 1), e.g. 0.9"));
    }
  }

  private static void checkFraction(
      String field, double value, List<InvalidPolicyException.Problem> problems) {
    if (!(value > 0 && value < 1)) {
      problems.add(problem(field, value, "a smoothing constant in (0, 1)"));
    }
  }

  private static void checkTokenPrior(
      String field, double value, List<InvalidPolicyException.Problem> problems) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      problems.add(problem(field, value, "a finite rate of 0 (not limiting) or more"));
    }
  }

  private static void checkCounts(
      String windowField,
      int window,
      String minField,
      int min,
      int maxWindow,
      List<InvalidPolicyException.Problem> problems) {
    if (window < 1 || window > maxWindow) {
      problems.add(problem(windowField, window, "1 to " + maxWindow + " samples"));
    } else if (min < 1 || min > window) {
      problems.add(problem(minField, min, "1 to " + windowField + " (" + window + ") samples"));
    }
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  private static InvalidPolicyException.Problem problem(
      String field, Object value, String expected) {
    return new InvalidPolicyException.Problem(
        "prediction." + field, String.valueOf(value), expected);
  }

  /** Collects a spec's values; {@link #build()} validates them all at once. */
  public static final class Builder {
    private boolean enabled;
    private boolean observeOnly;
    private int seasonPeriod = DEFAULT_SEASON_PERIOD;
    private Duration sampleInterval = DEFAULT_SAMPLE_INTERVAL;
    private double residualQuantile = DEFAULT_QUANTILE;
    private int residualWindow = DEFAULT_RESIDUAL_WINDOW;
    private int trendWindow = DEFAULT_TREND_WINDOW;
    private Duration maxHorizon = DEFAULT_MAX_HORIZON;
    private HoltWintersParameters smoothing = HoltWintersParameters.defaults();
    private Capacity capacityPrior = DEFAULT_CAPACITY_PRIOR;
    private double capacityQuantile = DEFAULT_QUANTILE;
    private int capacityMinSamples = DEFAULT_CAPACITY_MIN_SAMPLES;
    private int capacityWindow = DEFAULT_CAPACITY_WINDOW;
    private double capacityMaxQueuePerReplica = DEFAULT_CAPACITY_MAX_QUEUE_PER_REPLICA;
    private Duration leadTimePrior = DEFAULT_LEAD_TIME_PRIOR;
    private Duration nodeProvisioningPrior = DEFAULT_NODE_PROVISIONING_PRIOR;
    private double leadTimeQuantile = DEFAULT_QUANTILE;
    private int leadTimeWindow = DEFAULT_LEAD_TIME_WINDOW;
    private int leadTimeMinSamples = DEFAULT_LEAD_TIME_MIN_SAMPLES;
    private Duration scaleDownMargin = DEFAULT_SCALE_DOWN_MARGIN;

    private Builder() {}

    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    public Builder observeOnly(boolean observeOnly) {
      this.observeOnly = observeOnly;
      return this;
    }

    /** The season in samples and the sample interval, e.g. {@code (288, 5 minutes)} for a day. */
    public Builder season(int seasonPeriod, Duration sampleInterval) {
      this.seasonPeriod = seasonPeriod;
      this.sampleInterval = sampleInterval;
      return this;
    }

    public Builder residualQuantile(double residualQuantile) {
      this.residualQuantile = residualQuantile;
      return this;
    }

    public Builder residualWindow(int residualWindow) {
      this.residualWindow = residualWindow;
      return this;
    }

    public Builder trendWindow(int trendWindow) {
      this.trendWindow = trendWindow;
      return this;
    }

    public Builder maxHorizon(Duration maxHorizon) {
      this.maxHorizon = maxHorizon;
      return this;
    }

    public Builder smoothing(HoltWintersParameters smoothing) {
      this.smoothing = smoothing;
      return this;
    }

    public Builder capacityPrior(Capacity capacityPrior) {
      this.capacityPrior = capacityPrior;
      return this;
    }

    public Builder capacityQuantile(double capacityQuantile) {
      this.capacityQuantile = capacityQuantile;
      return this;
    }

    public Builder capacitySamples(int minSamples, int window) {
      this.capacityMinSamples = minSamples;
      this.capacityWindow = window;
      return this;
    }

    public Builder capacityMaxQueuePerReplica(double capacityMaxQueuePerReplica) {
      this.capacityMaxQueuePerReplica = capacityMaxQueuePerReplica;
      return this;
    }

    public Builder leadTimePrior(Duration leadTimePrior) {
      this.leadTimePrior = leadTimePrior;
      return this;
    }

    public Builder nodeProvisioningPrior(Duration nodeProvisioningPrior) {
      this.nodeProvisioningPrior = nodeProvisioningPrior;
      return this;
    }

    public Builder leadTimeQuantile(double leadTimeQuantile) {
      this.leadTimeQuantile = leadTimeQuantile;
      return this;
    }

    public Builder leadTimeSamples(int minSamples, int window) {
      this.leadTimeMinSamples = minSamples;
      this.leadTimeWindow = window;
      return this;
    }

    public Builder scaleDownMargin(Duration scaleDownMargin) {
      this.scaleDownMargin = scaleDownMargin;
      return this;
    }

    /**
     * The spec.
     *
     * @throws InvalidPolicyException listing every problem, when any value is invalid
     */
    public PredictionSpec build() {
      PredictionSpec spec =
          new PredictionSpec(
              enabled,
              observeOnly,
              seasonPeriod,
              sampleInterval,
              residualQuantile,
              residualWindow,
              trendWindow,
              maxHorizon,
              smoothing,
              capacityPrior,
              capacityQuantile,
              capacityMinSamples,
              capacityWindow,
              capacityMaxQueuePerReplica,
              leadTimePrior,
              nodeProvisioningPrior,
              leadTimeQuantile,
              leadTimeWindow,
              leadTimeMinSamples,
              scaleDownMargin);
      List<InvalidPolicyException.Problem> problems = spec.problems();
      if (!problems.isEmpty()) {
        throw new InvalidPolicyException(problems);
      }
      return spec;
    }
  }
}
