package dev.foresight.controller.cluster;

import dev.foresight.policy.InMemoryDecisionStore;
import dev.foresight.policy.supply.NodeSupplyAnalyzer;
import dev.foresight.policy.supply.WorkloadPlacement;
import io.kubernetes.client.openapi.ApiClient;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the controller runs against a cluster, assembled in one call: Karpenter discovery, the
 * {@link KubernetesCluster} informers and reads, Lease {@link Leadership}, the {@link
 * ClusterPublisher} (status and Events, leader only) and the node-supply {@link SupplyTracker}
 * refreshed on a period. Exports {@code foresight_leader} (1 while this replica holds the Lease).
 *
 * <pre>{@code
 * KubernetesSide side = KubernetesSide.start(ClientBuilder.standard().build(), settings,
 *     registry, store, InstantSource.system(), scheduler);
 * side.cluster().policies();         // ScalingPolicies to govern
 * side.cluster().replicas(policy);   // current and ready replicas
 * side.supply().forWorkload(ref);    // NodeSupply for the engine
 * }</pre>
 */
public final class KubernetesSide implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KubernetesSide.class);

  /**
   * @param leaseNamespace namespace of the Lease (the controller's own)
   * @param leaseName name of the Lease
   * @param identity this replica's identity (its pod name)
   * @param timing Lease durations
   * @param eventInterval least time between two Events of one reason on one policy
   * @param statusRefresh a status is rewritten at least this often while its summary is unchanged
   * @param supplyPeriod how often the node-supply snapshot is read and analyzed
   * @param readTimeout bound of each single read or write of the cluster (scale, pods, Events,
   *     status); not of the informer's watches
   */
  public record Settings(
      String leaseNamespace,
      String leaseName,
      String identity,
      Leadership.Timing timing,
      Duration eventInterval,
      Duration statusRefresh,
      Duration supplyPeriod,
      Duration readTimeout) {

    /**
     * Defaults: Lease {@code foresight-leader}, 15/10/2 s, Events 30 s, status 60 s, supply 10 s,
     * reads 10 s.
     */
    public static Settings defaults(String leaseNamespace, String identity) {
      return new Settings(
          leaseNamespace,
          "foresight-leader",
          identity,
          Leadership.Timing.defaults(),
          Duration.ofSeconds(30),
          Duration.ofSeconds(60),
          Duration.ofSeconds(10),
          KubernetesCluster.DEFAULT_READ_TIMEOUT);
    }
  }

  private final KubernetesCluster cluster;
  private final Leadership leadership;
  private final ClusterPublisher publisher;
  private final InvalidPolicies invalidPolicies;
  private final SupplyTracker supply;
  private final ScheduledFuture<?> supplySchedule;

  private KubernetesSide(
      ApiClient client,
      Settings settings,
      PrometheusRegistry registry,
      InMemoryDecisionStore store,
      InstantSource clock,
      ScheduledExecutorService scheduler,
      Runnable onLeading) {
    KarpenterPresence karpenter =
        KarpenterPresence.asking(
            () -> KarpenterDiscovery.ask(client, settings.readTimeout()), clock.instant());
    cluster =
        new KubernetesCluster(
            client, karpenter, settings.readTimeout(), new SupplyReadErrors(registry));
    leadership =
        new Leadership(
                client,
                settings.leaseNamespace(),
                settings.leaseName(),
                settings.identity(),
                settings.timing(),
                onLeading,
                () -> {})
            .start();
    GaugeWithCallback.builder()
        .name("foresight_leader")
        .help("1 while this replica holds the leader Lease and writes status, else 0.")
        .callback(cb -> cb.call(leadership.isLeader() ? 1 : 0))
        .register(registry);
    PolicyWriter writer = new PolicyWriter(client, settings.identity(), settings.readTimeout());
    invalidPolicies = new InvalidPolicies(cluster, writer, leadership::isLeader, clock);
    publisher =
        new ClusterPublisher(
            store,
            cluster,
            writer,
            new PolicyEvents(settings.eventInterval()),
            leadership::isLeader,
            settings.statusRefresh());
    supply = new SupplyTracker(cluster, new NodeSupplyAnalyzer(), new SupplyMetrics(registry));
    supplySchedule =
        scheduler.scheduleWithFixedDelay(
            () -> {
              try {
                List<WorkloadPlacement> placements =
                    cluster.policies().stream()
                        .map(p -> WorkloadPlacement.of(p.ref(), cluster.gpusPerReplica(p.ref())))
                        .toList();
                supply.refresh(clock.instant(), placements);
              } catch (RuntimeException e) {
                LOG.warn("node supply refresh failed", e); // keep the schedule alive
              }
            },
            0,
            settings.supplyPeriod().toMillis(),
            TimeUnit.MILLISECONDS);
  }

  /** Discovers Karpenter, starts the informers, campaigns for the Lease and schedules supply. */
  public static KubernetesSide start(
      ApiClient client,
      Settings settings,
      PrometheusRegistry registry,
      InMemoryDecisionStore store,
      InstantSource clock,
      ScheduledExecutorService scheduler) {
    return start(client, settings, registry, store, clock, scheduler, () -> {});
  }

  /**
   * As {@link #start(ApiClient, Settings, PrometheusRegistry, InMemoryDecisionStore, InstantSource,
   * ScheduledExecutorService)}, running {@code onLeading} each time this replica becomes leader (on
   * the election thread: it must return quickly).
   */
  public static KubernetesSide start(
      ApiClient client,
      Settings settings,
      PrometheusRegistry registry,
      InMemoryDecisionStore store,
      InstantSource clock,
      ScheduledExecutorService scheduler,
      Runnable onLeading) {
    return new KubernetesSide(client, settings, registry, store, clock, scheduler, onLeading);
  }

  public KubernetesCluster cluster() {
    return cluster;
  }

  public Leadership leadership() {
    return leadership;
  }

  /** Status and Events of the ScalingPolicies that cannot be governed (leader only). */
  public InvalidPolicies invalidPolicies() {
    return invalidPolicies;
  }

  public SupplyTracker supply() {
    return supply;
  }

  @Override
  public void close() {
    supplySchedule.cancel(false);
    publisher.close();
    leadership.close();
    cluster.close();
  }
}
