package dev.foresight.sim.trace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves trace names given on the command line.
 *
 * <ul>
 *   <li>{@code azure-conv}, {@code azure-code}: the embedded Azure 2023 traces.
 *   <li>{@code servegen} (model {@code m-large}) or {@code servegen:MODEL}: ServeGen rate tables
 *       from the traces directory, rescaled to the target mean rate.
 *   <li>{@code step}, {@code ramp}, {@code spike}, {@code diurnal}: synthetic shapes.
 *   <li>anything else: a path to a CSV file in the Azure 2023 format.
 * </ul>
 */
public final class Traces {
  /** Traces run when none is named: all need nothing outside the repository. */
  public static final List<String> DEFAULTS = List.of("azure-conv", "azure-code", "spike", "ramp");

  /** The ServeGen model replayed by {@code servegen}. */
  public static final String DEFAULT_SERVEGEN_MODEL = "m-large";

  private Traces() {}

  /** Every name {@link #resolve} knows besides file paths. */
  public static List<String> knownNames() {
    List<String> names = new ArrayList<>(List.of(AzureTrace.CONVERSATION, AzureTrace.CODE));
    names.add("servegen[:MODEL]");
    names.addAll(SyntheticTrace.names());
    return names;
  }

  /**
   * The trace called {@code name}.
   *
   * @param tracesDir where long traces live (may be null when none is needed)
   * @param targetMeanRate mean rate of generated ServeGen arrivals, requests/s
   * @throws TraceException when a file is missing or malformed
   * @throws IllegalArgumentException when the name is neither known nor a readable file
   */
  public static TraceSource resolve(String name, Path tracesDir, double targetMeanRate) {
    if (name.equals(AzureTrace.CONVERSATION) || name.equals(AzureTrace.CODE)) {
      return AzureTrace.embedded(name);
    }
    if (name.equals("servegen") || name.startsWith("servegen:")) {
      if (tracesDir == null) {
        throw new IllegalArgumentException(
            "trace '"
                + name
                + "' needs the traces directory: set --traces-dir or FORESIGHT_TRACES_DIR");
      }
      String model =
          name.contains(":") ? name.substring(name.indexOf(':') + 1) : DEFAULT_SERVEGEN_MODEL;
      return ServeGenTrace.load(tracesDir, model, targetMeanRate);
    }
    SyntheticTrace synthetic = SyntheticTrace.named(name);
    if (synthetic != null) {
      return synthetic;
    }
    Path path = Path.of(name);
    if (Files.isRegularFile(path)) {
      return AzureTrace.file(path);
    }
    throw new IllegalArgumentException(
        "trace '"
            + name
            + "': expected one of "
            + knownNames()
            + " or a path to an Azure-format CSV");
  }
}
