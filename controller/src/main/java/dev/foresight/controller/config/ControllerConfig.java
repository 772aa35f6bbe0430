package dev.foresight.controller.config;

import dev.foresight.controller.cluster.Leadership;
import dev.foresight.controller.prometheus.Preset;
import dev.foresight.controller.prometheus.Presets;
import dev.foresight.metricsapi.MetricsApiServerConfig;
import dev.foresight.metricsapi.MetricsApiSettings;
import dev.foresight.scaler.ScalerServerConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The settings of {@code foresight run}, parsed once and validated together: a bad value names its
 * flag and environment variable, the value and what was expected, and every problem is reported at
 * once.
 *
 * <pre>{@code
 * ControllerConfig config = ControllerConfig.parse(Map.of("loop-period", "10s"));
 * }</pre>
 *
 * @param prometheusUrl base URL of the Prometheus HTTP API (http or https)
 * @param prometheusTokenFile file holding a bearer token, if any
 * @param prometheusCaFile PEM CA certificates for https, if any
 * @param queryTimeout timeout of one request
 * @param queryRetries retries after the first attempt, 0-10
 * @param retryBackoff first retry delay, doubled per retry
 * @param loopPeriod evaluation period of every workload
 * @param evaluationTimeout longest one evaluation may take, at most the loop period
 * @param policiesFile standalone policies file
 * @param httpHost listen address of the audit endpoints
 * @param httpPort listen port of the audit endpoints, 0-65535
 * @param decisionHistory decisions kept per workload, 1-1000
 * @param scaler the KEDA external scaler's listener and transport security
 * @param metricsApi the external metrics API's settings, empty when it is turned off
 * @param inline how inline policies from KEDA ScaledObjects are governed
 * @param mode where declared policies come from, resolved ({@link Mode#CLUSTER} or {@link
 *     Mode#STANDALONE})
 * @param cluster settings of cluster mode (ignored in standalone mode)
 * @param history how forecaster state is rebuilt from Prometheus history
 */
public record ControllerConfig(
    URI prometheusUrl,
    Optional<Path> prometheusTokenFile,
    Optional<Path> prometheusCaFile,
    Duration queryTimeout,
    int queryRetries,
    Duration retryBackoff,
    Duration loopPeriod,
    Duration evaluationTimeout,
    Optional<Path> policiesFile,
    String httpHost,
    int httpPort,
    int decisionHistory,
    ScalerServerConfig scaler,
    Optional<MetricsApiSettings> metricsApi,
    InlinePolicies inline,
    Mode mode,
    ClusterSettings cluster,
    HistorySettings history) {

  /** Where declared policies come from. */
  public enum Mode {
    /** ScalingPolicy resources, the leader Lease and status writes. */
    CLUSTER,
    /** The policies file; no cluster needed. */
    STANDALONE
  }

  /**
   * Cluster mode's settings.
   *
   * @param kubeconfig kubeconfig file; empty means the client's defaults
   * @param podName this replica's identity in the Lease; empty means the host name
   * @param podNamespace namespace of the Lease
   * @param leaseName name of the Lease
   * @param supplyPeriod period of the node-supply analysis
   * @param leaseTiming duration, renew deadline and retry period of the Lease
   */
  public record ClusterSettings(
      Optional<Path> kubeconfig,
      Optional<String> podName,
      String podNamespace,
      String leaseName,
      Duration supplyPeriod,
      Leadership.Timing leaseTiming) {
    public ClusterSettings {
      Objects.requireNonNull(kubeconfig, "kubeconfig");
      Objects.requireNonNull(podName, "podName");
      Objects.requireNonNull(podNamespace, "podNamespace");
      Objects.requireNonNull(leaseName, "leaseName");
      Objects.requireNonNull(supplyPeriod, "supplyPeriod");
      Objects.requireNonNull(leaseTiming, "leaseTiming");
    }
  }

  /**
   * How policies written inline in a ScaledObject's trigger are read.
   *
   * @param enabled whether the KEDA scaler accepts inline policies at all
   * @param preset the metrics preset their signals are read with
   * @param window the {@code rate()} window of those signals
   * @param expireAfter how long an inline policy may go unasked before it stops being governed
   */
  public record InlinePolicies(
      boolean enabled, Preset preset, Duration window, Duration expireAfter) {
    public InlinePolicies {
      Objects.requireNonNull(preset, "preset");
      Objects.requireNonNull(window, "window");
      Objects.requireNonNull(expireAfter, "expireAfter");
    }
  }

  /**
   * How each workload's load forecaster is rebuilt from Prometheus range queries.
   *
   * @param enabled whether to rebuild at all
   * @param lookback how far back to read
   * @param step resolution of the range queries
   * @param timeout longest one rebuild round over every workload may take
   */
  public record HistorySettings(
      boolean enabled, Duration lookback, Duration step, Duration timeout) {
    /** Prometheus refuses a range query of more points than this. */
    public static final long MAX_POINTS = 11_000;

    public HistorySettings {
      Objects.requireNonNull(lookback, "lookback");
      Objects.requireNonNull(step, "step");
      Objects.requireNonNull(timeout, "timeout");
    }
  }

  public ControllerConfig {
    Objects.requireNonNull(prometheusUrl, "prometheusUrl");
    Objects.requireNonNull(prometheusTokenFile, "prometheusTokenFile");
    Objects.requireNonNull(prometheusCaFile, "prometheusCaFile");
    Objects.requireNonNull(queryTimeout, "queryTimeout");
    Objects.requireNonNull(retryBackoff, "retryBackoff");
    Objects.requireNonNull(loopPeriod, "loopPeriod");
    Objects.requireNonNull(evaluationTimeout, "evaluationTimeout");
    Objects.requireNonNull(policiesFile, "policiesFile");
    Objects.requireNonNull(httpHost, "httpHost");
    Objects.requireNonNull(scaler, "scaler");
    Objects.requireNonNull(metricsApi, "metricsApi");
    Objects.requireNonNull(inline, "inline");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(history, "history");
  }

  /** Every default, as if no flag or variable was given (the policies file stays unset). */
  public static ControllerConfig defaults() {
    return parseUnchecked(Map.of()).config;
  }

  /**
   * Parses {@code settings} (keyed by {@link Setting#key()}; absent keys take their defaults) and
   * validates every value.
   *
   * @throws InvalidConfigException listing every problem
   */
  public static ControllerConfig parse(Map<String, String> settings) {
    Parsed parsed = parseUnchecked(settings);
    if (!parsed.problems.isEmpty()) {
      throw new InvalidConfigException("invalid settings", parsed.problems);
    }
    return parsed.config;
  }

  /**
   * Parses and validates {@code settings}, file checks included, and reports every problem of both
   * kinds at once.
   *
   * @throws InvalidConfigException listing every problem
   */
  public static ControllerConfig load(Map<String, String> settings) {
    Parsed parsed = parseUnchecked(settings);
    List<Problem> problems = new ArrayList<>(parsed.problems);
    problems.addAll(parsed.config.validate());
    if (!problems.isEmpty()) {
      throw new InvalidConfigException("invalid settings", problems);
    }
    return parsed.config;
  }

  /** Every problem with this configuration that a file system check can find. */
  public List<Problem> validate() {
    List<Problem> problems = new ArrayList<>();
    checkReadable(Setting.PROMETHEUS_TOKEN_FILE, prometheusTokenFile, problems);
    checkReadable(Setting.PROMETHEUS_CA_FILE, prometheusCaFile, problems);
    checkReadable(Setting.POLICIES_FILE, policiesFile, problems);
    checkReadable(Setting.KUBECONFIG, cluster.kubeconfig(), problems);
    if (mode == Mode.STANDALONE && policiesFile.isEmpty()) {
      problems.add(
          new Problem(
              name(Setting.POLICIES_FILE),
              "<missing>",
              "a YAML policies file in " + Setting.MODE.option() + " standalone"));
    }
    if (mode == Mode.CLUSTER && policiesFile.isPresent()) {
      problems.add(
          new Problem(
              name(Setting.POLICIES_FILE),
              policiesFile.get().toString(),
              "no policies file in "
                  + Setting.MODE.option()
                  + " cluster (policies are ScalingPolicy resources)"));
    }
    for (dev.foresight.scaler.Problem p : scaler.problems()) {
      Setting s =
          switch (p.key()) {
            case "certChain" -> Setting.SCALER_CERT_CHAIN;
            case "privateKey" -> Setting.SCALER_PRIVATE_KEY;
            case "clientCa" -> Setting.SCALER_CLIENT_CA;
            case "port" -> Setting.SCALER_PORT;
            case "host" -> Setting.SCALER_HOST;
            default -> Setting.SCALER_SECURITY;
          };
      problems.add(new Problem(name(s), p.value(), p.expected()));
    }
    if (metricsApi.isPresent()) {
      MetricsApiSettings m = metricsApi.get();
      checkReadable(Setting.METRICS_API_TLS_CERT_FILE, m.tlsCertFile(), problems);
      checkReadable(Setting.METRICS_API_TLS_KEY_FILE, m.tlsKeyFile(), problems);
      checkReadable(Setting.METRICS_API_REQUESTHEADER_CA_FILE, m.requestHeaderCaFile(), problems);
    }
    if (prometheusCaFile.isPresent() && !"https".equals(prometheusUrl.getScheme())) {
      problems.add(
          new Problem(
              name(Setting.PROMETHEUS_CA_FILE),
              prometheusCaFile.get().toString(),
              "only with an https " + Setting.PROMETHEUS_URL.option()));
    }
    return problems;
  }

  private static void checkReadable(Setting s, Optional<Path> file, List<Problem> problems) {
    file.filter(f -> !Files.isReadable(f))
        .ifPresent(f -> problems.add(new Problem(name(s), f.toString(), "a readable file")));
  }

  /** {@code --loop-period (FORESIGHT_LOOP_PERIOD)}: how a problem names its setting. */
  static String name(Setting s) {
    return s.option() + " (" + s.environmentVariable() + ")";
  }

  private record Parsed(ControllerConfig config, List<Problem> problems) {}

  private static Parsed parseUnchecked(Map<String, String> settings) {
    for (String key : settings.keySet()) {
      boolean known = false;
      for (Setting s : Setting.values()) {
        known |= s.key().equals(key);
      }
      if (!known) {
        throw new IllegalArgumentException("unknown setting key: " + key);
      }
    }
    Reader r = new Reader(settings);
    URI url = r.uri(Setting.PROMETHEUS_URL);
    Optional<Path> token = r.path(Setting.PROMETHEUS_TOKEN_FILE);
    Optional<Path> ca = r.path(Setting.PROMETHEUS_CA_FILE);
    Duration timeout =
        r.duration(Setting.QUERY_TIMEOUT, Duration.ofMillis(1), Duration.ofMinutes(5));
    int retries = r.integer(Setting.QUERY_RETRIES, 0, 10);
    Duration backoff = r.duration(Setting.RETRY_BACKOFF, Duration.ZERO, Duration.ofMinutes(1));
    Duration period = r.duration(Setting.LOOP_PERIOD, Duration.ofMillis(100), Duration.ofHours(1));
    Duration evalTimeout =
        r.duration(Setting.EVALUATION_TIMEOUT, Duration.ofMillis(10), Duration.ofHours(1));
    Optional<Path> policies = r.path(Setting.POLICIES_FILE);
    String modeName = r.text(Setting.MODE);
    Mode mode =
        switch (modeName) {
          case "cluster" -> Mode.CLUSTER;
          case "standalone" -> Mode.STANDALONE;
          case "auto" -> policies.isPresent() ? Mode.STANDALONE : Mode.CLUSTER;
          default -> {
            r.problem(Setting.MODE, modeName, "cluster, standalone or auto");
            yield policies.isPresent() ? Mode.STANDALONE : Mode.CLUSTER;
          }
        };
    String podName = r.raw(Setting.POD_NAME);
    String podNamespace = r.dnsLabel(Setting.POD_NAMESPACE);
    String leaseName = r.dnsLabel(Setting.LEASE_NAME);
    Duration supplyPeriod =
        r.duration(Setting.SUPPLY_PERIOD, Duration.ofMillis(100), Duration.ofHours(1));
    Leadership.Timing leaseTiming = leaseTiming(r);
    String host = r.text(Setting.HTTP_HOST);
    int port = r.integer(Setting.HTTP_PORT, 0, 65535);
    int history = r.integer(Setting.DECISION_HISTORY, 1, 1000);
    String scalerHost = r.text(Setting.SCALER_HOST);
    int scalerPort = r.integer(Setting.SCALER_PORT, 0, 65535);
    String security = r.text(Setting.SCALER_SECURITY);
    ScalerServerConfig.Security scalerSecurity = ScalerServerConfig.Security.PLAINTEXT;
    switch (security) {
      case "plaintext" -> scalerSecurity = ScalerServerConfig.Security.PLAINTEXT;
      case "tls" -> scalerSecurity = ScalerServerConfig.Security.TLS;
      case "mtls" -> scalerSecurity = ScalerServerConfig.Security.MUTUAL_TLS;
      default ->
          r.problems.add(
              new Problem(name(Setting.SCALER_SECURITY), security, "plaintext, tls or mtls"));
    }
    // Kubelet refreshes a mounted Secret within about a minute; re-reading a few small files
    // more often than that costs nothing and shortens the time an expiring certificate is served.
    Duration tlsReload =
        r.duration(Setting.TLS_RELOAD_PERIOD, Duration.ofMillis(100), Duration.ofHours(1));
    Optional<MetricsApiSettings> metricsApi = metricsApi(r, tlsReload);
    boolean inlineEnabled = r.bool(Setting.INLINE_POLICIES);
    String presetName = r.text(Setting.INLINE_SIGNALS_PRESET);
    Optional<Preset> preset = Presets.byName(presetName);
    if (preset.isEmpty()) {
      r.problem(Setting.INLINE_SIGNALS_PRESET, presetName, "one of " + Presets.names());
    }
    Duration inlineWindow =
        r.duration(Setting.INLINE_SIGNALS_WINDOW, Duration.ofSeconds(1), Duration.ofHours(1));
    Duration inlineExpiry =
        r.duration(Setting.INLINE_POLICY_EXPIRY, Duration.ofMinutes(1), Duration.ofDays(7));
    HistorySettings historySettings = history(r);
    if (evalTimeout.compareTo(period) > 0 && !r.failed(Setting.LOOP_PERIOD)) {
      r.problems.add(
          new Problem(
              name(Setting.EVALUATION_TIMEOUT),
              Durations.format(evalTimeout),
              "at most " + Setting.LOOP_PERIOD.option() + " (" + Durations.format(period) + ")"));
    }
    ControllerConfig config =
        new ControllerConfig(
            url,
            token,
            ca,
            timeout,
            retries,
            backoff,
            period,
            evalTimeout,
            policies,
            host,
            port,
            history,
            // Built unvalidated here; validate() reports its problems under our flag names.
            new ScalerServerConfig(
                scalerHost,
                scalerPort,
                scalerSecurity,
                r.path(Setting.SCALER_CERT_CHAIN),
                r.path(Setting.SCALER_PRIVATE_KEY),
                r.path(Setting.SCALER_CLIENT_CA),
                tlsReload,
                ScalerServerConfig.DEFAULT_ACTIVITY_REPEAT,
                ScalerServerConfig.DEFAULT_STALE_AFTER,
                ScalerServerConfig.DEFAULT_SHUTDOWN_GRACE),
            metricsApi,
            new InlinePolicies(
                inlineEnabled,
                preset.orElseGet(
                    () -> Presets.byName(Setting.INLINE_SIGNALS_PRESET.defaultValue()).get()),
                inlineWindow,
                inlineExpiry),
            mode,
            new ClusterSettings(
                r.path(Setting.KUBECONFIG),
                Optional.ofNullable(podName).filter(n -> !n.isEmpty()),
                podNamespace,
                leaseName,
                supplyPeriod,
                leaseTiming),
            historySettings);
    return new Parsed(config, r.problems);
  }

  /**
   * The Lease's timing; problems go to {@code r}, and with any of them the defaults stand in. Each
   * duration must be shorter than the one it retries within, as client-java's elector requires.
   */
  private static Leadership.Timing leaseTiming(Reader r) {
    // The Lease records its duration in whole seconds: less than one would be written as zero.
    Duration lease = r.duration(Setting.LEASE_DURATION, Duration.ofSeconds(1), Duration.ofHours(1));
    Duration renew =
        r.duration(Setting.LEASE_RENEW_DEADLINE, Duration.ofMillis(100), Duration.ofHours(1));
    Duration retry =
        r.duration(Setting.LEASE_RETRY_PERIOD, Duration.ofMillis(100), Duration.ofHours(1));
    boolean parsed =
        !r.failed(Setting.LEASE_DURATION)
            && !r.failed(Setting.LEASE_RENEW_DEADLINE)
            && !r.failed(Setting.LEASE_RETRY_PERIOD);
    if (parsed && renew.compareTo(lease) >= 0) {
      r.problem(
          Setting.LEASE_RENEW_DEADLINE,
          Durations.format(renew),
          lessThan(Setting.LEASE_DURATION, lease));
    }
    if (parsed && retry.compareTo(renew) >= 0) {
      r.problem(
          Setting.LEASE_RETRY_PERIOD,
          Durations.format(retry),
          lessThan(Setting.LEASE_RENEW_DEADLINE, renew));
    }
    if (r.failed(Setting.LEASE_DURATION)
        || r.failed(Setting.LEASE_RENEW_DEADLINE)
        || r.failed(Setting.LEASE_RETRY_PERIOD)) {
      return Leadership.Timing.defaults();
    }
    return new Leadership.Timing(lease, renew, retry);
  }

  private static String lessThan(Setting other, Duration value) {
    return "a duration less than " + other.option() + " (" + Durations.format(value) + ")";
  }

  /** The history rebuild's settings; problems go to {@code r}. */
  private static HistorySettings history(Reader r) {
    boolean enabled = r.bool(Setting.HISTORY_ENABLED);
    Duration lookback =
        r.duration(Setting.HISTORY_LOOKBACK, Duration.ofMinutes(5), Duration.ofDays(60));
    Duration step = r.duration(Setting.HISTORY_STEP, Duration.ofSeconds(1), Duration.ofHours(1));
    Duration timeout =
        r.duration(Setting.HISTORY_TIMEOUT, Duration.ofSeconds(1), Duration.ofHours(1));
    if (!r.failed(Setting.HISTORY_LOOKBACK)
        && !r.failed(Setting.HISTORY_STEP)
        && lookback.toMillis() / step.toMillis() > HistorySettings.MAX_POINTS) {
      r.problem(
          Setting.HISTORY_STEP,
          Durations.format(step),
          "a step giving at most "
              + HistorySettings.MAX_POINTS
              + " points over "
              + Setting.HISTORY_LOOKBACK.option()
              + " ("
              + Durations.format(lookback)
              + "), Prometheus's limit per range query");
    }
    return new HistorySettings(enabled, lookback, step, timeout);
  }

  /** The metrics API's settings, or empty when it is turned off; problems go to {@code r}. */
  private static Optional<MetricsApiSettings> metricsApi(Reader r, Duration tlsReload) {
    boolean enabled = r.bool(Setting.METRICS_API_ENABLED);
    String host = r.text(Setting.METRICS_API_HOST);
    int port = r.integer(Setting.METRICS_API_PORT, 0, 65535);
    Optional<Path> cert = r.path(Setting.METRICS_API_TLS_CERT_FILE);
    Optional<Path> key = r.path(Setting.METRICS_API_TLS_KEY_FILE);
    Optional<Path> requestHeaderCa = r.path(Setting.METRICS_API_REQUESTHEADER_CA_FILE);
    String allowed = r.raw(Setting.METRICS_API_REQUESTHEADER_ALLOWED_NAMES);
    Set<String> allowedNames = new java.util.TreeSet<>();
    for (String name : (allowed == null ? "" : allowed).split(",")) {
      if (!name.isBlank()) {
        allowedNames.add(name.trim());
      }
    }
    boolean delegated = r.bool(Setting.METRICS_API_DELEGATED_AUTHORIZATION);
    Duration staleAfter =
        r.duration(Setting.METRICS_API_STALE_AFTER, Duration.ofSeconds(1), Duration.ofDays(1));
    String namespace = r.text(Setting.METRICS_API_SERVICE_NAMESPACE);
    String service = r.text(Setting.METRICS_API_SERVICE_NAME);
    if (cert.isPresent() != key.isPresent()) {
      Setting missing =
          cert.isPresent() ? Setting.METRICS_API_TLS_KEY_FILE : Setting.METRICS_API_TLS_CERT_FILE;
      Setting given =
          cert.isPresent() ? Setting.METRICS_API_TLS_CERT_FILE : Setting.METRICS_API_TLS_KEY_FILE;
      r.problem(
          missing,
          "<missing>",
          "a PEM file together with " + given.option() + ", or neither for a self-signed one");
    }
    if (!enabled || cert.isPresent() != key.isPresent()) {
      return Optional.empty();
    }
    MetricsApiServerConfig defaults = MetricsApiServerConfig.defaults();
    return Optional.of(
        new MetricsApiSettings(
            new MetricsApiServerConfig(
                new InetSocketAddress(host, port),
                defaults.backlog(),
                defaults.threads(),
                tlsReload,
                staleAfter),
            cert,
            key,
            requestHeaderCa,
            allowedNames,
            delegated,
            Duration.ofSeconds(10),
            Duration.ofSeconds(10),
            namespace,
            service));
  }

  /** Reads one setting at a time, recording problems and substituting defaults. */
  private static final class Reader {
    private final Map<String, String> settings;
    private final List<Problem> problems = new ArrayList<>();
    private final List<Setting> failed = new ArrayList<>();

    Reader(Map<String, String> settings) {
      this.settings = settings;
    }

    boolean failed(Setting s) {
      return failed.contains(s);
    }

    String raw(Setting s) {
      String v = settings.get(s.key());
      return v == null ? s.defaultValue() : v.trim();
    }

    void problem(Setting s, String value, String expected) {
      failed.add(s);
      problems.add(new Problem(name(s), value, expected));
    }

    String text(Setting s) {
      String v = raw(s);
      if (v == null || v.isEmpty()) {
        problem(s, String.valueOf(v), "a non-empty value");
        return s.defaultValue();
      }
      return v;
    }

    /** A DNS-1123 label or subdomain, as Kubernetes names namespaces and Leases. */
    String dnsLabel(Setting s) {
      String v = text(s);
      if (v.length() <= 253 && v.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
        return v;
      }
      problem(s, v, "a Kubernetes name: lower-case letters, digits, '-' and '.', at most 253 long");
      return s.defaultValue();
    }

    URI uri(Setting s) {
      String v = raw(s);
      try {
        URI uri = new URI(v);
        if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
            && uri.getHost() != null) {
          return uri;
        }
      } catch (URISyntaxException | NullPointerException e) {
        // reported below
      }
      problem(s, String.valueOf(v), "an http:// or https:// URL with a host");
      return URI.create(s.defaultValue());
    }

    Optional<Path> path(Setting s) {
      String v = raw(s);
      if (v == null || v.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(Path.of(v));
    }

    Duration duration(Setting s, Duration min, Duration max) {
      String v = raw(s);
      Optional<Duration> d = Durations.parse(v);
      if (d.isPresent() && d.get().compareTo(min) >= 0 && d.get().compareTo(max) <= 0) {
        return d.get();
      }
      problem(
          s,
          String.valueOf(v),
          "a duration such as 250ms, 5s, 2m from "
              + Durations.format(min)
              + " to "
              + Durations.format(max));
      return Durations.parse(s.defaultValue()).orElseThrow();
    }

    boolean bool(Setting s) {
      String v = raw(s);
      if ("true".equals(v) || "false".equals(v)) {
        return Boolean.parseBoolean(v);
      }
      problem(s, String.valueOf(v), "true or false");
      return Boolean.parseBoolean(s.defaultValue());
    }

    int integer(Setting s, int min, int max) {
      String v = raw(s);
      try {
        int n = Integer.parseInt(v);
        if (n >= min && n <= max) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      problem(s, String.valueOf(v), "a whole number from " + min + " to " + max);
      return Integer.parseInt(s.defaultValue());
    }
  }
}
