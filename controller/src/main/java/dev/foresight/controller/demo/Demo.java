package dev.foresight.controller.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.foresight.controller.audit.AuditMetrics;
import dev.foresight.controller.audit.AuditServer;
import dev.foresight.controller.audit.DecisionAudit;
import dev.foresight.controller.audit.DecisionHistory;
import dev.foresight.controller.audit.DecisionJson;
import dev.foresight.controller.loop.DecisionLoop;
import dev.foresight.controller.loop.EngineDecisionMaker;
import dev.foresight.controller.loop.GovernedWorkload;
import dev.foresight.controller.metrics.MetricsSource;
import dev.foresight.controller.prometheus.PrometheusClient;
import dev.foresight.controller.prometheus.PrometheusMetricsSource;
import dev.foresight.metricsapi.MetricsApi;
import dev.foresight.metricsapi.MetricsApiServerConfig;
import dev.foresight.metricsapi.MetricsApiSettings;
import dev.foresight.policy.InMemoryDecisionStore;
import dev.foresight.policy.StoredDecision;
import dev.foresight.policy.WorkloadRef;
import dev.foresight.scaler.ScalerServer;
import dev.foresight.scaler.ScalerServerConfig;
import dev.foresight.sim.LiveFleet;
import dev.foresight.sim.Simulation;
import dev.foresight.sim.SimulationConfig;
import dev.foresight.sim.report.ReportWriter;
import dev.foresight.sim.report.TraceReport;
import dev.foresight.sim.trace.TraceSource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live local demo: per governed workload a simulated fleet in accelerated time, its metrics on
 * loopback HTTP, a real Prometheus scraping them (or the fleets read directly), Foresight's loop,
 * audit endpoints and KEDA scaler over them, and an HPA stand-in that applies each decision to its
 * fleet. Everything shares one {@link VirtualClock}.
 */
public final class Demo implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Demo.class);

  /** How often the fleets are brought up to the virtual clock, wall-clock. */
  static final Duration STEP = Duration.ofMillis(50);

  /**
   * Everything the demo needs.
   *
   * @param trace the arrivals every fleet serves
   * @param speed simulated seconds per wall-clock second
   * @param duration simulated time to run
   * @param workloads the governed workloads, one fleet each
   * @param simulation the fleet model's parameters
   * @param loopPeriod the controller's evaluation period, simulated
   * @param hpaPeriod the HPA stand-in's sync period, simulated (HPA's default is 15 s)
   * @param prometheus the Prometheus binary to start, or empty to read the fleets directly
   * @param metricsPort port of the fleets' metrics server, 0 for a free one
   * @param prometheusPort port of Prometheus, 0 for a free one
   * @param scalerPort port of the KEDA external scaler, 0 for a free one
   * @param httpPort port of the audit endpoints, 0 for a free one
   */
  public record Settings(
      TraceSource trace,
      double speed,
      Duration duration,
      List<GovernedWorkload> workloads,
      SimulationConfig simulation,
      Duration loopPeriod,
      Duration hpaPeriod,
      Optional<Path> prometheus,
      int metricsPort,
      int prometheusPort,
      int scalerPort,
      int httpPort,
      Optional<MetricsApiPlan> metricsApi) {}

  /**
   * The external metrics API on loopback: mTLS with a self-signed serving certificate, clients
   * certified by a request-header CA the demo generates into {@code certs}, no Kubernetes
   * authorization.
   *
   * @param port port to listen on, 0 for a free one
   * @param certs directory for {@code ca.crt}, {@code client.crt} and {@code client.key}
   */
  public record MetricsApiPlan(int port, Path certs) {}

  private final Settings settings;
  private final VirtualClock clock;
  private final Map<WorkloadRef, DemoFleet> fleets = new LinkedHashMap<>();
  private final InMemoryDecisionStore store = new InMemoryDecisionStore();
  private final CountDownLatch finished = new CountDownLatch(1);
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final ScheduledExecutorService stepper;
  private final ExecutorService workers;
  private final ScheduledExecutorService loopScheduler;
  private final HttpServer metrics;
  private final DemoPrometheus prometheus;
  private final AuditServer audit;
  private final ScalerServer scaler;
  private final DecisionLoop loop;
  private final MetricsApi metricsApi;
  private double nextFollow;
  private int decisionsFollowed;
  private boolean closed;

  private Demo(Settings settings) throws IOException, InterruptedException {
    this.settings = settings;
    int i = 0;
    for (GovernedWorkload w : settings.workloads()) {
      LiveFleet fleet = new LiveFleet(settings.simulation(), settings.trace());
      fleets.put(
          w.ref(),
          new DemoFleet(w.ref(), fleet, w.ref().targetName(), "/fleets/" + i++ + "/metrics"));
    }
    stepper = Executors.newSingleThreadScheduledExecutor(named("foresight-demo-fleet"));
    workers = Executors.newFixedThreadPool(4, named("foresight-demo-eval"));
    loopScheduler = Executors.newSingleThreadScheduledExecutor(named("foresight-demo-loop"));
    try {
      metrics =
          HttpServer.create(
              new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.metricsPort()), 0);
      for (DemoFleet f : fleets.values()) {
        metrics.createContext(
            f.path(),
            exchange -> {
              byte[] body = f.exposition(settings.speed()).getBytes(StandardCharsets.UTF_8);
              exchange
                  .getResponseHeaders()
                  .set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
              exchange.sendResponseHeaders(200, body.length);
              try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
              }
            });
      }
      metrics.start();
      toClose.add(() -> metrics.stop(0));

      MetricsSource source;
      VirtualClock virtual = null;
      if (settings.prometheus().isPresent()) {
        prometheus =
            DemoPrometheus.start(
                settings.prometheus().get(),
                "127.0.0.1:" + metrics.getAddress().getPort(),
                fleets.values().stream().map(DemoFleet::path).toList(),
                settings.prometheusPort(),
                Duration.ofSeconds(60));
        toClose.add(prometheus);
        // Time starts once Prometheus is ready, so that its start-up is not simulated time.
        virtual = new VirtualClock(InstantSource.system(), settings.speed());
        PrometheusClient client =
            new PrometheusClient(
                new PrometheusClient.Settings(
                    prometheus.url(),
                    Optional.empty(),
                    Optional.empty(),
                    Duration.ofSeconds(5),
                    1,
                    Duration.ofMillis(100)));
        source = new ScaledSource(new PrometheusMetricsSource(client), virtual, fleets::get);
      } else {
        prometheus = null;
        virtual = new VirtualClock(InstantSource.system(), settings.speed());
        source = new FleetSource(fleets::get);
      }
      clock = virtual;

      PrometheusRegistry registry = new PrometheusRegistry();
      DecisionHistory history = new DecisionHistory(100);
      DecisionJson json = new DecisionJson(new ObjectMapper());
      DecisionAudit decisionAudit = new DecisionAudit(new AuditMetrics(registry), history, json);
      audit =
          new AuditServer(
              new InetSocketAddress("127.0.0.1", settings.httpPort()), registry, history, json);
      toClose.add(audit);
      scaler =
          ScalerServer.builder(
                  new ScalerServerConfig(
                      "127.0.0.1",
                      settings.scalerPort(),
                      ScalerServerConfig.Security.PLAINTEXT,
                      Optional.empty(),
                      Optional.empty(),
                      Optional.empty(),
                      ScalerServerConfig.DEFAULT_CERT_REFRESH,
                      ScalerServerConfig.DEFAULT_ACTIVITY_REPEAT,
                      ScalerServerConfig.DEFAULT_STALE_AFTER,
                      ScalerServerConfig.DEFAULT_SHUTDOWN_GRACE),
                  store)
              .clock(clock)
              .start();
      toClose.add(scaler);
      if (settings.metricsApi().isPresent()) {
        MetricsApiPlan plan = settings.metricsApi().get();
        DemoCertificates.write(plan.certs(), Instant.now());
        metricsApi =
            MetricsApi.start(
                new MetricsApiSettings(
                    MetricsApiServerConfig.defaults()
                        .withListen(new InetSocketAddress("127.0.0.1", plan.port())),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(plan.certs().resolve("ca.crt")),
                    Set.of(DemoCertificates.CLIENT_NAME),
                    false,
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(10),
                    "demo",
                    "foresight-metrics-api"),
                store,
                Optional.empty(),
                clock);
        toClose.add(metricsApi::close);
      } else {
        metricsApi = null;
      }
      loop =
          new DecisionLoop(
              clock,
              source,
              new EngineDecisionMaker(),
              store,
              decisionAudit,
              Duration.ofSeconds(10),
              workers);
      loop.govern(settings.workloads());
    } catch (IOException | RuntimeException | InterruptedException e) {
      shutDownAll();
      throw e;
    }
    nextFollow = seconds(settings.hpaPeriod());
    loop.start(loopScheduler, clock.toWall(settings.loopPeriod()));
    stepper.scheduleAtFixedRate(this::step, 0, STEP.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Starts every part; the demo runs until {@link #close()} or its duration has passed. */
  public static Demo start(Settings settings) throws IOException, InterruptedException {
    return new Demo(settings);
  }

  /** Brings the fleets to the virtual clock and lets the HPA stand-in follow the decisions. */
  private void step() {
    try {
      double end = seconds(settings.duration());
      double t = Math.min(clock.seconds(), end);
      for (DemoFleet f : fleets.values()) {
        f.fleet().advanceTo(t);
      }
      while (t >= nextFollow) {
        for (DemoFleet f : fleets.values()) {
          follow(f);
        }
        nextFollow += seconds(settings.hpaPeriod());
      }
      if (t >= end) {
        finished.countDown();
      }
    } catch (RuntimeException e) {
      LOG.error("demo step failed", e);
      finished.countDown();
    }
  }

  /** One HPA sync: the latest fresh decision, with HPA's tolerance, becomes the fleet's size. */
  private void follow(DemoFleet f) {
    Optional<StoredDecision> latest = store.latest(f.ref());
    double metric = Double.NaN;
    if (latest.isPresent()
        && latest.get().age(clock.instant()).compareTo(ScalerServerConfig.DEFAULT_STALE_AFTER)
            <= 0) {
      metric = latest.get().decision().desiredReplicas();
    }
    int current = f.fleet().snapshot().desired();
    int next = HpaFollower.next(current, metric, HpaFollower.DEFAULT_TOLERANCE);
    if (next != current) {
      f.fleet().scaleTo(next);
      synchronized (this) {
        decisionsFollowed++;
      }
    }
  }

  /** Blocks until the demo's simulated duration has passed. */
  public void awaitEnd() throws InterruptedException {
    finished.await();
  }

  /** Blocks until the demo's duration has passed or {@code timeout} (wall-clock). */
  public boolean awaitEnd(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The view's rows now. */
  List<LiveView.Row> rows() {
    List<LiveView.Row> rows = new ArrayList<>();
    for (DemoFleet f : fleets.values()) {
      LiveFleet.Snapshot s = f.fleet().snapshot();
      Optional<StoredDecision> d = store.latest(f.ref());
      rows.add(
          new LiveView.Row(
              f.ref().namespace() + "/" + f.ref().policy(),
              s.arrivalsPerSecond(),
              d.map(x -> x.decision().desiredReplicas()).orElse(-1),
              s.desired(),
              s.ready(),
              s.starting() + s.pending(),
              s.ttftP95Seconds(),
              d.map(x -> x.decision().reason() + ": " + x.decision().message())
                  .orElse("no decision yet")));
    }
    return rows;
  }

  /** The header line of the view: simulated time and speed. */
  String header() {
    double t = Math.min(clock.seconds(), seconds(settings.duration()));
    return String.format(
        Locale.ROOT,
        "[t=%02d:%02d:%02d of %s, %sx]",
        (long) t / 3600,
        (long) t / 60 % 60,
        (long) t % 60,
        settings.duration(),
        settings.speed());
  }

  /** The decisions the KEDA scaler serves. */
  public InMemoryDecisionStore store() {
    return store;
  }

  /** Port of the KEDA external scaler (gRPC, plaintext, loopback). */
  public int scalerPort() {
    return scaler.port();
  }

  /** Port of the external metrics API, when it runs. */
  public Optional<Integer> metricsApiPort() {
    return Optional.ofNullable(metricsApi).map(a -> a.address().getPort());
  }

  /** Port of the audit endpoints. */
  public int httpPort() {
    return audit.port();
  }

  /** Port of the fleets' metrics server. */
  public int metricsPort() {
    return metrics.getAddress().getPort();
  }

  /** Prometheus' base URL, when one runs. */
  public Optional<URI> prometheusUrl() {
    return Optional.ofNullable(prometheus).map(DemoPrometheus::url);
  }

  /** Prometheus' PID, when one runs. */
  public Optional<Long> prometheusPid() {
    return Optional.ofNullable(prometheus).map(DemoPrometheus::pid);
  }

  /** The metrics path of each fleet. */
  public Map<WorkloadRef, String> fleetPaths() {
    Map<WorkloadRef, String> paths = new LinkedHashMap<>();
    fleets.forEach((ref, f) -> paths.put(ref, f.path()));
    return paths;
  }

  /** Times the HPA stand-in changed a fleet's size. */
  public synchronized int decisionsFollowed() {
    return decisionsFollowed;
  }

  /** Every fleet's run so far, as the simulator reports it. */
  public TraceReport report() {
    List<Simulation.Result> runs = new ArrayList<>();
    double span = 0;
    for (DemoFleet f : fleets.values()) {
      runs.add(f.fleet().result(f.ref().namespace() + "/" + f.ref().policy()));
      span = Math.max(span, f.fleet().now());
    }
    return new TraceReport(settings.trace().name(), span, runs);
  }

  /** Writes the simulator's report (index.html, summary.csv) of the run so far to {@code dir}. */
  public void writeReport(Path dir, String command) throws IOException {
    ReportWriter.write(dir, List.of(report()), command, seconds(settings.simulation().ttftSlo()));
  }

  /** Stops every thread, server and process the demo started, and waits for them. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    finished.countDown();
    shutDownAll();
  }

  private void shutDownAll() {
    if (loop != null) {
      loop.close();
    }
    stepper.shutdownNow();
    loopScheduler.shutdownNow();
    workers.shutdownNow();
    try {
      stepper.awaitTermination(10, TimeUnit.SECONDS);
      loopScheduler.awaitTermination(10, TimeUnit.SECONDS);
      workers.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (int i = toClose.size() - 1; i >= 0; i--) {
      try {
        toClose.get(i).close();
      } catch (Exception e) {
        LOG.warn("closing {} failed", toClose.get(i), e);
      }
    }
    for (DemoFleet f : fleets.values()) {
      f.fleet().close();
    }
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  private static ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
