package dev.foresight.controller.config;

import java.util.Locale;

/**
 * Every setting of {@code foresight run}, declared once: its flag, its environment variable, its
 * default and what it means. The command line, the environment and the documentation all derive
 * from this table.
 */
public enum Setting {
  PROMETHEUS_URL("prometheus-url", "http://localhost:9090", "Base URL of the Prometheus HTTP API."),
  PROMETHEUS_TOKEN_FILE(
      "prometheus-token-file",
      null,
      "File holding a bearer token sent to Prometheus (re-read on every request)."),
  PROMETHEUS_CA_FILE(
      "prometheus-ca-file", null, "PEM file of CA certificates trusted for an https Prometheus."),
  QUERY_TIMEOUT("query-timeout", "2s", "Timeout of one Prometheus request."),
  QUERY_RETRIES(
      "query-retries", "2", "Retries of a failed Prometheus request (network error, 429, 5xx)."),
  RETRY_BACKOFF(
      "retry-backoff", "200ms", "First retry delay; doubles on each further retry (with jitter)."),
  LOOP_PERIOD("loop-period", "5s", "How often every governed workload is evaluated."),
  EVALUATION_TIMEOUT(
      "evaluation-timeout",
      "4s",
      "Longest one workload's evaluation may take; a slower one holds its count and is recorded."),
  MODE(
      "mode",
      "auto",
      "Where declared policies come from: cluster (ScalingPolicy resources, Lease, status),"
          + " standalone (--policies-file, no cluster needed) or auto (standalone when a policies"
          + " file is given, else cluster)."),
  POLICIES_FILE(
      "policies-file", null, "Standalone mode: YAML file of policies (no cluster needed)."),
  KUBECONFIG(
      "kubeconfig",
      null,
      "Cluster mode: kubeconfig file; without it $KUBECONFIG, ~/.kube/config, then the in-cluster"
          + " service account."),
  POD_NAME(
      "pod-name",
      null,
      "Cluster mode: this replica's identity in the leader Lease (the pod name, from the downward"
          + " API); the host name when unset."),
  POD_NAMESPACE(
      "pod-namespace",
      "foresight-system",
      "Cluster mode: namespace of the leader Lease (the pod's own, from the downward API)."),
  LEASE_NAME("lease-name", "foresight-controller", "Cluster mode: name of the leader Lease."),
  LEASE_DURATION(
      "lease-duration",
      "15s",
      "Cluster mode: how long the leader Lease holds without a renewal; a replica takes an"
          + " unrenewed Lease over this long after it last saw it change."),
  LEASE_RENEW_DEADLINE(
      "lease-renew-deadline",
      "10s",
      "Cluster mode: how long the leader keeps retrying a failed renewal before it stops leading"
          + " (less than --lease-duration)."),
  LEASE_RETRY_PERIOD(
      "lease-retry-period",
      "2s",
      "Cluster mode: time between attempts to take or renew the Lease (less than"
          + " --lease-renew-deadline)."),
  SUPPLY_PERIOD(
      "supply-period",
      "10s",
      "Cluster mode: how often node supply (Karpenter, Pending pods, Events) is read and analyzed."),
  HTTP_HOST("http-host", "0.0.0.0", "Address the /metrics and /decisions endpoints listen on."),
  HTTP_PORT("http-port", "8080", "Port of the /metrics and /decisions endpoints (0 picks one)."),
  SCALER_HOST("scaler-host", "0.0.0.0", "Address the KEDA external scaler (gRPC) listens on."),
  SCALER_PORT("scaler-port", "9443", "Port of the KEDA external scaler (0 picks one)."),
  SCALER_SECURITY(
      "scaler-security",
      "plaintext",
      "Transport of the KEDA external scaler: plaintext, tls or mtls (KEDA presents a client"
          + " certificate)."),
  SCALER_CERT_CHAIN(
      "scaler-cert-chain",
      null,
      "PEM certificate chain of the scaler (tls, mtls); re-read on change."),
  SCALER_PRIVATE_KEY("scaler-private-key", null, "PEM private key of the scaler (tls, mtls)."),
  SCALER_CLIENT_CA("scaler-client-ca", null, "PEM CA that signs KEDA's client certificate (mtls)."),
  METRICS_API_ENABLED(
      "metrics-api-enabled",
      "true",
      "Serve the external metrics API (external.metrics.k8s.io/v1beta1, for HPA): true or false."),
  METRICS_API_HOST("metrics-api-host", "0.0.0.0", "Address the external metrics API listens on."),
  METRICS_API_PORT(
      "metrics-api-port", "6443", "HTTPS port of the external metrics API (0 picks one)."),
  METRICS_API_TLS_CERT_FILE(
      "metrics-api-tls-cert-file",
      null,
      "PEM serving certificate chain of the metrics API, re-read on change; without it and the key,"
          + " a self-signed certificate is made at start-up."),
  METRICS_API_TLS_KEY_FILE(
      "metrics-api-tls-key-file", null, "PEM private key of the metrics API's certificate."),
  METRICS_API_REQUESTHEADER_CA_FILE(
      "metrics-api-requestheader-ca-file",
      null,
      "PEM CA of the API aggregator's client certificate; without it the CA and allowed names are"
          + " read from ConfigMap kube-system/extension-apiserver-authentication (needs a cluster)."),
  METRICS_API_REQUESTHEADER_ALLOWED_NAMES(
      "metrics-api-requestheader-allowed-names",
      "front-proxy-client",
      "Comma-separated common names the aggregator's client certificate may have (with a CA file;"
          + " empty allows any name the CA signed)."),
  METRICS_API_DELEGATED_AUTHORIZATION(
      "metrics-api-delegated-authorization",
      "true",
      "Ask Kubernetes (SubjectAccessReview) whether each caller may read the metric: true or false"
          + " (true needs a cluster)."),
  METRICS_API_STALE_AFTER(
      "metrics-api-stale-after",
      "60s",
      "Age beyond which a served decision is counted as stale (it is still served)."),
  METRICS_API_SERVICE_NAMESPACE(
      "metrics-api-service-namespace",
      "foresight",
      "Namespace of the metrics API's Service (self-signed certificate names, APIService check)."),
  METRICS_API_SERVICE_NAME(
      "metrics-api-service-name", "foresight-metrics-api", "Name of the metrics API's Service."),
  TLS_RELOAD_PERIOD(
      "tls-reload-period",
      "10s",
      "How often both servers re-read their certificate, key and CA files; a changed, consistent"
          + " set is used for new connections without a restart."),
  INLINE_POLICIES(
      "inline-policies",
      "true",
      "Govern policies written inline in KEDA ScaledObject triggers: true or false."),
  INLINE_SIGNALS_PRESET(
      "inline-signals-preset",
      "vllm",
      "Metrics preset the signals of inline policies are read with (vllm, tgi, sglang,"
          + " triton-trtllm, trtllm-serve, llm-d-epp); replicas come from kube-state-metrics."),
  INLINE_SIGNALS_WINDOW(
      "inline-signals-window", "1m", "rate() window of the signals of inline policies."),
  INLINE_POLICY_EXPIRY(
      "inline-policy-expiry",
      "15m",
      "An inline policy KEDA has not asked about (by request or open stream) for this long stops"
          + " being governed: KEDA never reports a deleted ScaledObject. Keep it well above the"
          + " ScaledObjects' pollingInterval."),
  DECISION_HISTORY(
      "decision-history", "20", "Decisions kept per workload for the /decisions endpoint."),
  HISTORY_ENABLED(
      "history-enabled",
      "true",
      "Rebuild each workload's load forecaster from Prometheus range queries at start-up, on"
          + " becoming leader and when a policy is first governed: true or false."),
  HISTORY_LOOKBACK("history-lookback", "7d", "How far back the forecaster's history is read."),
  HISTORY_STEP(
      "history-step",
      "5m",
      "Resolution of the history range queries (lookback / step must stay within Prometheus's"
          + " 11,000 points per query)."),
  HISTORY_TIMEOUT(
      "history-timeout",
      "5m",
      "Longest one rebuild round (every workload, in parallel) may take; workloads not rebuilt by"
          + " then keep their fresh state.");

  private final String flag;
  private final String defaultValue;
  private final String description;

  Setting(String flag, String defaultValue, String description) {
    this.flag = flag;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  /** The long option without dashes, e.g. {@code loop-period}; also the key of settings maps. */
  public String key() {
    return flag;
  }

  /** {@code --loop-period}. */
  public String option() {
    return "--" + flag;
  }

  /** {@code FORESIGHT_LOOP_PERIOD}. */
  public String environmentVariable() {
    return "FORESIGHT_" + flag.replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /** The default as text, or {@code null} when the setting has none. */
  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }
}
