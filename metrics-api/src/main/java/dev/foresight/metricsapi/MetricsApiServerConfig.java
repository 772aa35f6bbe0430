package dev.foresight.metricsapi;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * How the server listens and behaves.
 *
 * @param listen address and port (443 behind the Service is the usual target port 6443)
 * @param backlog TCP accept backlog
 * @param threads worker threads handling requests
 * @param reloadInterval how often certificate files and the request-header CA are re-read
 * @param staleAfter age beyond which a served decision counts as stale
 */
public record MetricsApiServerConfig(
    InetSocketAddress listen,
    int backlog,
    int threads,
    Duration reloadInterval,
    Duration staleAfter) {

  public MetricsApiServerConfig {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(reloadInterval, "reloadInterval");
    Objects.requireNonNull(staleAfter, "staleAfter");
    if (threads < 1) {
      throw new IllegalArgumentException("threads: expected at least 1, got " + threads);
    }
    if (reloadInterval.isNegative() || reloadInterval.isZero()) {
      throw new IllegalArgumentException(
          "reloadInterval: expected a positive duration, got " + reloadInterval);
    }
  }

  /** Port 6443 on all interfaces, 8 threads, reload every 10 s, stale after 60 s. */
  public static MetricsApiServerConfig defaults() {
    return new MetricsApiServerConfig(
        new InetSocketAddress(6443), 128, 8, Duration.ofSeconds(10), Duration.ofSeconds(60));
  }

  /** A copy listening on {@code address}. */
  public MetricsApiServerConfig withListen(InetSocketAddress address) {
    return new MetricsApiServerConfig(address, backlog, threads, reloadInterval, staleAfter);
  }
}
