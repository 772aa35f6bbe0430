package dev.foresight.controller.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.foresight.controller.audit.AuditMetrics;
import dev.foresight.controller.audit.DecisionAudit;
import dev.foresight.controller.audit.DecisionHistory;
import dev.foresight.controller.audit.DecisionJson;
import dev.foresight.controller.loop.DecisionLoop;
import dev.foresight.controller.loop.DecisionMaker;
import dev.foresight.controller.loop.EngineDecisionMaker;
import dev.foresight.controller.loop.GovernedWorkload;
import dev.foresight.controller.metrics.MetricsSource;
import dev.foresight.controller.prometheus.PrometheusClient;
import dev.foresight.controller.prometheus.PrometheusMetricsSource;
import dev.foresight.controller.standalone.PoliciesFile;
import dev.foresight.controller.testing.CountingPromQl;
import dev.foresight.controller.testing.PrometheusServer;
import dev.foresight.controller.testing.TestExporter;
import dev.foresight.policy.Decision;
import dev.foresight.policy.InMemoryDecisionStore;
import dev.foresight.policy.Observation;
import dev.foresight.policy.PolicySpec;
import dev.foresight.policy.PolicySpecParser;
import dev.foresight.policy.WorkloadRef;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load benchmark: N policies (default 1,000) against a real Prometheus scraping N vLLM-format
 * workloads. Reports, per tick: wall time, the Prometheus requests made, the controller's CPU
 * (whole JVM: HTTP, JSON, engine, audit), the CPU spent inside the decision engine, Prometheus's
 * own CPU, and at the end the JVM's resident memory and the time from nothing to a governed, ready
 * loop. A third argument {@code unbatched} reads every workload with its own queries, for
 * comparison.
 *
 * <pre>
 * ./mvnw -q -pl controller -am package -DskipTests
 * java -cp controller/target/test-classes:controller/target/foresight.jar \
 *     dev.foresight.controller.bench.LoopBenchmark 1000 6 [unbatched]
 * </pre>
 */
public final class LoopBenchmark {

  /** Wraps the engine and counts the CPU time its calls take on their threads. */
  static final class TimedMaker implements DecisionMaker {
    final DecisionMaker inner = new EngineDecisionMaker();
    final AtomicLong cpuNanos = new AtomicLong();
    final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    @Override
    public Decision decide(WorkloadRef w, PolicySpec spec, Observation o) {
      long t0 = threads.getCurrentThreadCpuTime();
      try {
        return inner.decide(w, spec, o);
      } finally {
        cpuNanos.addAndGet(threads.getCurrentThreadCpuTime() - t0);
      }
    }

    @Override
    public void forget(WorkloadRef w) {
      inner.forget(w);
    }
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int ticks = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    boolean unbatched = args.length > 2 && args[2].equals("unbatched");
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    VllmFleet fleet = new VllmFleet("bench", n);
    try (TestExporter exporter = new TestExporter()) {
      fleet.serveOn(exporter);
      try (PrometheusServer prometheus = PrometheusServer.start(List.of(exporter.target()))) {
        PrometheusClient client =
            new PrometheusClient(
                new PrometheusClient.Settings(
                    prometheus.url(),
                    java.util.Optional.empty(),
                    java.util.Optional.empty(),
                    Duration.ofSeconds(5),
                    1,
                    Duration.ofMillis(200)));
        fleet.awaitIngested(client);

        long readyStart = System.nanoTime();
        Path file = fleet.writePolicies(Files.createTempFile("foresight-bench-", ".yaml"));
        long parseStart = System.nanoTime();
        List<GovernedWorkload> workloads = new PoliciesFile(PolicySpecParser::parse).load(file);
        System.out.printf(
            Locale.ROOT,
            "policies file parsed in %.0f ms%n",
            (System.nanoTime() - parseStart) / 1e6);
        Files.delete(file);
        TimedMaker maker = new TimedMaker();
        CountingPromQl counting = new CountingPromQl(client);
        MetricsSource prometheusSource = new PrometheusMetricsSource(counting);
        // Hides the source's batching: only read(...) is visible, so every workload reads alone.
        MetricsSource source = unbatched ? prometheusSource::read : prometheusSource;
        ExecutorService workers = Executors.newFixedThreadPool(32);
        DecisionLoop loop =
            new DecisionLoop(
                InstantSource.system(),
                source,
                maker,
                new InMemoryDecisionStore(),
                new DecisionAudit(
                    new AuditMetrics(new PrometheusRegistry()),
                    new DecisionHistory(20),
                    new DecisionJson(new ObjectMapper())),
                Duration.ofSeconds(5),
                workers);
        loop.govern(workloads);
        double readyMillis = (System.nanoTime() - readyStart) / 1e6;

        System.out.printf(
            Locale.ROOT,
            "%d policies, %d signal queries per tick (%s); ready (parse %d policies + govern) in"
                + " %.0f ms%n",
            n,
            workloads.stream().mapToInt(w -> w.queries().signals().size()).sum(),
            unbatched ? "unbatched" : "batched",
            n,
            readyMillis);
        System.out.println(
            "tick  wall_ms  requests  jvm_cpu_ms  engine_cpu_ms  engine_us_per_decision"
                + "  prometheus_cpu_ms");
        String prometheusPid = String.valueOf(prometheus.pid());
        for (int t = 0; t < ticks; t++) {
          long cpu0 = os.getProcessCpuTime();
          long engine0 = maker.cpuNanos.get();
          long requests0 = counting.requests();
          long prometheusCpu0 = cpuMillis(prometheusPid);
          long wall0 = System.nanoTime();
          loop.tick();
          long wall = System.nanoTime() - wall0;
          double engineMs = (maker.cpuNanos.get() - engine0) / 1e6;
          System.out.printf(
              Locale.ROOT,
              "%4d  %7.0f  %8d  %10.0f  %13.1f  %22.1f  %17d%n",
              t,
              wall / 1e6,
              counting.requests() - requests0,
              (os.getProcessCpuTime() - cpu0) / 1e6,
              engineMs,
              engineMs * 1000 / n,
              cpuMillis(prometheusPid) - prometheusCpu0);
          long rest = Duration.ofSeconds(5).toNanos() - wall;
          if (rest > 0) {
            Thread.sleep(rest / 1_000_000);
          }
        }
        System.out.println("JVM RSS after the ticks: " + rss("self"));
        System.out.println("Prometheus RSS: " + rss(String.valueOf(prometheus.pid())));
        workers.shutdownNow();
      }
    }
  }

  /** User + system CPU of a process from /proc/PID/stat (clock ticks of 10 ms). */
  private static long cpuMillis(String pid) throws Exception {
    String stat = Files.readString(Path.of("/proc", pid, "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
  }

  private static String rss(String pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
      if (line.startsWith("VmRSS:")) {
        return line.substring(6).trim();
      }
    }
    return "unknown";
  }
}
