package dev.foresight.controller;

import dev.foresight.sim.SimulateCommand;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code foresight.jar}: wiring only.
 *
 * <pre>
 * java -jar foresight.jar run --policies-file policies.yaml --prometheus-url http://prometheus:9090
 * java -jar foresight.jar simulate --trace azure-conv --out foresight-report
 * java -jar foresight.jar version
 * </pre>
 *
 * <p>Subcommands are registered in {@link #commandLine}.
 */
@Command(
    name = "foresight",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "Predictive, SLO-driven autoscaler for LLM inference on Kubernetes.",
    subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /**
   * The JDK HTTP server's switch for TCP_NODELAY. Without it every keep-alive response of the
   * external metrics API waits ~40 ms for the client's delayed ACK. The JDK reads it once, when its
   * first {@code com.sun.net.httpserver} class loads, so it is set before anything else runs.
   */
  static final String HTTP_SERVER_NODELAY = "sun.net.httpserver.nodelay";

  public static void main(String[] args) {
    // First statement: before any JDK HTTP server class (audit endpoints, metrics API) loads.
    // A value given with -D on the command line is kept.
    if (System.getProperty(HTTP_SERVER_NODELAY) == null) {
      System.setProperty(HTTP_SERVER_NODELAY, "true");
    }
    int code =
        execute(
            args,
            System.getenv(),
            new PrintWriter(System.out, true),
            new PrintWriter(System.err, true));
    if (code != 0 || !RunCommand.keepsRunning(args)) {
      System.exit(code);
    }
  }

  /**
   * Runs the command line with {@code environment} as the source of {@code FORESIGHT_*} fallbacks.
   *
   * @return the process exit code: 0 ok, 2 usage or configuration error, 1 failure
   */
  public static int execute(
      String[] args, Map<String, String> environment, PrintWriter out, PrintWriter err) {
    return commandLine(environment, out, err).execute(args);
  }

  /** The command tree: add further subcommands here. */
  static CommandLine commandLine(
      Map<String, String> environment, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Main());
    cl.addSubcommand("run", RunCommand.commandLine(environment));
    cl.addSubcommand("version", new VersionCommand());
    cl.addSubcommand("simulate", new SimulateCommand());
    cl.setOut(out);
    cl.setErr(err);
    return cl;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
