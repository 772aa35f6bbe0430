package dev.foresight.policy;

import dev.foresight.policy.InvalidPolicyException.Problem;
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
 * <p>Durations are a plain number of seconds ({@code 300}, {@code 0.8}), one or more
 * number-and-unit parts with units {@code ms}, {@code s}, {@code m}, {@code h} ({@code 800ms},
 * {@code 5m}, {@code 1m30s}), or ISO-8601 ({@code PT5M}).
 *
 * <p>Keys are case-sensitive. A key that is neither in {@link #KNOWN_KEYS} nor owned by the caller
 * (see {@link #parse(Map, Predicate)}) is a problem, so that a typo never silently keeps a default.
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

    for (Map.Entry<String, String> entry : new TreeMap<>(entries).entrySet()) {
      String key = entry.getKey();
      String raw = entry.getValue();
      if (!KNOWN_KEYS.contains(key)) {
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
        default -> target(key, value, builder, problems);
      }
      if (problems.size() == before) {
        parsedOk.put(key, value);
      }
    }

    builder
        .scaleUp(up.rules())
        .scaleDown(down.rules())
        .guardRails(new GuardRailSpec(maxTemperature, xid, framebuffer, lowUtilization));
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
}
