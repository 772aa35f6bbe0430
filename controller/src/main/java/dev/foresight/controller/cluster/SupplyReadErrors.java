package dev.foresight.controller.cluster;

import io.kubernetes.client.openapi.ApiException;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.InterruptedIOException;

/**
 * {@code foresight_node_supply_read_errors_total{resource,error}}: reads of the node-supply
 * snapshot (NodePools, NodeClaims, Events) that failed. A refresh whose Karpenter reads failed
 * falls back to Events only, so {@code foresight_karpenter_observed} reads 0 for it; this counter
 * says why.
 *
 * <p>{@code error} is {@code timeout} when the call timeout cut the read off, {@code unreachable}
 * for another I/O failure, else {@code http_<code>}.
 */
public final class SupplyReadErrors {

  private final Counter errors;

  public SupplyReadErrors(PrometheusRegistry registry) {
    errors =
        Counter.builder()
            .name("foresight_node_supply_read_errors_total")
            .help("Node-supply reads (nodepools, nodeclaims, events) that failed, by error.")
            .labelNames("resource", "error")
            .register(registry);
  }

  /** Counts a failed read of {@code resource}. */
  public void failed(String resource, ApiException e) {
    errors.labelValues(resource, kind(e)).inc();
  }

  /** The {@code error} label of a failed read. */
  static String kind(ApiException e) {
    if (e.getCode() != 0) {
      return "http_" + e.getCode();
    }
    // client-java wraps the I/O failure; OkHttp's call timeout is an InterruptedIOException.
    return e.getCause() instanceof InterruptedIOException ? "timeout" : "unreachable";
  }
}
