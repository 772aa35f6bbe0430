package dev.foresight.controller.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link SoakRun} offers, from {@code key=value} arguments; every key is optional and every
 * problem is reported at once.
 *
 * @param policies declared policies the loop evaluates (one vLLM deployment each)
 * @param streams StreamIsActive streams held open
 * @param pairsPerSecond KEDA GetMetrics+IsActive pairs a second, open loop
 * @param metricsApiPerSecond external metrics API GETs a second, open loop
 * @param connections keep-alive mTLS connections the metrics API GETs share
 * @param warmup how long the same load runs before the measured part; printed, not counted (the
 *     first seconds at full rate compile the client's and servers' hot paths and open the streams)
 * @param duration how long the measured load runs
 * @param reportEvery how often one line per stream of work is printed
 * @param loopPeriod the controller's {@code --loop-period}
 * @param prime requests sent closed loop to each server before the schedule starts
 */
record SoakSettings(
    int policies,
    int streams,
    int pairsPerSecond,
    int metricsApiPerSecond,
    int connections,
    Duration warmup,
    Duration duration,
    Duration reportEvery,
    Duration loopPeriod,
    int prime) {

  /** The keys with their defaults: the reliability target (10 minutes at full rates). */
  static final Map<String, String> DEFAULTS =
      defaults(
          "policies", "1000",
          "streams", "1000",
          "pairs", "5000",
          "metricsApi", "2000",
          "connections", "8",
          "warmup", "60",
          "duration", "600",
          "report", "60",
          "loopPeriod", "5",
          "prime", "20000");

  private static Map<String, String> defaults(String... keysAndValues) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  /**
   * Parses {@code key=value} arguments; durations are whole seconds.
   *
   * @throws IllegalArgumentException naming every unknown key and bad value
   */
  static SoakSettings parse(String... args) {
    Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
    List<String> problems = new ArrayList<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      String key = eq < 0 ? arg : arg.substring(0, eq);
      if (eq < 0 || !DEFAULTS.containsKey(key)) {
        problems.add("'" + arg + "' is not key=value with a key among " + DEFAULTS.keySet());
      } else {
        values.put(key, arg.substring(eq + 1));
      }
    }
    Map<String, Integer> ints = new LinkedHashMap<>();
    values.forEach(
        (key, value) -> {
          try {
            int v = Integer.parseInt(value.trim());
            if (key.equals("warmup") ? v < 0 : v <= 0) {
              problems.add(
                  key
                      + "="
                      + value
                      + (key.equals("warmup")
                          ? ": expected a whole number of seconds, 0 or more"
                          : ": expected a positive whole number"));
            }
            ints.put(key, v);
          } catch (NumberFormatException e) {
            problems.add(key + "=" + value + ": expected a positive whole number");
          }
        });
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return new SoakSettings(
        ints.get("policies"),
        ints.get("streams"),
        ints.get("pairs"),
        ints.get("metricsApi"),
        ints.get("connections"),
        Duration.ofSeconds(ints.get("warmup")),
        Duration.ofSeconds(ints.get("duration")),
        Duration.ofSeconds(ints.get("report")),
        Duration.ofSeconds(ints.get("loopPeriod")),
        ints.get("prime"));
  }

  /** The arguments that give these settings back, for the header line. */
  String describe() {
    return String.format(
        "policies=%d streams=%d pairs=%d metricsApi=%d connections=%d warmup=%d duration=%d"
            + " report=%d loopPeriod=%d prime=%d",
        policies,
        streams,
        pairsPerSecond,
        metricsApiPerSecond,
        connections,
        warmup.toSeconds(),
        duration.toSeconds(),
        reportEvery.toSeconds(),
        loopPeriod.toSeconds(),
        prime);
  }
}
