package dev.foresight.controller.demo;

import dev.foresight.controller.config.Durations;
import dev.foresight.controller.loop.GovernedWorkload;
import dev.foresight.controller.standalone.PoliciesFile;
import dev.foresight.policy.PolicySpecParser;
import dev.foresight.sim.SimulationConfig;
import dev.foresight.sim.trace.TraceException;
import dev.foresight.sim.trace.TraceSource;
import dev.foresight.sim.trace.Traces;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code foresight demo}: the live local demo (see {@link Demo}). Runs until the trace's span (or
 * {@code --duration}) has been simulated or Ctrl-C, then writes the simulator's HTML report.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run Foresight live on this machine against a simulated fleet of vLLM replicas in"
          + " accelerated time: the fleet's vLLM and DCGM metrics on loopback HTTP, a real"
          + " Prometheus scraping them (when 'prometheus' is on the PATH), the controller's loop,"
          + " audit endpoints and KEDA external scaler, and the fleet following each decision as"
          + " HPA would. Ctrl-C stops it; the HTML report is written either way.",
      "In a policies file, ${WINDOW} stands for the rate() window the demo picks: the simulated"
          + " 1-minute window divided by --speed, and at least 4 scrapes (4s)."
    })
public final class DemoCommand implements Callable<Integer> {

  /** The embedded policies file used without {@code --policies-file}. */
  static final String DEFAULT_POLICIES = "demo-policies.yaml";

  /** Simulated signal window the demo's PromQL windows stand for. */
  static final Duration SIGNAL_WINDOW = Duration.ofMinutes(1);

  /** Fewest wall-clock seconds a rate() window spans at a 1 s scrape: 4 samples. */
  static final Duration MIN_WINDOW = Duration.ofSeconds(4);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--trace",
      defaultValue = "ramp",
      description =
          "Trace to serve: ramp, step, spike, diurnal, azure-conv, azure-code (embedded),"
              + " servegen[:MODEL] (needs --traces-dir) or an Azure-format CSV. Default: ${DEFAULT-VALUE}.")
  String trace;

  @Option(
      names = "--speed",
      defaultValue = "30",
      description = "Simulated seconds per wall-clock second. Default: ${DEFAULT-VALUE}.")
  double speed;

  @Option(
      names = "--duration",
      description = "Simulated time to run, e.g. 30m. Default: the trace's whole span.")
  String duration;

  @Option(
      names = "--policies-file",
      description = "Standalone policies file (YAML). Default: an embedded vLLM policy.")
  Path policiesFile;

  @Option(
      names = "--no-prometheus",
      description = "Do not start Prometheus: Foresight reads the fleet's metrics directly.")
  boolean noPrometheus;

  @Option(
      names = "--metrics-port",
      defaultValue = "0",
      description = "Port of the fleet's metrics (0: any free). Default: ${DEFAULT-VALUE}.")
  int metricsPort;

  @Option(
      names = "--prometheus-port",
      defaultValue = "0",
      description = "Port of Prometheus (0: any free). Default: ${DEFAULT-VALUE}.")
  int prometheusPort;

  @Option(
      names = "--scaler-port",
      defaultValue = "0",
      description = "Port of the KEDA external scaler (0: any free). Default: ${DEFAULT-VALUE}.")
  int scalerPort;

  @Option(
      names = "--http-port",
      defaultValue = "0",
      description = "Port of the audit endpoints (0: any free). Default: ${DEFAULT-VALUE}.")
  int httpPort;

  @Option(
      names = "--metrics-api-port",
      defaultValue = "0",
      description =
          "Port of the external metrics API (mTLS; 0: any free; -1: off). Default: ${DEFAULT-VALUE}.")
  int metricsApiPort;

  @Option(
      names = "--out",
      defaultValue = "foresight-demo-report",
      description = "Directory of the HTML report. Default: ${DEFAULT-VALUE}.")
  Path out;

  @Option(
      names = "--traces-dir",
      description = "Directory of the long public traces (servegen). Env: FORESIGHT_TRACES_DIR.")
  Path tracesDir;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Seed of the fleet's random draws. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--plain",
      description = "Print one line per policy each second instead of redrawing the screen.")
  boolean plain;

  /** Where the PATH and FORESIGHT_TRACES_DIR come from (the process environment by default). */
  private final java.util.Map<String, String> environment;

  public DemoCommand() {
    this(System.getenv());
  }

  public DemoCommand(java.util.Map<String, String> environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Demo.Settings settings;
    try {
      settings = settings(out);
    } catch (IllegalArgumentException | TraceException e) {
      err.println("foresight demo: " + e.getMessage());
      err.flush();
      return 2;
    }
    Demo demo = Demo.start(settings);
    Thread hook = new Thread(() -> finish(demo, out), "foresight-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    LiveView view = new LiveView(out, !plain && System.console() != null);
    out.printf(
        "Foresight demo on 127.0.0.1: KEDA scaler port %d, audit port %d, fleet metrics port %d%s%s%n",
        demo.scalerPort(),
        demo.httpPort(),
        demo.metricsPort(),
        demo.metricsApiPort()
            .map(
                p ->
                    ", external metrics API port "
                        + p
                        + " (client certificate in "
                        + this.out.resolve("certs")
                        + ")")
            .orElse(""),
        demo.prometheusUrl()
            .map(u -> ", Prometheus " + u + " (PID " + demo.prometheusPid().orElseThrow() + ")")
            .orElse(""));
    out.flush();
    try {
      while (!demo.awaitEnd(Duration.ofSeconds(1))) {
        view.show(demo.header(), demo.rows());
      }
      view.show(demo.header(), demo.rows());
    } finally {
      finish(demo, out);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or has run
      }
    }
    return 0;
  }

  private final Object finishLock = new Object();
  private boolean finished;

  /** Stops everything and writes the report, once (the end, or Ctrl-C through the hook). */
  private void finish(Demo demo, PrintWriter out) {
    synchronized (finishLock) {
      if (finished) {
        return;
      }
      finished = true;
      demo.close();
      try {
        demo.writeReport(this.out, "foresight demo --trace " + trace + " --speed " + speed);
        out.println(
            "Report: "
                + this.out.resolve("index.html").toAbsolutePath()
                + " ("
                + demo.decisionsFollowed()
                + " scaling actions followed)");
      } catch (IOException e) {
        out.println("foresight demo: could not write the report to " + this.out + ": " + e);
      }
      out.flush();
    }
  }

  Demo.Settings settings(PrintWriter out) throws IOException {
    if (!(speed > 0) || Double.isInfinite(speed)) {
      throw new IllegalArgumentException("--speed=" + speed + ": expected a positive factor");
    }
    Path traces =
        tracesDir != null
            ? tracesDir
            : Optional.ofNullable(environment.get("FORESIGHT_TRACES_DIR"))
                .map(Path::of)
                .orElse(null);
    TraceSource source = Traces.resolve(trace, traces, 10);
    Duration span = Duration.ofNanos(Math.round(source.durationSeconds() * 1e9));
    Duration run = span;
    if (duration != null) {
      run =
          Durations.parse(duration)
              .filter(d -> !d.isNegative() && !d.isZero())
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "--duration=" + duration + ": expected a positive duration such as 30m"));
    }
    String window = Durations.format(window(speed));
    String text;
    String from;
    if (policiesFile == null) {
      try (InputStream in = DemoCommand.class.getResourceAsStream(DEFAULT_POLICIES)) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      from = "embedded " + DEFAULT_POLICIES;
    } else {
      try {
        text = Files.readString(policiesFile);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "--policies-file=" + policiesFile + ": expected a readable YAML file (" + e + ")");
      }
      from = policiesFile.toString();
    }
    List<GovernedWorkload> workloads =
        new PoliciesFile(PolicySpecParser::parse).parse(text.replace("${WINDOW}", window), from);
    Optional<Path> prometheus =
        noPrometheus ? Optional.empty() : DemoPrometheus.find(environment.get("PATH"));
    if (!noPrometheus && prometheus.isEmpty()) {
      out.println(
          "prometheus is not on the PATH: Foresight reads the fleet's metrics directly"
              + " (install Debian's 'prometheus' package to see the real path)");
    } else if (noPrometheus) {
      out.println("--no-prometheus: Foresight reads the fleet's metrics directly");
    } else {
      out.println(
          "Prometheus scrapes the fleet every 1 s (wall clock); rate() windows are " + window);
    }
    SimulationConfig sim = SimulationConfig.defaults().withSeed(seed);
    return new Demo.Settings(
        source,
        speed,
        run,
        workloads,
        sim,
        Duration.ofSeconds(15),
        Duration.ofSeconds(15),
        prometheus,
        metricsPort,
        prometheusPort,
        scalerPort,
        httpPort,
        metricsApiPort < 0
            ? Optional.empty()
            : Optional.of(new Demo.MetricsApiPlan(metricsApiPort, this.out.resolve("certs"))));
  }

  /**
   * The wall-clock rate() window standing for the simulated {@link #SIGNAL_WINDOW} at {@code
   * speed}: {@code window / speed}, rounded up to whole seconds and at least {@link #MIN_WINDOW}.
   */
  static Duration window(double speed) {
    long seconds = (long) Math.ceil(SIGNAL_WINDOW.toSeconds() / speed);
    return Duration.ofSeconds(Math.max(MIN_WINDOW.toSeconds(), seconds));
  }
}
