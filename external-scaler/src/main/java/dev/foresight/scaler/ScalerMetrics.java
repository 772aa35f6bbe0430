package dev.foresight.scaler;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The scaler's own Prometheus metrics:
 *
 * <ul>
 *   <li>{@code foresight_scaler_requests_total{rpc, outcome}}: every RPC (streams counted when
 *       opened) by outcome: {@code ok}, {@code stale} (answered from a decision older than the
 *       stale limit), {@code no_decision} (the safe answer), {@code invalid_argument}, {@code
 *       not_found}, {@code internal};
 *   <li>{@code foresight_scaler_open_streams{rpc}}: streams currently open;
 *   <li>{@code foresight_scaler_stream_messages_total{rpc, cause}}: messages pushed on streams, by
 *       cause ({@code open}, {@code change}, {@code repeat}).
 * </ul>
 */
public final class ScalerMetrics {

  final Counter requests;
  final Gauge openStreams;
  final Counter streamMessages;

  public ScalerMetrics(PrometheusRegistry registry) {
    requests =
        Counter.builder()
            .name("foresight_scaler_requests_total")
            .help("KEDA external scaler RPCs by outcome")
            .labelNames("rpc", "outcome")
            .register(registry);
    openStreams =
        Gauge.builder()
            .name("foresight_scaler_open_streams")
            .help("Open KEDA streams")
            .labelNames("rpc")
            .register(registry);
    streamMessages =
        Counter.builder()
            .name("foresight_scaler_stream_messages_total")
            .help("Messages pushed on KEDA streams by cause")
            .labelNames("rpc", "cause")
            .register(registry);
  }

  /** Metrics registered on a registry of their own, for tests and embedding. */
  public static ScalerMetrics unregistered() {
    return new ScalerMetrics(new PrometheusRegistry());
  }

  /** Requests of {@code rpc} that ended with {@code outcome}. */
  public double requests(String rpc, String outcome) {
    return requests.labelValues(rpc, outcome).get();
  }

  /** Streams of {@code rpc} open now. */
  public double openStreams(String rpc) {
    return openStreams.labelValues(rpc).get();
  }
}
