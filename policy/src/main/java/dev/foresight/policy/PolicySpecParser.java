package dev.foresight.policy;

import dev.foresight.policy.InvalidPolicyException.Problem;
import dev.foresight.policy.capacity.Capacity;
import dev.foresight.policy.forecast.HoltWintersParameters;
import dev.foresight.policy.forecast.PredictionSpec;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a flat {@code Map<String, String>} (KEDA trigger metadata, or a flattened YAML policy)
 * into a {@link PolicySpec}, reporting every problem at once.
 *
 * <pre>{@code
 * PolicySpec spec = PolicySpecParser.parse(Map.of(
 *     "minReplicas", "0", "maxReplicas", "20",
 *     "target.queue", "4", "target.ttft_p95", "800ms", "target.kv_cache", "0.75",
 *     "scaleUp.policies", "Pods=4/15s,Percent=100/15s"));
 * }</pre>
 *
 * <table>
 *   <caption>Keys (every key optional; an absent key keeps the default)</caption>
 *   <tr><th>key</th><th>value</th><th>default</th></tr>
 *   <tr><td>{@code minReplicas}</td><td>integer ≥ 0 (0 allows scale to zero)</td><td>1</td></tr>
 *   <tr><td>{@code maxReplicas}</td><td>integer ≥ max(1, minReplicas)</td><td>10</td></tr>
 *   <tr><td>{@code tolerance}</td><td>fraction in [0, 1)</td><td>0.1</td></tr>
 *   <tr><td>{@code target.<signal>}</td><td>per-replica target above 0; signal is a {@link
 *       Signal#wireName() wire name}: {@code queue}, {@code running} (requests per replica),
 *       {@code request_rate} (requests/s per replica), {@code prompt_token_rate}, {@code
 *       generation_token_rate} (tokens/s per replica), {@code kv_cache} (fraction in (0, 1]),
 *       {@code ttft_p95}, {@code latency_p95} (a duration such as {@code 800ms}, {@code 0.8s},
 *       or a plain number of seconds such as {@code 0.8})</td><td>none: a signal without a target
 *       makes no proposal</td></tr>
 *   <tr><td>{@code scaleUp.stabilizationWindowSeconds}</td><td>whole seconds, 0-3600</td>
 *       <td>0</td></tr>
 *   <tr><td>{@code scaleUp.selectPolicy}</td><td>{@code Max}, {@code Min} or {@code Disabled}
 *       (any case)</td><td>Max</td></tr>
 *   <tr><td>{@code scaleUp.policies}</td><td>comma-separated {@code Type=value/period}, Type
 *       {@code Pods} or {@code Percent}, period whole seconds 1-1800, e.g. {@code
 *       Pods=4/15s,Percent=100/15s}; empty only with {@code Disabled}</td>
 *       <td>{@code Percent=100/15s,Pods=4/15s}</td></tr>
 *   <tr><td>{@code scaleDown.stabilizationWindowSeconds}</td><td>as for scale-up</td>
 *       <td>300</td></tr>
 *   <tr><td>{@code scaleDown.selectPolicy}</td><td>as for scale-up</td><td>Max</td></tr>
 *   <tr><td>{@code scaleDown.policies}</td><td>as for scale-up</td><td>{@code
 *       Percent=100/15s}</td></tr>
 *   <tr><td>{@code guardRails.maxTemperatureCelsius}</td><td>degrees Celsius above 0</td>
 *       <td>87</td></tr>
 *   <tr><td>{@code guardRails.xidErrorsMakeUnhealthy}</td><td>{@code true} or {@code false}</td>
 *       <td>true</td></tr>
 *   <tr><td>{@code guardRails.minFramebufferFreeFraction}</td><td>fraction in [0, 1)</td>
 *       <td>0.05</td></tr>
 *   <tr><td>{@code guardRails.lowUtilizationPercent}</td><td>percent in [0, 100]; 0 turns the
 *       rule off</td><td>10</td></tr>
 *   <tr><td>{@code idleBeforeScaleToZero}</td><td>duration ≥ 0</td><td>300s</td></tr>
 *   <tr><td>{@code maxSignalAge}</td><td>duration above 0</td><td>60s</td></tr>
 * </table>
 *
 * <p>Pre-scaling keys ({@link #PREDICTION_KEYS}; each maps to the {@link PredictionSpec} component
 * of the same name, defaults as there): {@code prediction.enabled}, {@code prediction.observeOnly}
 * ({@code true}/{@code false}, default false); {@code prediction.seasonPeriod} (samples per season,
 * 1440); {@code prediction.sampleInterval} (duration, 1m); {@code prediction.residualQuantile}
 * (0.9); {@code prediction.residualWindow} (120); {@code prediction.trendWindow} (30); {@code
 * prediction.maxHorizon} (30m); {@code prediction.smoothing.alpha|beta|gamma|phi} (0.5, 0.05, 0.3,
 * 0.9); {@code prediction.capacityPrior.requestsPerSecond} (1), {@code
 * prediction.capacityPrior.promptTokensPerSecond}, {@code
 * prediction.capacityPrior.generationTokensPerSecond} (0: not limiting); {@code
 * prediction.capacityQuantile} (0.9); {@code prediction.capacityMinSamples} (30); {@code
 * prediction.capacityWindow} (1440); {@code prediction.capacityMaxQueuePerReplica} (1); {@code
 * prediction.leadTimePrior} (180s); {@code prediction.nodeProvisioningPrior} (120s); {@code
 * prediction.leadTimeQuantile} (0.9); {@code prediction.leadTimeWindow} (20); {@code
 * prediction.leadTimeMinSamples} (5); {@code prediction.scaleDownMargin} (2m).
 *
 * <p>Durations are a plain number of seconds ({@code 300}, {@code 0.8}), one or more
 * number-and-unit parts with units {@code ms}, {@code s}, {@code m}, {@code h} ({@code 800ms},
 * {@code 5m}, {@code 1m30s}), or ISO-8601 ({@code PT5M}).
 *
 * <p>Keys are case-sensitive. A key that is in neither {@link #KNOWN_KEYS} nor {@link
 * #PREDICTION_KEYS} nor owned by the caller (see {@link #parse(Map, Predicate)}) is a problem, so
 * that a typo never silently keeps a default.
 */
public final class PolicySpecParser {

  /** The configuration key of the target of {@code signal}: {@code target.<wire name>}. */
  public static String targetKey(Signal signal) {
    return "target." + signal.wireName();
  }

  /** Every key this parser reads, in the order of the table above. */
  public static final Set<String> KNOWN_KEYS;

  static {
    Set<String> keys = new LinkedHashSet<>();
    keys.add("minReplicas");
    keys.add("maxReplicas");
    keys.add("tolerance");
    for (Signal s : Signal.values()) {
      keys.add(targetKey(s));
    }
    for (String direction : List.of("scaleUp", "scaleDown")) {
      keys.add(direction + ".stabilizationWindowSeconds");
      keys.add(direction + ".selectPolicy");
      keys.add(direction + ".policies");
    }
    keys.add("guardRails.maxTemperatureCelsius");
    keys.add("guardRails.xidErrorsMakeUnhealthy");
    keys.add("guardRails.minFramebufferFreeFraction");
    keys.add("guardRails.lowUtilizationPercent");
    keys.add("idleBeforeScaleToZero");
    keys.add("maxSignalAge");
    KNOWN_KEYS = Collections.unmodifiableSet(keys);
  }

  /**
   * Every pre-scaling key this parser reads (see the class comment). Kept apart from {@link
   * #KNOWN_KEYS}, which lists the reactive policy's keys.
   */
  public static final Set<String> PREDICTION_KEYS =
      Collections.unmodifiableSet(
          new LinkedHashSet<>(
              List.of(
                  "prediction.enabled",
                  "prediction.observeOnly",
                  "prediction.seasonPeriod",
                  "prediction.sampleInterval",
                  "prediction.residualQuantile",
                  "prediction.residualWindow",
                  "prediction.trendWindow",
                  "prediction.maxHorizon",
                  "prediction.smoothing.alpha",
                  "prediction.smoothing.beta",
                  "prediction.smoothing.gamma",
                  "prediction.smoothing.phi",
                  "prediction.capacityPrior.requestsPerSecond",
                  "prediction.capacityPrior.promptTokensPerSecond",
                  "prediction.capacityPrior.generationTokensPerSecond",
                  "prediction.capacityQuantile",
                  "prediction.capacityMinSamples",
                  "prediction.capacityWindow",
                  "prediction.capacityMaxQueuePerReplica",
                  "prediction.leadTimePrior",
                  "prediction.nodeProvisioningPrior",
                  "prediction.leadTimeQuantile",
                  "prediction.leadTimeWindow",
                  "prediction.leadTimeMinSamples",
                  "prediction.scaleDownMargin")));

  private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");
  private static final Pattern SECONDS = Pattern.compile("[0-9]+(\\.[0-9]+)?");
  private static final Pattern DURATION_PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");
  private static final Pattern RATE_POLICY =
      Pattern.compile("\\s*([A-Za-z]+)\\s*=\\s*([^/\\s]+)\\s*/\\s*(\\S+)\\s*");
  private static final String DURATION_EXPECTED =
      "a duration such as 300s, 5m, 1m30s, 800ms, PT5M or a number of seconds";
  private static final String POLICIES_EXPECTED =
      "a comma-separated list of Type=value/period such as Pods=4/15s,Percent=100/15s";

  private PolicySpecParser() {}

  /**
   * Parses {@code entries}; every key must be in {@link #KNOWN_KEYS}.
   *
   * @throws InvalidPolicyException listing every problem (bad values, unknown keys, unknown signal
   *     names, rate-policy types and selectPolicy values, and inconsistent values such as {@code
   *     minReplicas > maxReplicas})
   */
  public static PolicySpec parse(Map<String, String> entries) {
    return parse(entries, key -> false);
  }

  /**
   * Parses {@code entries}, skipping the keys {@code ownedByCaller} accepts (for example an
   * adapter's own trigger metadata such as {@code serverAddress}); any other key outside {@link
   * #KNOWN_KEYS} is a problem.
   *
   * @throws InvalidPolicyException listing every problem
   */
  public static PolicySpec parse(Map<String, String> entries, Predicate<String> ownedByCaller) {
    List<Problem> problems = new ArrayList<>();
    PolicySpec.Builder builder = PolicySpec.builder();
    ScalingRulesDraft up = new ScalingRulesDraft("scaleUp", ScalingRules.hpaDefaultScaleUp());
    ScalingRulesDraft down = new ScalingRulesDraft("scaleDown", ScalingRules.hpaDefaultScaleDown());
    GuardRailSpec defaults = GuardRailSpec.defaults();
    double maxTemperature = defaults.maxTemperatureCelsius();
    boolean xid = defaults.xidErrorsMakeUnhealthy();
    double framebuffer = defaults.minFramebufferFreeFraction();
    double lowUtilization = defaults.lowUtilizationPercent();
    Map<String, String> parsedOk = new TreeMap<>();
    PredictionDraft prediction = new PredictionDraft();

    for (Map.Entry<String, String> entry : new TreeMap<>(entries).entrySet()) {
      String key = entry.getKey();
      String raw = entry.getValue();
      if (!KNOWN_KEYS.contains(key) && !PREDICTION_KEYS.contains(key)) {
        if (ownedByCaller.test(key)) {
          continue;
        }
        problems.add(unknownKey(key, raw));
        continue;
      }
      if (raw == null || raw.isBlank()) {
        if (!(key.endsWith(".policies") && raw != null)) {
          problems.add(new Problem(key, String.valueOf(raw), "a value"));
          continue;
        }
      }
      String value = raw.trim();
      int before = problems.size();
      switch (key) {
        case "minReplicas" -> integer(key, value, problems).ifPresent(builder::minReplicas);
        case "maxReplicas" -> integer(key, value, problems).ifPresent(builder::maxReplicas);
        case "tolerance" -> decimal(key, value, problems).ifPresent(builder::tolerance);
        case "scaleUp.stabilizationWindowSeconds" -> up.window(value, problems);
        case "scaleUp.selectPolicy" -> up.select(value, problems);
        case "scaleUp.policies" -> up.policies(value, problems);
        case "scaleDown.stabilizationWindowSeconds" -> down.window(value, problems);
        case "scaleDown.selectPolicy" -> down.select(value, problems);
        case "scaleDown.policies" -> down.policies(value, problems);
        case "guardRails.maxTemperatureCelsius" ->
            maxTemperature = decimal(key, value, problems).orElse(maxTemperature);
        case "guardRails.xidErrorsMakeUnhealthy" -> xid = bool(key, value, problems).orElse(xid);
        case "guardRails.minFramebufferFreeFraction" ->
            framebuffer = decimal(key, value, problems).orElse(framebuffer);
        case "guardRails.lowUtilizationPercent" ->
            lowUtilization = decimal(key, value, problems).orElse(lowUtilization);
        case "idleBeforeScaleToZero" ->
            duration(key, value, problems).ifPresent(builder::idleBeforeScaleToZero);
        case "maxSignalAge" -> duration(key, value, problems).ifPresent(builder::maxSignalAge);
        default -> {
          if (key.startsWith("prediction.")) {
            prediction.read(key, value, problems);
          } else {
            target(key, value, builder, problems);
          }
        }
      }
      if (problems.size() == before) {
        parsedOk.put(key, value);
      }
    }

    builder
        .scaleUp(up.rules())
        .scaleDown(down.rules())
        .guardRails(new GuardRailSpec(maxTemperature, xid, framebuffer, lowUtilization))
        .prediction(prediction.spec());
    PolicySpec spec = null;
    try {
      spec = builder.build();
    } catch (InvalidPolicyException e) {
      for (Problem p : e.problems()) {
        String field = keyOf(p.field());
        problems.add(new Problem(field, parsedOk.getOrDefault(field, p.value()), p.expected()));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidPolicyException(problems);
    }
    return spec;
  }

  /**
   * The keys and values that {@link #parse(Map)} reads back into {@code spec}: every key of {@link
   * #KNOWN_KEYS} except the targets the spec does not have. Useful to show the effective policy, or
   * to write it into trigger metadata.
   *
   * <p>The {@link #PREDICTION_KEYS} are included only when the spec's prediction differs from
   * {@link PredictionSpec#disabled()}.
   *
   * <p>{@code parse(toMap(spec)).equals(spec)} holds for every valid spec.
   */
  public static Map<String, String> toMap(PolicySpec spec) {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    m.put("minReplicas", Integer.toString(spec.minReplicas()));
    m.put("maxReplicas", Integer.toString(spec.maxReplicas()));
    m.put("tolerance", Double.toString(spec.tolerance()));
    spec.targets().forEach((signal, target) -> m.put(targetKey(signal), Double.toString(target)));
    putRules(m, "scaleUp", spec.scaleUp());
    putRules(m, "scaleDown", spec.scaleDown());
    GuardRailSpec g = spec.guardRails();
    m.put("guardRails.maxTemperatureCelsius", Double.toString(g.maxTemperatureCelsius()));
    m.put("guardRails.xidErrorsMakeUnhealthy", Boolean.toString(g.xidErrorsMakeUnhealthy()));
    m.put("guardRails.minFramebufferFreeFraction", Double.toString(g.minFramebufferFreeFraction()));
    m.put("guardRails.lowUtilizationPercent", Double.toString(g.lowUtilizationPercent()));
    m.put("idleBeforeScaleToZero", spec.idleBeforeScaleToZero().toString());
    m.put("maxSignalAge", spec.maxSignalAge().toString());
    if (!spec.prediction().equals(PredictionSpec.disabled())) {
      PredictionDraft.put(m, spec.prediction());
    }
    return Collections.unmodifiableMap(m);
  }

  private static void putRules(Map<String, String> m, String prefix, ScalingRules rules) {
    m.put(
        prefix + ".stabilizationWindowSeconds",
        Long.toString(rules.stabilizationWindow().toSeconds()));
    m.put(
        prefix + ".selectPolicy",
        switch (rules.select()) {
          case MAX -> "Max";
          case MIN -> "Min";
          case DISABLED -> "Disabled";
        });
    StringBuilder policies = new StringBuilder();
    for (RatePolicy p : rules.policies()) {
      if (policies.length() > 0) {
        policies.append(',');
      }
      policies
          .append(p.type() == RatePolicy.Type.PODS ? "Pods=" : "Percent=")
          .append(p.value())
          .append('/')
          .append(p.period().toSeconds())
          .append('s');
    }
    m.put(prefix + ".policies", policies.toString());
  }

  /**
   * Parses a duration: a plain number of seconds, number-and-unit parts ({@code ms}, {@code s},
   * {@code m}, {@code h}, e.g. {@code 1m30s}), or ISO-8601 ({@code PT5M}).
   *
   * @return the duration, or empty when {@code text} is not one (negative durations are not)
   */
  public static Optional<Duration> parseDuration(String text) {
    String t = text.trim();
    if (t.isEmpty()) {
      return Optional.empty();
    }
    try {
      if (t.charAt(0) == 'P' || t.charAt(0) == 'p') {
        Duration d = Duration.parse(t);
        return d.isNegative() ? Optional.empty() : Optional.of(d);
      }
      if (SECONDS.matcher(t).matches()) {
        return Optional.of(nanos(new BigDecimal(t), 1_000_000_000L));
      }
      Matcher m = DURATION_PART.matcher(t);
      int at = 0;
      Duration total = Duration.ZERO;
      while (at < t.length() && m.find(at) && m.start() == at) {
        long unit =
            switch (m.group(2)) {
              case "ms" -> 1_000_000L;
              case "s" -> 1_000_000_000L;
              case "m" -> 60_000_000_000L;
              default -> 3_600_000_000_000L;
            };
        total = total.plus(nanos(new BigDecimal(m.group(1)), unit));
        at = m.end();
      }
      return at == t.length() && at > 0 ? Optional.of(total) : Optional.empty();
    } catch (DateTimeParseException | ArithmeticException e) {
      return Optional.empty();
    }
  }

  private static Duration nanos(BigDecimal amount, long unitNanos) {
    BigDecimal n = amount.multiply(BigDecimal.valueOf(unitNanos));
    return Duration.ofNanos(n.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact());
  }

  private static void target(
      String key, String value, PolicySpec.Builder builder, List<Problem> problems) {
    Signal signal = Signal.fromWireName(key.substring("target.".length())).orElseThrow();
    if (signal == Signal.TTFT_P95 || signal == Signal.LATENCY_P95) {
      if (DECIMAL.matcher(value).matches()) {
        // plain seconds, read as a double so that every value round-trips exactly
        builder.target(signal, Double.parseDouble(value));
        return;
      }
      Optional<Duration> d = parseDuration(value);
      if (d.isEmpty()) {
        problems.add(
            new Problem(key, value, "a latency such as 800ms, 0.8s or 0.8 (seconds), above 0"));
      } else {
        builder.target(signal, d.get().toNanos() / 1e9);
      }
      return;
    }
    decimal(key, value, problems).ifPresent(t -> builder.target(signal, t));
  }

  private static Problem unknownKey(String key, String value) {
    if (key.startsWith("target.")) {
      StringBuilder names = new StringBuilder();
      for (Signal s : Signal.values()) {
        names.append(names.length() == 0 ? "" : ", ").append(s.wireName());
      }
      return new Problem(key, key.substring("target.".length()), "a signal name, one of: " + names);
    }
    String expected = "a known key (see PolicySpecParser.KNOWN_KEYS)";
    for (String known : KNOWN_KEYS) {
      if (known.equalsIgnoreCase(key)) {
        expected += "; did you mean '" + known + "'? Keys are case-sensitive";
        break;
      }
    }
    return new Problem(key, String.valueOf(value), expected);
  }

  /** Maps a {@link PolicySpec#problems()} field path to the key it comes from. */
  private static String keyOf(String field) {
    if (field.startsWith("targets.")) {
      return "target." + field.substring("targets.".length());
    }
    if (field.startsWith("behavior.")) {
      return field.substring("behavior.".length());
    }
    return field;
  }

  private static Optional<Integer> integer(String key, String value, List<Problem> problems) {
    if (INTEGER.matcher(value).matches()) {
      try {
        return Optional.of(Integer.parseInt(value));
      } catch (NumberFormatException e) {
        // out of int range; reported below
      }
    }
    problems.add(new Problem(key, value, "a whole number such as 3"));
    return Optional.empty();
  }

  private static Optional<Double> decimal(String key, String value, List<Problem> problems) {
    if (DECIMAL.matcher(value).matches()) {
      return Optional.of(Double.parseDouble(value));
    }
    problems.add(new Problem(key, value, "a number such as 0.75"));
    return Optional.empty();
  }

  private static Optional<Boolean> bool(String key, String value, List<Problem> problems) {
    if (value.equalsIgnoreCase("true")) {
      return Optional.of(true);
    }
    if (value.equalsIgnoreCase("false")) {
      return Optional.of(false);
    }
    problems.add(new Problem(key, value, "true or false"));
    return Optional.empty();
  }

  private static Optional<Duration> duration(String key, String value, List<Problem> problems) {
    Optional<Duration> d = parseDuration(value);
    if (d.isEmpty()) {
      problems.add(new Problem(key, value, DURATION_EXPECTED));
    }
    return d;
  }

  /** One direction's behavior while its keys are read. */
  private static final class ScalingRulesDraft {
    private final String prefix;
    private Duration window;
    private List<RatePolicy> policies;
    private ScalingRules.Select select;

    ScalingRulesDraft(String prefix, ScalingRules defaults) {
      this.prefix = prefix;
      this.window = defaults.stabilizationWindow();
      this.policies = defaults.policies();
      this.select = defaults.select();
    }

    void window(String value, List<Problem> problems) {
      String key = prefix + ".stabilizationWindowSeconds";
      integer(key, value, problems).ifPresent(s -> window = Duration.ofSeconds(s));
    }

    void select(String value, List<Problem> problems) {
      switch (value.toLowerCase(Locale.ROOT)) {
        case "max" -> select = ScalingRules.Select.MAX;
        case "min" -> select = ScalingRules.Select.MIN;
        case "disabled" -> select = ScalingRules.Select.DISABLED;
        default ->
            problems.add(new Problem(prefix + ".selectPolicy", value, "Max, Min or Disabled"));
      }
    }

    void policies(String value, List<Problem> problems) {
      String key = prefix + ".policies";
      List<RatePolicy> parsed = new ArrayList<>();
      if (value.isEmpty()) {
        policies = parsed;
        return;
      }
      String[] items = value.split(",", -1);
      boolean ok = true;
      for (int i = 0; i < items.length; i++) {
        String item = items[i];
        String itemKey = key + "[" + i + "]";
        Matcher m = RATE_POLICY.matcher(item);
        if (!m.matches()) {
          problems.add(new Problem(itemKey, item.trim(), POLICIES_EXPECTED));
          ok = false;
          continue;
        }
        RatePolicy.Type type =
            switch (m.group(1).toLowerCase(Locale.ROOT)) {
              case "pods" -> RatePolicy.Type.PODS;
              case "percent" -> RatePolicy.Type.PERCENT;
              default -> null;
            };
        if (type == null) {
          problems.add(new Problem(itemKey + ".type", m.group(1), "Pods or Percent"));
          ok = false;
        }
        Integer amount = null;
        if (INTEGER.matcher(m.group(2)).matches()) {
          try {
            amount = Integer.parseInt(m.group(2));
          } catch (NumberFormatException e) {
            amount = null;
          }
        }
        if (amount == null) {
          problems.add(new Problem(itemKey + ".value", m.group(2), "a whole number above 0"));
          ok = false;
        }
        Optional<Duration> period = parseDuration(m.group(3));
        if (period.isEmpty() || period.get().getNano() != 0) {
          problems.add(
              new Problem(
                  itemKey + ".periodSeconds",
                  m.group(3),
                  "whole seconds from 1 to 1800, such as 15s, 1m or 60"));
          ok = false;
        }
        if (ok) {
          parsed.add(new RatePolicy(type, amount, period.get()));
        }
      }
      if (ok) {
        policies = parsed;
      }
    }

    ScalingRules rules() {
      return new ScalingRules(window, policies, select);
    }
  }

  /** The pre-scaling keys while they are read; starts from {@link PredictionSpec#disabled()}. */
  private static final class PredictionDraft {
    private final PredictionSpec defaults = PredictionSpec.disabled();
    private boolean enabled = defaults.enabled();
    private boolean observeOnly = defaults.observeOnly();
    private int seasonPeriod = defaults.seasonPeriod();
    private Duration sampleInterval = defaults.sampleInterval();
    private double residualQuantile = defaults.residualQuantile();
    private int residualWindow = defaults.residualWindow();
    private int trendWindow = defaults.trendWindow();
    private Duration maxHorizon = defaults.maxHorizon();
    private double alpha = defaults.smoothing().alpha();
    private double beta = defaults.smoothing().beta();
    private double gamma = defaults.smoothing().gamma();
    private double phi = defaults.smoothing().phi();
    private double capacityRequests = defaults.capacityPrior().requestsPerSecond();
    private double capacityPrompt = defaults.capacityPrior().promptTokensPerSecond();
    private double capacityGeneration = defaults.capacityPrior().generationTokensPerSecond();
    private double capacityQuantile = defaults.capacityQuantile();
    private int capacityMinSamples = defaults.capacityMinSamples();
    private int capacityWindow = defaults.capacityWindow();
    private double capacityMaxQueuePerReplica = defaults.capacityMaxQueuePerReplica();
    private Duration leadTimePrior = defaults.leadTimePrior();
    private Duration nodeProvisioningPrior = defaults.nodeProvisioningPrior();
    private double leadTimeQuantile = defaults.leadTimeQuantile();
    private int leadTimeWindow = defaults.leadTimeWindow();
    private int leadTimeMinSamples = defaults.leadTimeMinSamples();
    private Duration scaleDownMargin = defaults.scaleDownMargin();

    void read(String key, String v, List<Problem> problems) {
      switch (key.substring("prediction.".length())) {
        case "enabled" -> enabled = bool(key, v, problems).orElse(enabled);
        case "observeOnly" -> observeOnly = bool(key, v, problems).orElse(observeOnly);
        case "seasonPeriod" -> seasonPeriod = integer(key, v, problems).orElse(seasonPeriod);
        case "sampleInterval" -> sampleInterval = duration(key, v, problems).orElse(sampleInterval);
        case "residualQuantile" ->
            residualQuantile = decimal(key, v, problems).orElse(residualQuantile);
        case "residualWindow" -> residualWindow = integer(key, v, problems).orElse(residualWindow);
        case "trendWindow" -> trendWindow = integer(key, v, problems).orElse(trendWindow);
        case "maxHorizon" -> maxHorizon = duration(key, v, problems).orElse(maxHorizon);
        case "smoothing.alpha" -> alpha = decimal(key, v, problems).orElse(alpha);
        case "smoothing.beta" -> beta = decimal(key, v, problems).orElse(beta);
        case "smoothing.gamma" -> gamma = decimal(key, v, problems).orElse(gamma);
        case "smoothing.phi" -> phi = decimal(key, v, problems).orElse(phi);
        case "capacityPrior.requestsPerSecond" ->
            capacityRequests = decimal(key, v, problems).orElse(capacityRequests);
        case "capacityPrior.promptTokensPerSecond" ->
            capacityPrompt = decimal(key, v, problems).orElse(capacityPrompt);
        case "capacityPrior.generationTokensPerSecond" ->
            capacityGeneration = decimal(key, v, problems).orElse(capacityGeneration);
        case "capacityQuantile" ->
            capacityQuantile = decimal(key, v, problems).orElse(capacityQuantile);
        case "capacityMinSamples" ->
            capacityMinSamples = integer(key, v, problems).orElse(capacityMinSamples);
        case "capacityWindow" -> capacityWindow = integer(key, v, problems).orElse(capacityWindow);
        case "capacityMaxQueuePerReplica" ->
            capacityMaxQueuePerReplica =
                decimal(key, v, problems).orElse(capacityMaxQueuePerReplica);
        case "leadTimePrior" -> leadTimePrior = duration(key, v, problems).orElse(leadTimePrior);
        case "nodeProvisioningPrior" ->
            nodeProvisioningPrior = duration(key, v, problems).orElse(nodeProvisioningPrior);
        case "leadTimeQuantile" ->
            leadTimeQuantile = decimal(key, v, problems).orElse(leadTimeQuantile);
        case "leadTimeWindow" -> leadTimeWindow = integer(key, v, problems).orElse(leadTimeWindow);
        case "leadTimeMinSamples" ->
            leadTimeMinSamples = integer(key, v, problems).orElse(leadTimeMinSamples);
        case "scaleDownMargin" ->
            scaleDownMargin = duration(key, v, problems).orElse(scaleDownMargin);
        default -> throw new IllegalStateException("unhandled prediction key " + key);
      }
    }

    /** The spec as read, not yet validated: {@link PolicySpec#problems()} checks it. */
    PredictionSpec spec() {
      return new PredictionSpec(
          enabled,
          observeOnly,
          seasonPeriod,
          sampleInterval,
          residualQuantile,
          residualWindow,
          trendWindow,
          maxHorizon,
          new HoltWintersParameters(alpha, beta, gamma, phi),
          new Capacity(capacityRequests, capacityPrompt, capacityGeneration),
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
    }

    static void put(Map<String, String> m, PredictionSpec p) {
      m.put("prediction.enabled", Boolean.toString(p.enabled()));
      m.put("prediction.observeOnly", Boolean.toString(p.observeOnly()));
      m.put("prediction.seasonPeriod", Integer.toString(p.seasonPeriod()));
      m.put("prediction.sampleInterval", p.sampleInterval().toString());
      m.put("prediction.residualQuantile", Double.toString(p.residualQuantile()));
      m.put("prediction.residualWindow", Integer.toString(p.residualWindow()));
      m.put("prediction.trendWindow", Integer.toString(p.trendWindow()));
      m.put("prediction.maxHorizon", p.maxHorizon().toString());
      m.put("prediction.smoothing.alpha", Double.toString(p.smoothing().alpha()));
      m.put("prediction.smoothing.beta", Double.toString(p.smoothing().beta()));
      m.put("prediction.smoothing.gamma", Double.toString(p.smoothing().gamma()));
      m.put("prediction.smoothing.phi", Double.toString(p.smoothing().phi()));
      Capacity c = p.capacityPrior();
      m.put("prediction.capacityPrior.requestsPerSecond", Double.toString(c.requestsPerSecond()));
      m.put(
          "prediction.capacityPrior.promptTokensPerSecond",
          Double.toString(c.promptTokensPerSecond()));
      m.put(
          "prediction.capacityPrior.generationTokensPerSecond",
          Double.toString(c.generationTokensPerSecond()));
      m.put("prediction.capacityQuantile", Double.toString(p.capacityQuantile()));
      m.put("prediction.capacityMinSamples", Integer.toString(p.capacityMinSamples()));
      m.put("prediction.capacityWindow", Integer.toString(p.capacityWindow()));
      m.put(
          "prediction.capacityMaxQueuePerReplica", Double.toString(p.capacityMaxQueuePerReplica()));
      m.put("prediction.leadTimePrior", p.leadTimePrior().toString());
      m.put("prediction.nodeProvisioningPrior", p.nodeProvisioningPrior().toString());
      m.put("prediction.leadTimeQuantile", Double.toString(p.leadTimeQuantile()));
      m.put("prediction.leadTimeWindow", Integer.toString(p.leadTimeWindow()));
      m.put("prediction.leadTimeMinSamples", Integer.toString(p.leadTimeMinSamples()));
      m.put("prediction.scaleDownMargin", p.scaleDownMargin().toString());
    }
  }
}
