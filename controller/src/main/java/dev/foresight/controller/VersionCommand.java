package dev.foresight.controller;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code foresight version}: prints the version of the build and of the Java runtime. */
@Command(
    name = "version",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "Print the Foresight version and the Java runtime.")
public final class VersionCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The version recorded in the jar manifest, or {@code development} outside a jar. */
  public static String version() {
    String v = VersionCommand.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
  }

  @Override
  public Integer call() {
    spec.commandLine()
        .getOut()
        .println("foresight " + version() + " (Java " + Runtime.version() + ")");
    spec.commandLine().getOut().flush();
    return 0;
  }

  /** Supplies {@code --version} of every command. */
  public static final class Provider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"foresight " + version()};
    }
  }
}
