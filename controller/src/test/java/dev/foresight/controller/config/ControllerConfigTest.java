package dev.foresight.controller.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.foresight.controller.cluster.Leadership;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ControllerConfigTest {

  @Test
  void historyIsRebuiltByDefaultOverAWeekAtFiveMinutes() {
    ControllerConfig.HistorySettings h = ControllerConfig.defaults().history();
    assertThat(h.enabled()).isTrue();
    assertThat(h.lookback()).isEqualTo(Duration.ofDays(7));
    assertThat(h.step()).isEqualTo(Duration.ofMinutes(5));
    assertThat(h.timeout()).isEqualTo(Duration.ofMinutes(5));
    ControllerConfig.HistorySettings set =
        ControllerConfig.parse(
                Map.of(
                    "history-enabled", "false",
                    "history-lookback", "1d",
                    "history-step", "1m",
                    "history-timeout", "30s"))
            .history();
    assertThat(set)
        .isEqualTo(
            new ControllerConfig.HistorySettings(
                false, Duration.ofDays(1), Duration.ofMinutes(1), Duration.ofSeconds(30)));
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    ControllerConfig c = ControllerConfig.defaults();
    assertThat(c.prometheusUrl()).isEqualTo(URI.create("http://localhost:9090"));
    assertThat(c.queryTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.queryRetries()).isEqualTo(2);
    assertThat(c.retryBackoff()).isEqualTo(Duration.ofMillis(200));
    assertThat(c.loopPeriod()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.evaluationTimeout()).isEqualTo(Duration.ofSeconds(4));
    assertThat(c.httpPort()).isEqualTo(8080);
    assertThat(c.scaler().port()).isEqualTo(9443);
    assertThat(c.scaler().security())
        .isEqualTo(dev.foresight.scaler.ScalerServerConfig.Security.PLAINTEXT);
    assertThat(c.decisionHistory()).isEqualTo(20);
    assertThat(c.policiesFile()).isEmpty();
  }

  @Test
  void valuesOverrideDefaults() {
    ControllerConfig c =
        ControllerConfig.parse(
            Map.of(
                "prometheus-url", "https://prom.example:9443/prefix",
                "loop-period", "10s",
                "evaluation-timeout", "PT8S",
                "query-retries", "0",
                "http-port", "0"));
    assertThat(c.prometheusUrl()).isEqualTo(URI.create("https://prom.example:9443/prefix"));
    assertThat(c.loopPeriod()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.evaluationTimeout()).isEqualTo(Duration.ofSeconds(8));
    assertThat(c.queryRetries()).isZero();
    assertThat(c.httpPort()).isZero();
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "prometheus-url      | localhost:9090 | --prometheus-url (FORESIGHT_PROMETHEUS_URL)",
        "prometheus-url      | ftp://host     | an http:// or https:// URL",
        "query-timeout       | 5 seconds      | --query-timeout (FORESIGHT_QUERY_TIMEOUT)",
        "query-timeout       | 0s             | from 1ms to 5m",
        "query-retries       | -1             | a whole number from 0 to 10",
        "query-retries       | many           | a whole number from 0 to 10",
        "loop-period         | 50ms           | from 100ms to 1h",
        "http-port           | 70000          | a whole number from 0 to 65535",
        "decision-history    | 0              | a whole number from 1 to 1000",
        "evaluation-timeout  | 6s             | at most --loop-period (5s)",
        "scaler-security     | ssl            | plaintext, tls or mtls",
        "scaler-port         | -1             | --scaler-port (FORESIGHT_SCALER_PORT)",
        "metrics-api-port    | 65536          | --metrics-api-port (FORESIGHT_METRICS_API_PORT)",
        "metrics-api-enabled | yes            | true or false",
        "metrics-api-delegated-authorization | off | true or false",
        "metrics-api-stale-after | 0s         | from 1s to 24h",
        "inline-policies     | 1              | --inline-policies (FORESIGHT_INLINE_POLICIES)",
        "inline-signals-preset | openai       | one of [vllm",
        "inline-signals-window | 0s           | from 1s to 1h",
        "history-enabled     | maybe          | true or false",
        "history-lookback    | 1m             | from 5m to 1440h",
        "history-step        | 10s            | a step giving at most 11000 points over --history-lookback (168h)",
        "history-timeout     | 0s             | --history-timeout (FORESIGHT_HISTORY_TIMEOUT)",
        "tls-reload-period   | 10ms           | from 100ms to 1h",
        "inline-policy-expiry | 10s           | from 1m to 168h",
        "lease-duration      | 500ms          | from 1s to 1h",
        "lease-renew-deadline | 15s           | a duration less than --lease-duration (15s)",
        "lease-retry-period  | 10s            | a duration less than --lease-renew-deadline (10s)",
        "lease-retry-period  | 0s             | --lease-retry-period (FORESIGHT_LEASE_RETRY_PERIOD)",
        "lease-renew-deadline | soon          | --lease-renew-deadline (FORESIGHT_LEASE_RENEW_DEADLINE)",
      })
  void badValueIsNamedWithWhatWasExpected(String key, String value, String expected) {
    assertThatThrownBy(() -> ControllerConfig.parse(Map.of(key, value)))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining(value)
        .hasMessageContaining(expected);
  }

  static Stream<Arguments> modes() {
    return Stream.of(
        Arguments.of("auto without a file is cluster", Map.of(), ControllerConfig.Mode.CLUSTER),
        Arguments.of(
            "auto with a file is standalone",
            Map.of("policies-file", "p.yaml"),
            ControllerConfig.Mode.STANDALONE),
        Arguments.of("explicit cluster", Map.of("mode", "cluster"), ControllerConfig.Mode.CLUSTER),
        Arguments.of(
            "explicit standalone",
            Map.of("mode", "standalone", "policies-file", "p.yaml"),
            ControllerConfig.Mode.STANDALONE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void modeIsResolvedFromTheSettings(
      String name, Map<String, String> settings, ControllerConfig.Mode expected) {
    assertThat(ControllerConfig.parse(settings).mode()).isEqualTo(expected);
  }

  @Test
  void clusterSettingsComeFromTheDownwardApiVariables() {
    ControllerConfig c =
        ControllerConfig.parse(
            Map.of(
                "pod-name", "foresight-controller-7d9f-abcde",
                "pod-namespace", "ops",
                "lease-name", "my-lease",
                "supply-period", "30s",
                "lease-duration", "6s",
                "lease-renew-deadline", "4s",
                "lease-retry-period", "500ms"));
    assertThat(c.cluster())
        .isEqualTo(
            new ControllerConfig.ClusterSettings(
                java.util.Optional.empty(),
                java.util.Optional.of("foresight-controller-7d9f-abcde"),
                "ops",
                "my-lease",
                java.time.Duration.ofSeconds(30),
                new Leadership.Timing(
                    Duration.ofSeconds(6), Duration.ofSeconds(4), Duration.ofMillis(500))));
    assertThat(ControllerConfig.defaults().cluster().leaseName()).isEqualTo("foresight-controller");
    assertThat(ControllerConfig.defaults().cluster().podName()).isEmpty();
    assertThat(ControllerConfig.defaults().cluster().leaseTiming())
        .isEqualTo(Leadership.Timing.defaults());
  }

  @Test
  void aLeaseTimingOutOfOrderNamesTheFlagThatMustBeShorter() {
    // A lease duration below the default renew deadline: the renew deadline is what must give.
    assertThatThrownBy(() -> ControllerConfig.parse(Map.of("lease-duration", "8s")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("--lease-renew-deadline (FORESIGHT_LEASE_RENEW_DEADLINE)")
        .hasMessageContaining("a duration less than --lease-duration (8s)");
    InvalidConfigException both =
        (InvalidConfigException)
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    ControllerConfig.parse(
                        Map.of(
                            "lease-duration", "5s",
                            "lease-renew-deadline", "5s",
                            "lease-retry-period", "5s")));
    assertThat(both.problems())
        .extracting(Problem::field)
        .containsExactlyInAnyOrder(
            "--lease-renew-deadline (FORESIGHT_LEASE_RENEW_DEADLINE)",
            "--lease-retry-period (FORESIGHT_LEASE_RETRY_PERIOD)");
  }

  static Stream<Arguments> modeProblems() {
    return Stream.of(
        Arguments.of(
            "standalone without a file",
            Map.of("mode", "standalone"),
            List.of("--policies-file (FORESIGHT_POLICIES_FILE)")),
        Arguments.of(
            "cluster with a file",
            Map.of("mode", "cluster", "policies-file", "/does/not/exist.yaml"),
            List.of(
                "--policies-file (FORESIGHT_POLICIES_FILE)",
                "--policies-file (FORESIGHT_POLICIES_FILE)")),
        Arguments.of(
            "unknown mode, bad lease and namespace, bad period",
            Map.of(
                "mode", "k8s",
                "lease-name", "Foresight_Lease",
                "pod-namespace", "-ops",
                "supply-period", "0s"),
            List.of(
                "--mode (FORESIGHT_MODE)",
                "--lease-name (FORESIGHT_LEASE_NAME)",
                "--pod-namespace (FORESIGHT_POD_NAMESPACE)",
                "--supply-period (FORESIGHT_SUPPLY_PERIOD)")),
        Arguments.of(
            "unreadable kubeconfig",
            Map.of("kubeconfig", "/does/not/exist/kubeconfig"),
            List.of("--kubeconfig (FORESIGHT_KUBECONFIG)")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modeProblems")
  void modeProblemsAreReportedTogether(
      String name, Map<String, String> settings, List<String> fields) {
    InvalidConfigException e =
        (InvalidConfigException)
            org.assertj.core.api.Assertions.catchThrowable(() -> ControllerConfig.load(settings));
    assertThat(e).isNotNull();
    assertThat(e.problems()).extracting(Problem::field).containsExactlyInAnyOrderElementsOf(fields);
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    InvalidConfigException e =
        (InvalidConfigException)
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    ControllerConfig.load(
                        Map.of(
                            "mode", "standalone",
                            "prometheus-url", "nope",
                            "loop-period", "soon",
                            "query-retries", "99",
                            "prometheus-ca-file", "/does/not/exist.pem")));
    assertThat(e.problems())
        .extracting(Problem::field)
        .containsExactlyInAnyOrder(
            "--prometheus-url (FORESIGHT_PROMETHEUS_URL)",
            "--loop-period (FORESIGHT_LOOP_PERIOD)",
            "--query-retries (FORESIGHT_QUERY_RETRIES)",
            "--prometheus-ca-file (FORESIGHT_PROMETHEUS_CA_FILE)",
            "--prometheus-ca-file (FORESIGHT_PROMETHEUS_CA_FILE)",
            "--policies-file (FORESIGHT_POLICIES_FILE)");
    assertThat(e.getMessage()).startsWith("invalid settings (6 problems):");
  }

  @Test
  void metricsApiDefaultsAreTheAggregatorsConventions() {
    ControllerConfig c = ControllerConfig.defaults();
    var api = c.metricsApi().orElseThrow();
    assertThat(api.server().listen().getPort()).isEqualTo(6443);
    assertThat(api.server().staleAfter()).isEqualTo(Duration.ofSeconds(60));
    assertThat(api.tlsCertFile()).isEmpty();
    assertThat(api.requestHeaderCaFile()).isEmpty();
    assertThat(api.requestHeaderAllowedNames()).containsExactly("front-proxy-client");
    assertThat(api.delegatedAuthorization()).isTrue();
    assertThat(api.serviceDnsNames()).contains("foresight-metrics-api.foresight.svc");
    assertThat(c.inline().enabled()).isTrue();
    assertThat(c.inline().preset().name()).isEqualTo("vllm");
    assertThat(c.inline().window()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void metricsApiSettingsAreParsed() {
    ControllerConfig c =
        ControllerConfig.parse(
            Map.of(
                "metrics-api-host", "127.0.0.1",
                "metrics-api-port", "0",
                "metrics-api-tls-cert-file", "/certs/tls.crt",
                "metrics-api-tls-key-file", "/certs/tls.key",
                "metrics-api-requestheader-ca-file", "/ca/front-proxy-ca.crt",
                "metrics-api-requestheader-allowed-names", " aggregator , front-proxy-client,",
                "metrics-api-delegated-authorization", "false",
                "metrics-api-stale-after", "2m",
                "inline-signals-preset", "sglang",
                "inline-signals-window", "30s"));
    var api = c.metricsApi().orElseThrow();
    assertThat(api.server().listen().getHostString()).isEqualTo("127.0.0.1");
    assertThat(api.server().listen().getPort()).isZero();
    assertThat(api.tlsCertFile()).contains(Path.of("/certs/tls.crt"));
    assertThat(api.tlsKeyFile()).contains(Path.of("/certs/tls.key"));
    assertThat(api.requestHeaderCaFile()).contains(Path.of("/ca/front-proxy-ca.crt"));
    assertThat(api.requestHeaderAllowedNames())
        .containsExactlyInAnyOrder("aggregator", "front-proxy-client");
    assertThat(api.delegatedAuthorization()).isFalse();
    assertThat(api.server().staleAfter()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.inline().preset().name()).isEqualTo("sglang");
    assertThat(c.inline().window()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void emptyAllowedNamesAllowAnyNameTheCaSigned() {
    ControllerConfig c =
        ControllerConfig.parse(Map.of("metrics-api-requestheader-allowed-names", ""));
    assertThat(c.metricsApi().orElseThrow().requestHeaderAllowedNames()).isEmpty();
  }

  @Test
  void tlsReloadPeriodIsSharedByBothServers() {
    ControllerConfig defaults = ControllerConfig.parse(Map.of());
    assertThat(defaults.scaler().certRefresh()).isEqualTo(Duration.ofSeconds(10));
    assertThat(defaults.metricsApi().orElseThrow().server().reloadInterval())
        .isEqualTo(Duration.ofSeconds(10));
    ControllerConfig fast = ControllerConfig.parse(Map.of("tls-reload-period", "250ms"));
    assertThat(fast.scaler().certRefresh()).isEqualTo(Duration.ofMillis(250));
    assertThat(fast.metricsApi().orElseThrow().server().reloadInterval())
        .isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void metricsApiCanBeTurnedOff() {
    assertThat(ControllerConfig.parse(Map.of("metrics-api-enabled", "false")).metricsApi())
        .isEmpty();
  }

  @Test
  void metricsApiProblemsAreReportedTogetherByFlag(@TempDir Path dir) throws Exception {
    Path policies = Files.writeString(dir.resolve("p.yaml"), "policies: []\n");
    InvalidConfigException e =
        (InvalidConfigException)
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    ControllerConfig.load(
                        Map.of(
                            "policies-file", policies.toString(),
                            "metrics-api-tls-key-file", "/no/such/tls.key",
                            "metrics-api-port", "http",
                            "metrics-api-stale-after", "forever")));
    assertThat(e.problems())
        .extracting(Problem::field)
        .containsExactlyInAnyOrder(
            "--metrics-api-tls-cert-file (FORESIGHT_METRICS_API_TLS_CERT_FILE)",
            "--metrics-api-port (FORESIGHT_METRICS_API_PORT)",
            "--metrics-api-stale-after (FORESIGHT_METRICS_API_STALE_AFTER)");

    InvalidConfigException unreadable =
        (InvalidConfigException)
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    ControllerConfig.load(
                        Map.of(
                            "policies-file", policies.toString(),
                            "metrics-api-tls-cert-file", "/no/such/tls.crt",
                            "metrics-api-tls-key-file", "/no/such/tls.key",
                            "metrics-api-requestheader-ca-file", "/no/such/ca.crt")));
    assertThat(unreadable.problems())
        .extracting(Problem::value)
        .containsExactlyInAnyOrder("/no/such/tls.crt", "/no/such/tls.key", "/no/such/ca.crt");
  }

  @Test
  void scalerTlsNeedsItsFilesNamedByFlag(@TempDir Path dir) throws Exception {
    Path policies = Files.writeString(dir.resolve("p.yaml"), "policies: []\n");
    InvalidConfigException e =
        (InvalidConfigException)
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    ControllerConfig.load(
                        Map.of(
                            "policies-file", policies.toString(),
                            "scaler-security", "mtls",
                            "scaler-cert-chain", "/no/such/cert.pem")));
    assertThat(e.problems())
        .extracting(Problem::field)
        .containsExactlyInAnyOrder(
            "--scaler-cert-chain (FORESIGHT_SCALER_CERT_CHAIN)",
            "--scaler-private-key (FORESIGHT_SCALER_PRIVATE_KEY)",
            "--scaler-client-ca (FORESIGHT_SCALER_CLIENT_CA)");
  }

  @Test
  void loadAcceptsReadableFiles(@TempDir Path dir) throws Exception {
    Path policies = Files.writeString(dir.resolve("p.yaml"), "policies: []\n");
    ControllerConfig c = ControllerConfig.load(Map.of("policies-file", policies.toString()));
    assertThat(c.policiesFile()).contains(policies);
  }

  @Test
  void unknownKeyIsAProgrammingError() {
    assertThatThrownBy(() -> ControllerConfig.parse(Map.of("loop_period", "5s")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("loop_period");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"250ms,PT0.25S", "5s,PT5S", "2m,PT2M", "1h,PT1H", "7d,PT168H", "PT1M30S,PT1M30S"})
  void durationsParse(String text, String iso) {
    assertThat(Durations.parse(text)).contains(Duration.parse(iso));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"5", "s", "-5s", "1.5s", "5 s", "5sec"})
  void badDurationsDoNotParse(String text) {
    assertThat(Durations.parse(text)).isEmpty();
  }
}
