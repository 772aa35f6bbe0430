package dev.foresight.controller.serving;

import dev.foresight.metricsapi.ApiServiceOwnership;
import dev.foresight.metricsapi.ServerStats;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Publishes the external metrics API's counters and its APIService ownership on the controller's
 * {@code /metrics}. Values are read from {@link ServerStats} at scrape time, so serving a request
 * costs nothing extra.
 *
 * <ul>
 *   <li>{@code foresight_metrics_api_requests_total{outcome}}: {@code served} (answered with
 *       values), {@code unauthenticated} (401), {@code forbidden} (403)
 *   <li>{@code foresight_metrics_api_stale_values_total}: values served from a decision older than
 *       {@code --metrics-api-stale-after}
 *   <li>{@code foresight_metrics_api_apiservice_owned{state}}: 1 when APIService {@code
 *       v1beta1.external.metrics.k8s.io} points to this server, else 0; {@code state} is OURS,
 *       ELSEWHERE (KEDA?), ABSENT or UNKNOWN
 * </ul>
 */
public final class MetricsApiMetrics {

  private MetricsApiMetrics() {}

  /** Registers the callbacks on {@code registry}. */
  public static void register(
      PrometheusRegistry registry, ServerStats stats, ApiServiceOwnership ownership) {
    CounterWithCallback.builder()
        .name("foresight_metrics_api_requests_total")
        .help("External metrics API requests by outcome: served, unauthenticated (401), forbidden.")
        .labelNames("outcome")
        .callback(
            cb -> {
              cb.call(stats.served(), "served");
              cb.call(stats.unauthenticated(), "unauthenticated");
              cb.call(stats.forbidden(), "forbidden");
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("foresight_metrics_api_stale_values_total")
        .help("External metric values served from a decision older than the staleness limit.")
        .callback(cb -> cb.call(stats.staleServed()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("foresight_metrics_api_apiservice_owned")
        .help(
            "1 when APIService "
                + ApiServiceOwnership.API_SERVICE
                + " points to this server, else 0 (another owner, such as KEDA, serves HPA).")
        .labelNames("state")
        .callback(cb -> cb.call(ownership.ownedGauge(), ownership.state().name()))
        .register(registry);
  }
}
