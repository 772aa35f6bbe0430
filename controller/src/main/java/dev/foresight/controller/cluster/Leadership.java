package dev.foresight.controller.cluster;

import io.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.kubernetes.client.extended.leaderelection.LeaderElector;
import io.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.kubernetes.client.openapi.ApiClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lease leader election ({@link KubernetesAccess#LEASES}) with client-java's {@link LeaderElector}.
 *
 * <p>Only the leader writes ScalingPolicy status and Events. Every replica, leader or not, runs the
 * decision loop itself and serves the KEDA scaler and the metrics API from its own decisions: the
 * status holds only a summary (desired count, reason), not the per-signal proposals and policy the
 * servers answer with, and a follower that already decides has warm policy state (windows,
 * forecaster, learned lead time) when it takes over, so losing the leader loses no service and no
 * memory. The cost is one set of Prometheus queries per replica.
 *
 * <p>After losing the Lease the elector is not reused (client-java's elector runs once); a new one
 * campaigns again, so a replica that lost leadership rejoins as a candidate.
 */
public final class Leadership implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

  /**
   * Durations of the Lease, as in Kubernetes' own controllers: {@code 0 < retryPeriod <
   * renewDeadline < leaseDuration}. The gap between the renew deadline and the lease duration is
   * what keeps a leader that stops renewing from overlapping the next one; client-java's elector
   * refuses any other combination, and would do so inside the campaign loop, over and over.
   *
   * @param leaseDuration how long a Lease holds without renewal (the Lease stores whole seconds)
   * @param renewDeadline how long the leader retries a failed renewal before it stops leading
   * @param retryPeriod time between attempts to take or renew the Lease
   */
  public record Timing(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
    public Timing {
      if (retryPeriod.isNegative()
          || retryPeriod.isZero()
          || renewDeadline.compareTo(retryPeriod) <= 0
          || leaseDuration.compareTo(renewDeadline) <= 0) {
        throw new IllegalArgumentException(
            "Lease timing must satisfy 0 < retryPeriod < renewDeadline < leaseDuration, was "
                + retryPeriod
                + " / "
                + renewDeadline
                + " / "
                + leaseDuration);
      }
    }

    /** 15 s / 10 s / 2 s. */
    public static Timing defaults() {
      return new Timing(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
    }
  }

  private final ApiClient client;
  private final String namespace;
  private final String leaseName;
  private final String identity;
  private final Timing timing;
  private final Runnable onStarted;
  private final Runnable onStopped;
  private final AtomicBoolean leading = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ExecutorService thread;
  private volatile LeaderElector elector;

  public Leadership(
      ApiClient client,
      String namespace,
      String leaseName,
      String identity,
      Timing timing,
      Runnable onStarted,
      Runnable onStopped) {
    this.client = client;
    this.namespace = namespace;
    this.leaseName = leaseName;
    this.identity = identity;
    this.timing = timing;
    this.onStarted = onStarted;
    this.onStopped = onStopped;
    this.thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "foresight-leader-election");
              t.setDaemon(true);
              return t;
            });
  }

  /** Campaigns for the Lease in the background, again after each loss, until closed. */
  public Leadership start() {
    thread.submit(
        () -> {
          while (!closed.get()) {
            LeaderElectionConfig config =
                new LeaderElectionConfig(
                    new LeaseLock(namespace, leaseName, identity, client),
                    timing.leaseDuration(),
                    timing.renewDeadline(),
                    timing.retryPeriod());
            try (LeaderElector e = new LeaderElector(config)) {
              elector = e;
              e.run(
                  () -> {
                    leading.set(true);
                    LOG.info("{} leads (lease {}/{})", identity, namespace, leaseName);
                    onStarted.run();
                  },
                  () -> {
                    if (leading.getAndSet(false)) {
                      LOG.info("{} stopped leading", identity);
                      onStopped.run();
                    }
                  });
            } catch (RuntimeException ex) {
              LOG.warn("leader election failed; campaigning again", ex);
            }
          }
        });
    return this;
  }

  /** True while this replica holds the Lease. */
  public boolean isLeader() {
    return leading.get();
  }

  /** This replica's identity in the Lease. */
  public String identity() {
    return identity;
  }

  @Override
  public void close() {
    closed.set(true);
    LeaderElector e = elector;
    if (e != null) {
      e.close();
    }
    if (leading.getAndSet(false)) {
      onStopped.run();
    }
    thread.shutdownNow();
  }
}
