package dev.foresight.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.foresight.controller.audit.AuditMetrics;
import dev.foresight.controller.audit.AuditServer;
import dev.foresight.controller.audit.DecisionAudit;
import dev.foresight.controller.audit.DecisionHistory;
import dev.foresight.controller.audit.DecisionJson;
import dev.foresight.controller.cluster.ClusterInputs;
import dev.foresight.controller.cluster.ClusterWorkloads;
import dev.foresight.controller.cluster.KubernetesSide;
import dev.foresight.controller.cluster.PolicySync;
import dev.foresight.controller.config.ControllerConfig;
import dev.foresight.controller.config.InvalidConfigException;
import dev.foresight.controller.config.Setting;
import dev.foresight.controller.history.HistoryAudit;
import dev.foresight.controller.history.HistoryRebuild;
import dev.foresight.controller.history.HistorySeeder;
import dev.foresight.controller.inline.GovernedSet;
import dev.foresight.controller.inline.InlineWorkloads;
import dev.foresight.controller.loop.DecisionLoop;
import dev.foresight.controller.loop.EngineDecisionMaker;
import dev.foresight.controller.loop.GovernedWorkload;
import dev.foresight.controller.prometheus.HistoryReader;
import dev.foresight.controller.prometheus.PromQl;
import dev.foresight.controller.prometheus.PrometheusClient;
import dev.foresight.controller.prometheus.PrometheusMetricsSource;
import dev.foresight.controller.prometheus.TimedPromQl;
import dev.foresight.controller.serving.MetricsApiMetrics;
import dev.foresight.controller.standalone.PoliciesFile;
import dev.foresight.metricsapi.MetricsApi;
import dev.foresight.metricsapi.MetricsApiSettings;
import dev.foresight.policy.InMemoryDecisionStore;
import dev.foresight.policy.PolicySpecParser;
import dev.foresight.scaler.ScalerMetrics;
import dev.foresight.scaler.ScalerServer;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.Config;
import io.kubernetes.client.util.KubeConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running controller, built from a valid configuration: Prometheus client and metrics source,
 * the decision engine, the decision store the servers read, the KEDA external scaler (gRPC), the
 * external metrics API (HTTPS, for HPA), the audit endpoints and the loop.
 *
 * <p>Declared policies come from ScalingPolicy resources in cluster mode (informer, Lease, status
 * writes, node supply; see {@link KubernetesSide}) or from {@code --policies-file} in standalone
 * mode; inline policies from KEDA ScaledObjects join them through the scaler (see {@link
 * GovernedSet} for the name clash rule). {@code /readyz} turns 200 once the declared policies are
 * known: at once in standalone mode, after the ScalingPolicy informer synced and its policies were
 * handed to the loop in cluster mode.
 *
 * <p>Readiness does not wait for the history rebuild ({@link HistoryRebuild}): reading a week of
 * history can take seconds per workload, and KEDA and HPA must get answers (and the loop must hold
 * counts on live signals) from the first tick. Until a workload is seeded its forecaster learns
 * from live samples as after any restart; {@code foresight_history_rebuild_total}, {@code
 * foresight_history_points} and the {@code history} field of {@code /decisions} say when and from
 * how many points it was seeded.
 */
public final class ControllerApp implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ControllerApp.class);

  /** Evaluation tasks in flight at once; reads are mostly waiting on Prometheus. */
  static final int WORKER_THREADS = 32;

  /**
   * Workloads rebuilt from history at once: bounds the load a restart puts on Prometheus, and,
   * since replaying a week into a forecaster is CPU-bound (HistoryRebuildBenchmark), leaves at
   * least half the cores to the loop.
   */
  static final int HISTORY_THREADS =
      Math.min(4, Math.max(1, Runtime.getRuntime().availableProcessors() / 2));

  private final InMemoryDecisionStore store = new InMemoryDecisionStore();
  private final AuditServer server;
  private final ScalerServer scaler;
  private final Optional<MetricsApi> metricsApi;
  private final DecisionLoop loop;
  private final ExecutorService workers;
  private final ScheduledExecutorService scheduler;
  private final Optional<KubernetesSide> kubernetes;
  private final Optional<ScheduledExecutorService> clusterScheduler;
  private final Optional<HistoryRebuild> historyRebuild;
  private final Optional<ExecutorService> historyPool;
  private volatile boolean policiesKnown;

  /** How often the ScalingPolicy informer cache is compared with the governed workloads. */
  static final Duration POLICY_SYNC_PERIOD = Duration.ofSeconds(1);

  private ControllerApp(
      ControllerConfig config, List<GovernedWorkload> workloads, Optional<ApiClient> cluster)
      throws IOException {
    PrometheusRegistry registry = new PrometheusRegistry();
    PromQl prometheus =
        new TimedPromQl(
            new PrometheusClient(
                new PrometheusClient.Settings(
                    config.prometheusUrl(),
                    config.prometheusTokenFile(),
                    config.prometheusCaFile(),
                    config.queryTimeout(),
                    config.queryRetries(),
                    config.retryBackoff())),
            registry);
    DecisionHistory history = new DecisionHistory(config.decisionHistory());
    DecisionJson json = new DecisionJson(new ObjectMapper());
    DecisionAudit audit = new DecisionAudit(new AuditMetrics(registry), history, json);
    workers = Executors.newFixedThreadPool(WORKER_THREADS, daemon("foresight-eval"));
    scheduler = Executors.newSingleThreadScheduledExecutor(daemon("foresight-loop"));
    EngineDecisionMaker maker = new EngineDecisionMaker();
    loop =
        new DecisionLoop(
            InstantSource.system(),
            new PrometheusMetricsSource(prometheus),
            maker,
            store,
            audit,
            config.evaluationTimeout(),
            workers);
    HistoryAudit historyAudit = new HistoryAudit(registry);
    ControllerConfig.HistorySettings h = config.history();
    historyPool =
        h.enabled()
            ? Optional.of(
                Executors.newFixedThreadPool(HISTORY_THREADS, daemon("foresight-history")))
            : Optional.empty();
    historyRebuild =
        historyPool.map(
            pool ->
                new HistoryRebuild(
                    new HistorySeeder(
                        new HistoryReader(prometheus),
                        maker,
                        h.lookback(),
                        h.step(),
                        h.timeout(),
                        InstantSource.system(),
                        pool,
                        historyAudit),
                    historyAudit::remove));
    GovernedSet governed =
        new GovernedSet(
            new InlineWorkloads(config.inline()),
            list -> {
              loop.govern(list);
              historyRebuild.ifPresent(r -> r.governed(list));
            });
    governed.declare(workloads);
    policiesKnown = cluster.isEmpty();
    server =
        new AuditServer(
            new InetSocketAddress(config.httpHost(), config.httpPort()),
            registry,
            history,
            json,
            () -> policiesKnown,
            historyAudit::describe);
    ScalerServer startedScaler = null;
    KubernetesSide side = null;
    ScheduledExecutorService clusterThreads = null;
    try {
      if (cluster.isPresent()) {
        // The loop's scheduler waits for whole ticks; supply and policy sync get their own.
        clusterThreads = Executors.newScheduledThreadPool(2, daemon("foresight-cluster"));
        // A read that outlives its evaluation is abandoned anyway; bound it by the same time.
        side =
            startCluster(
                config.cluster(),
                cluster.get(),
                registry,
                governed,
                clusterThreads,
                config.evaluationTimeout());
      }
      ScalerServer.Builder scalerBuilder =
          ScalerServer.builder(config.scaler(), store)
              .clock(InstantSource.system())
              .metrics(new ScalerMetrics(registry));
      if (config.inline().enabled()) {
        scalerBuilder.inlinePolicies(governed);
      }
      startedScaler = scalerBuilder.start();
      metricsApi = startMetricsApi(config.metricsApi(), registry, cluster);
    } catch (IOException | RuntimeException e) {
      if (startedScaler != null) {
        startedScaler.close();
      }
      if (side != null) {
        side.close();
      }
      if (clusterThreads != null) {
        clusterThreads.shutdownNow();
      }
      server.close();
      historyRebuild.ifPresent(HistoryRebuild::close);
      historyPool.ifPresent(ExecutorService::shutdownNow);
      workers.shutdownNow();
      scheduler.shutdownNow();
      throw e;
    }
    scaler = startedScaler;
    kubernetes = Optional.ofNullable(side);
    clusterScheduler = Optional.ofNullable(clusterThreads);
    loop.start(scheduler, config.loopPeriod());
    if (config.inline().enabled()) {
      Duration expiry = config.inline().expireAfter();
      long every = Math.min(expiry.toMillis() / 10, Duration.ofMinutes(1).toMillis());
      scheduler.scheduleWithFixedDelay(
          () -> {
            try {
              governed.expireIdle(expiry);
            } catch (RuntimeException e) {
              // An exception would cancel the schedule: log it and try again next time.
              LOG.warn("could not expire idle inline policies", e);
            }
          },
          every,
          every,
          TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Starts the cluster side and keeps the declared workloads in step with the ScalingPolicies;
   * policies count as known once the informer synced and its policies reached the loop. Single
   * reads of the cluster are bounded by {@code readTimeout}.
   */
  private KubernetesSide startCluster(
      ControllerConfig.ClusterSettings settings,
      ApiClient client,
      PrometheusRegistry registry,
      GovernedSet governed,
      ScheduledExecutorService threads,
      Duration readTimeout)
      throws IOException {
    String identity = settings.podName().orElse(InetAddress.getLocalHost().getHostName());
    KubernetesSide.Settings defaults =
        KubernetesSide.Settings.defaults(settings.podNamespace(), identity);
    KubernetesSide side =
        KubernetesSide.start(
            client,
            new KubernetesSide.Settings(
                settings.podNamespace(),
                settings.leaseName(),
                identity,
                settings.leaseTiming(),
                defaults.eventInterval(),
                defaults.statusRefresh(),
                settings.supplyPeriod(),
                readTimeout),
            registry,
            store,
            InstantSource.system(),
            threads,
            () -> historyRebuild.ifPresent(HistoryRebuild::all));
    loop.observationInputs(new ClusterInputs(side.cluster(), side.supply()));
    PolicySync sync =
        new PolicySync(
            side.cluster(),
            new ClusterWorkloads(side.cluster()),
            governed::declare,
            side.invalidPolicies()::rejected);
    BooleanSupplier synced = side.cluster().synced();
    threads.scheduleWithFixedDelay(
        () -> {
          try {
            if (synced.getAsBoolean()) {
              sync.sync();
              policiesKnown = true;
              side.invalidPolicies().publish(); // a new leader writes existing rejections
            }
          } catch (RuntimeException e) {
            LOG.warn("ScalingPolicy sync failed", e); // keep the schedule alive
          }
        },
        0,
        POLICY_SYNC_PERIOD.toMillis(),
        TimeUnit.MILLISECONDS);
    return side;
  }

  /** Starts the external metrics API on the shared store and publishes its counters. */
  private Optional<MetricsApi> startMetricsApi(
      Optional<MetricsApiSettings> settings,
      PrometheusRegistry registry,
      Optional<ApiClient> cluster)
      throws IOException {
    if (settings.isEmpty()) {
      return Optional.empty();
    }
    MetricsApiSettings s = settings.get();
    boolean needsKubernetes = s.requestHeaderCaFile().isEmpty() || s.delegatedAuthorization();
    Optional<ApiClient> kube =
        needsKubernetes
            ? Optional.of(cluster.isPresent() ? cluster.get() : kubernetesClient())
            : Optional.empty();
    MetricsApi api;
    try {
      api = MetricsApi.start(s, store, kube, InstantSource.system());
    } catch (IOException e) {
      throw new IOException(
          "external metrics API: "
              + e.getMessage()
              + (s.requestHeaderCaFile().isEmpty()
                  ? " (reading the request-header CA from the cluster; outside a cluster give "
                      + Setting.METRICS_API_REQUESTHEADER_CA_FILE.option()
                      + " or "
                      + Setting.METRICS_API_ENABLED.option()
                      + "=false)"
                  : ""),
          e);
    }
    MetricsApiMetrics.register(registry, api.stats(), api.ownership());
    return Optional.of(api);
  }

  /**
   * The Kubernetes client the metrics API needs for the request-header ConfigMap, delegated
   * authorization and the APIService check: kubeconfig ({@code $KUBECONFIG}, {@code
   * ~/.kube/config}) or the in-cluster service account.
   */
  private static ApiClient kubernetesClient() throws IOException {
    return Config.defaultClient();
  }

  /**
   * The client of cluster mode: {@code --kubeconfig}, else the client's defaults ({@code
   * $KUBECONFIG}, {@code ~/.kube/config}, the in-cluster service account). Without a read timeout,
   * because informer watches stay open for minutes; single reads carry a call timeout of the
   * evaluation timeout instead (see {@link dev.foresight.controller.cluster.KubernetesCluster}).
   */
  private static ApiClient clusterClient(ControllerConfig.ClusterSettings settings)
      throws IOException {
    ApiClient client;
    if (settings.kubeconfig().isPresent()) {
      try (Reader reader = Files.newBufferedReader(settings.kubeconfig().get())) {
        client = ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(reader)).build();
      }
    } else {
      client = Config.defaultClient();
    }
    client.setReadTimeout(0);
    return client;
  }

  /**
   * Starts everything: in standalone mode from the policies file, in cluster mode against the
   * cluster the kubeconfig or service account names.
   *
   * @throws InvalidConfigException when the policies file is invalid
   */
  public static ControllerApp start(ControllerConfig config) throws IOException {
    if (config.mode() == ControllerConfig.Mode.CLUSTER) {
      return new ControllerApp(config, List.of(), Optional.of(clusterClient(config.cluster())));
    }
    List<GovernedWorkload> workloads =
        new PoliciesFile(PolicySpecParser::parse).load(config.policiesFile().orElseThrow());
    return new ControllerApp(config, workloads, Optional.empty());
  }

  /** The cluster side, in cluster mode. */
  public Optional<KubernetesSide> kubernetes() {
    return kubernetes;
  }

  /** The decisions the KEDA scaler and the metrics API read. */
  public InMemoryDecisionStore store() {
    return store;
  }

  /** The port of the KEDA external scaler. */
  public int scalerPort() {
    return scaler.port();
  }

  /** The address of the external metrics API, when it runs. */
  public Optional<InetSocketAddress> metricsApiAddress() {
    return metricsApi.map(MetricsApi::address);
  }

  /** The port of the audit endpoints. */
  public int httpPort() {
    return server.port();
  }

  static int runUntilStopped(ControllerConfig config, PrintWriter out, PrintWriter err)
      throws Exception {
    ControllerApp app;
    try {
      app = start(config);
    } catch (InvalidConfigException e) {
      err.println("foresight run: " + e.getMessage());
      err.flush();
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  app.close();
                  stopped.countDown();
                },
                "foresight-shutdown"));
    LOG.info(
        "foresight {} running in {} mode: {} workloads, every {}, audit on port {}, KEDA scaler on port {},"
            + " external metrics API {}",
        VersionCommand.version(),
        config.mode().name().toLowerCase(java.util.Locale.ROOT),
        app.store.workloads().size(),
        config.loopPeriod(),
        app.httpPort(),
        app.scalerPort(),
        app.metricsApiAddress().map(a -> "on port " + a.getPort()).orElse("off"));
    stopped.await();
    return 0;
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    loop.close();
    historyRebuild.ifPresent(HistoryRebuild::close);
    historyPool.ifPresent(ExecutorService::shutdownNow);
    clusterScheduler.ifPresent(ExecutorService::shutdownNow);
    kubernetes.ifPresent(KubernetesSide::close);
    scheduler.shutdownNow();
    workers.shutdownNow();
    scaler.close();
    metricsApi.ifPresent(MetricsApi::close);
    server.close();
  }
}
