package dev.foresight.controller;

import dev.foresight.controller.config.ControllerConfig;
import dev.foresight.controller.config.InvalidConfigException;
import dev.foresight.controller.config.Setting;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code foresight run}: the controller. Its options are generated from {@link Setting}, so that
 * every flag has an environment-variable fallback and a documented default; a flag wins over its
 * variable, which wins over the default.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = {
      "Run the controller: evaluate every governed workload on a fixed period and audit each"
          + " decision.",
      "Every option falls back to the environment variable named in its description."
    })
public final class RunCommand implements Callable<Integer> {

  /** Starts the controller from a valid configuration and blocks until it stops. */
  @FunctionalInterface
  public interface Launcher {
    int launch(ControllerConfig config, PrintWriter out, PrintWriter err) throws Exception;
  }

  @CommandLine.Spec CommandSpec spec;

  private final Map<String, String> environment;
  private final Launcher launcher;

  RunCommand(Map<String, String> environment, Launcher launcher) {
    this.environment = environment;
    this.launcher = launcher;
  }

  static CommandLine commandLine(Map<String, String> environment) {
    return commandLine(environment, ControllerApp::runUntilStopped);
  }

  static CommandLine commandLine(Map<String, String> environment, Launcher launcher) {
    CommandLine cl = new CommandLine(new RunCommand(environment, launcher));
    CommandSpec spec = cl.getCommandSpec();
    for (Setting s : Setting.values()) {
      spec.addOption(
          OptionSpec.builder(s.option())
              .paramLabel("<" + s.key() + ">")
              .type(String.class)
              .description(
                  s.description()
                      + " Env: "
                      + s.environmentVariable()
                      + "."
                      + (s.defaultValue() == null ? "" : " Default: " + s.defaultValue() + "."))
              .build());
    }
    return cl;
  }

  /** Whether {@code args} start the long-running controller (the JVM must not exit after it). */
  static boolean keepsRunning(String[] args) {
    return args.length > 0
        && "run".equals(args[0])
        && !List.of(args).contains("--help")
        && !List.of(args).contains("-h");
  }

  /** Collects flags, then variables, keyed by {@link Setting#key()}. */
  static Map<String, String> settings(
      Function<Setting, Optional<String>> flags, Map<String, String> environment) {
    Map<String, String> settings = new LinkedHashMap<>();
    for (Setting s : Setting.values()) {
      flags
          .apply(s)
          .or(() -> Optional.ofNullable(environment.get(s.environmentVariable())))
          .ifPresent(v -> settings.put(s.key(), v));
    }
    return settings;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    Map<String, String> settings =
        settings(
            s -> Optional.ofNullable(spec.findOption(s.option()).getValue()).map(String::valueOf),
            environment);
    ControllerConfig config;
    try {
      config = ControllerConfig.load(settings);
    } catch (InvalidConfigException e) {
      err.println("foresight run: " + e.getMessage());
      err.flush();
      return 2;
    }
    return launcher.launch(config, spec.commandLine().getOut(), err);
  }
}
