package dev.foresight.policy.forecast.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the shared public traces into regularly sampled rate series (test scope: the policy module
 * itself does no I/O).
 */
final class TraceRates {

  /** The system property naming the folder of the shared traces. */
  static final String TRACES_DIR_PROPERTY = "foresight.traces.dir";

  private TraceRates() {}

  /**
   * One regularly sampled series.
   *
   * @param name e.g. {@code azure-conv requests}
   * @param interval time between samples
   * @param values per-second rates, one per interval
   */
  record Series(String name, Duration interval, double[] values) {}

  /** A trace file is not where the traces folder says it should be. */
  static final class TraceFileMissingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TraceFileMissingException(Path file) {
      super(
          "trace file "
              + file
              + " does not exist; set -D"
              + TRACES_DIR_PROPERTY
              + " to the folder holding the shared traces");
    }
  }

  private static final DateTimeFormatter AZURE_TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSSS]");

  /**
   * An Azure LLM inference trace ({@code TIMESTAMP,ContextTokens,GeneratedTokens}) binned into
   * wall-clock minutes: request rate, prompt token rate and generation token rate per second.
   * Minutes without a request are 0.
   */
  static List<Series> azurePerMinute(Path file, String name) {
    List<String> lines = read(file);
    List<LocalDateTime> minutes = new ArrayList<>();
    List<long[]> rows = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] fields = line.split(",");
      if (fields.length != 3) {
        throw new IllegalArgumentException(
            file + " line " + (i + 1) + ": expected 3 fields, got '" + line + "'");
      }
      minutes.add(LocalDateTime.parse(fields[0], AZURE_TIMESTAMP).truncatedTo(ChronoUnit.MINUTES));
      rows.add(new long[] {Long.parseLong(fields[1]), Long.parseLong(fields[2])});
    }
    if (minutes.isEmpty()) {
      throw new IllegalArgumentException(file + ": no requests");
    }
    LocalDateTime first = minutes.get(0);
    int n = (int) ChronoUnit.MINUTES.between(first, minutes.get(minutes.size() - 1)) + 1;
    double[] requests = new double[n];
    double[] prompt = new double[n];
    double[] generation = new double[n];
    for (int i = 0; i < minutes.size(); i++) {
      int bin = (int) ChronoUnit.MINUTES.between(first, minutes.get(i));
      requests[bin] += 1 / 60.0;
      prompt[bin] += rows.get(i)[0] / 60.0;
      generation[bin] += rows.get(i)[1] / 60.0;
    }
    Duration minute = Duration.ofMinutes(1);
    return List.of(
        new Series(name + " requests", minute, requests),
        new Series(name + " prompt tokens", minute, prompt),
        new Series(name + " generation tokens", minute, generation));
  }

  /**
   * ServeGen's summed rates ({@code category,model,window_start_s,total_rate_rps,active_clients}),
   * one series per model in file order, 10-minute windows.
   */
  static List<Series> servegenTotals(Path file) {
    List<String> lines = read(file);
    Map<String, List<Double>> byModel = new LinkedHashMap<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] fields = line.split(",");
      if (fields.length != 5) {
        throw new IllegalArgumentException(
            file + " line " + (i + 1) + ": expected 5 fields, got '" + line + "'");
      }
      byModel.computeIfAbsent(fields[1], k -> new ArrayList<>()).add(Double.parseDouble(fields[3]));
    }
    List<Series> series = new ArrayList<>();
    byModel.forEach(
        (model, values) ->
            series.add(
                new Series(
                    "servegen " + model,
                    Duration.ofMinutes(10),
                    values.stream().mapToDouble(Double::doubleValue).toArray())));
    return series;
  }

  private static List<String> read(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new TraceFileMissingException(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read trace file " + file, e);
    }
  }
}
