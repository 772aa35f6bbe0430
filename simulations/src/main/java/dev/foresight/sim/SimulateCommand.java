package dev.foresight.sim;

import dev.foresight.sim.policy.PolicyEnvironment;
import dev.foresight.sim.policy.PolicyRegistry;
import dev.foresight.sim.policy.ScalingPolicy;
import dev.foresight.sim.report.ReportWriter;
import dev.foresight.sim.report.TraceReport;
import dev.foresight.sim.trace.ArrivalStream;
import dev.foresight.sim.trace.TraceException;
import dev.foresight.sim.trace.TraceSource;
import dev.foresight.sim.trace.Traces;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.DoubleConsumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code simulate}: replays traces against autoscaling policies and writes a report. Returns an
 * exit code (0 success, 1 bad input or failed run); never exits the JVM itself, so it can be a
 * subcommand of another program.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description =
        "Replay LLM request traces through a simulated GPU fleet under each autoscaling policy"
            + " and write DIR/index.html (charts), DIR/summary.csv and a table on the console.")
public final class SimulateCommand implements Callable<Integer> {
  /**
   * The node-supply scenario of the default run: {@value #SUPPLY_SCENARIO_TRACE} with its NodePool
   * limited to {@value #SUPPLY_SCENARIO_GPU_LIMIT} GPUs, one below the oracle's peak of 4 replicas.
   */
  public static final String SUPPLY_SCENARIO_TRACE = "azure-code";

  /** The NodePool GPU limit of the node-supply scenario. */
  public static final int SUPPLY_SCENARIO_GPU_LIMIT = 3;

  /** The name the node-supply scenario has in the report. */
  public static final String SUPPLY_SCENARIO =
      SUPPLY_SCENARIO_TRACE + "@gpu-limit-" + SUPPLY_SCENARIO_GPU_LIMIT;

  /** Policies run when none is named. */
  public static final List<String> DEFAULT_POLICIES =
      List.of("hpa-gpu", "keda-queue", "foresight-reactive", "foresight", "oracle");

  private final PolicyRegistry registry;

  @Spec CommandSpec spec;

  @Option(
      names = "--trace",
      paramLabel = "NAME|PATH",
      description =
          "Trace to replay; repeat for several. Names: azure-conv, azure-code (embedded),"
              + " servegen or servegen:MODEL (needs --traces-dir), step, ramp, spike, diurnal;"
              + " or a path to a CSV in the Azure 2023 format. Default: ${DEFAULT-VALUE}.")
  List<String> traces = new ArrayList<>(Traces.DEFAULTS);

  @Option(
      names = "--policies",
      split = ",",
      paramLabel = "LIST",
      description =
          "Comma-separated policies: hpa-gpu, keda-queue, keda-queue-zero, foresight-reactive,"
              + " oracle (and any registered by the caller). Default: hpa-gpu, keda-queue,"
              + " foresight-reactive, foresight (when registered), oracle.")
  List<String> policies;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "foresight-report",
      description = "Report directory. Default: ${DEFAULT-VALUE}.")
  Path out;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "42",
      description = "Seed of every random draw. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--traces-dir",
      paramLabel = "DIR",
      description = "Directory of long traces (ServeGen). Default: $FORESIGHT_TRACES_DIR.")
  Path tracesDir;

  @Option(
      names = "--target-rate",
      paramLabel = "REQ_PER_S",
      defaultValue = "20",
      description =
          "Mean request rate of ServeGen arrivals, requests/s. Default: ${DEFAULT-VALUE}.")
  double targetRate;

  @Option(
      names = "--pod-startup",
      paramLabel = "SECONDS",
      defaultValue = "120",
      description = "Pod start-up time, seconds. Default: ${DEFAULT-VALUE}.")
  double podStartup;

  @Option(
      names = "--node-provisioning",
      paramLabel = "SECONDS",
      defaultValue = "180",
      description = "GPU node provisioning time, seconds. Default: ${DEFAULT-VALUE}.")
  double nodeProvisioning;

  @Option(
      names = "--gpu-limit",
      paramLabel = "GPUS",
      description = "Node-pool GPU limit. Default: unlimited.")
  Integer gpuLimit;

  @Option(
      names = "--supply-scenario",
      negatable = true,
      description =
          "Also run "
              + SUPPLY_SCENARIO_TRACE
              + " with the NodePool limited to "
              + SUPPLY_SCENARIO_GPU_LIMIT
              + " GPUs, below its peak need, reported as trace "
              + SUPPLY_SCENARIO
              + ". Default: on when neither --trace nor --gpu-limit is given.")
  Boolean supplyScenario;

  @Option(
      names = "--benchmark",
      description =
          "Run only: print simulated requests, wall-clock and CPU seconds of the simulating"
              + " thread and peak heap; write no report.")
  boolean benchmark;

  /** A command with the standard policies. */
  public SimulateCommand() {
    this(PolicyRegistry.standard());
  }

  /** A command whose policies come from {@code registry} (to add policies by name). */
  public SimulateCommand(PolicyRegistry registry) {
    this.registry = registry;
  }

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(new CommandLine(new SimulateCommand()).execute(args));
  }

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      SimulationConfig config = config();
      List<String> policyNames = policyNames();
      Path dir = tracesDir();
      List<TraceSource> sources = new ArrayList<>();
      for (String name : traces) {
        sources.add(Traces.resolve(name, dir, targetRate));
      }
      List<TraceReport> reports = new ArrayList<>();
      List<Simulation> simulations = new ArrayList<>();
      for (int i = 0; i < sources.size(); i++) {
        simulations.add(new Simulation(config));
      }
      if (runSupplyScenario()) {
        sources.add(
            renamed(Traces.resolve(SUPPLY_SCENARIO_TRACE, dir, targetRate), SUPPLY_SCENARIO));
        simulations.add(
            new Simulation(
                config.withCluster(
                    config.podStartup(),
                    config.podStartupJitter(),
                    config.nodeProvisioning(),
                    SUPPLY_SCENARIO_GPU_LIMIT)));
      }
      for (int i = 0; i < sources.size(); i++) {
        TraceSource trace = sources.get(i);
        Simulation simulation = simulations.get(i);
        List<Simulation.Result> runs = new ArrayList<>();
        for (String policyName : policyNames) {
          ScalingPolicy policy = registry.create(policyName, new PolicyEnvironment(config, trace));
          long started = System.nanoTime();
          long cpuStarted = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
          resetPeakHeap();
          Simulation.Result r =
              simulation.run(trace, policyName, policy, progress(err, trace.name(), policyName));
          double seconds = (System.nanoTime() - started) / 1e9;
          double cpuSeconds =
              (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStarted) / 1e9;
          if (benchmark) {
            stdout.printf(
                Locale.ROOT,
                "benchmark trace=%s policy=%s requests=%d wall_s=%.1f cpu_s=%.1f"
                    + " peak_heap_mib=%.0f req_per_s=%.0f%n",
                trace.name(),
                policyName,
                r.summary().requests(),
                seconds,
                cpuSeconds,
                peakHeapMiB(),
                r.summary().requests() / seconds);
          }
          runs.add(r);
        }
        reports.add(new TraceReport(trace.name(), trace.durationSeconds(), runs));
      }
      ReportWriter.print(stdout, reports);
      if (!benchmark) {
        System.setProperty("java.awt.headless", "true");
        ReportWriter.write(out, reports, commandLine(), config.ttftSlo().toNanos() / 1e9);
        stdout.println("report: " + out.resolve("index.html") + ", " + out.resolve("summary.csv"));
      }
      stdout.flush();
      return 0;
    } catch (TraceException | IllegalArgumentException e) {
      err.println("simulate: " + e.getMessage());
      err.flush();
      return 1;
    } catch (IOException e) {
      err.println("simulate: cannot write the report to " + out + ": " + e.getMessage());
      err.flush();
      return 1;
    }
  }

  private SimulationConfig config() {
    SimulationConfig d = SimulationConfig.defaults().withSeed(seed);
    return d.withCluster(
        Duration.ofMillis(Math.round(podStartup * 1000)),
        d.podStartupJitter(),
        Duration.ofMillis(Math.round(nodeProvisioning * 1000)),
        gpuLimit == null ? SimulationConfig.UNLIMITED : gpuLimit);
  }

  private boolean runSupplyScenario() {
    if (supplyScenario != null) {
      return supplyScenario;
    }
    CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
    return !parsed.hasMatchedOption("--trace") && !parsed.hasMatchedOption("--gpu-limit");
  }

  /** {@code trace} under another name, so that a scenario has its own rows in the report. */
  private static TraceSource renamed(TraceSource trace, String name) {
    return new TraceSource() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public double durationSeconds() {
        return trace.durationSeconds();
      }

      @Override
      public ArrivalStream open(long seed) {
        return trace.open(seed);
      }
    };
  }

  private List<String> policyNames() {
    if (policies != null && !policies.isEmpty()) {
      for (String p : policies) {
        if (!registry.names().contains(p)) {
          throw new IllegalArgumentException(
              "--policies: '" + p + "' is not a policy: expected some of " + registry.names());
        }
      }
      return policies;
    }
    return DEFAULT_POLICIES.stream().filter(registry.names()::contains).toList();
  }

  private Path tracesDir() {
    if (tracesDir != null) {
      return tracesDir;
    }
    String env = System.getenv("FORESIGHT_TRACES_DIR");
    return env == null || env.isBlank() ? null : Path.of(env);
  }

  private String commandLine() {
    StringBuilder b = new StringBuilder("simulate");
    for (String t : traces) {
      b.append(" --trace ").append(t);
    }
    b.append(" --policies ").append(String.join(",", policyNames()));
    b.append(" --seed ").append(seed);
    if (gpuLimit != null) {
      b.append(" --gpu-limit ").append(gpuLimit);
    }
    if (runSupplyScenario()) {
      b.append(" (and ").append(SUPPLY_SCENARIO).append(": --supply-scenario)");
    }
    return b.toString();
  }

  private static DoubleConsumer progress(PrintWriter err, String trace, String policy) {
    return new DoubleConsumer() {
      private int shown = -1;

      @Override
      public void accept(double fraction) {
        int percent = (int) Math.floor(fraction * 100);
        if (percent == shown) {
          return;
        }
        shown = percent;
        int bars = percent / 5;
        err.printf(
            Locale.ROOT,
            "\r%-22s %-18s [%s%s] %3d%%",
            trace,
            policy,
            "#".repeat(bars),
            " ".repeat(20 - bars),
            percent);
        if (percent >= 100) {
          err.println();
        }
        err.flush();
      }
    };
  }

  private static void resetPeakHeap() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  private static double peakHeapMiB() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum / (1024.0 * 1024.0);
  }
}
