package dev.foresight.policy.bench;

import dev.foresight.policy.Evaluation;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * CPU time of one decision, for machines whose cores are shared (JMH's wall-clock figures grow with
 * every other process on the core; the thread's own CPU time much less). The set-up and operations
 * of {@link DecisionBenchmark}; prints microseconds of CPU per decision for five rounds of 100,000
 * decisions after one warm-up round.
 *
 * <pre>
 * ./mvnw -q -pl policy test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.foresight.policy.bench.DecisionCpuTime
 * </pre>
 */
public final class DecisionCpuTime {

  private static final int DECISIONS = 100_000;

  private DecisionCpuTime() {}

  public static void main(String[] args) {
    DecisionBenchmark b = new DecisionBenchmark();
    b.setUp();
    Map<String, Supplier<Evaluation>> cases = new LinkedHashMap<>();
    cases.put("decideScaleUp", b::decideScaleUp);
    cases.put("decideSteady", b::decideSteady);
    cases.put("decideScaleUpPredictive", b::decideScaleUpPredictive);
    cases.put("decideSteadyPredictive", b::decideSteadyPredictive);
    cases.put("decideScaleUpPredictiveWithSupply", b::decideScaleUpPredictiveWithSupply);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long sink = 0;
    for (Map.Entry<String, Supplier<Evaluation>> c : cases.entrySet()) {
      StringBuilder line = new StringBuilder(c.getKey()).append(": µs CPU per decision");
      for (int round = 0; round <= 5; round++) {
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < DECISIONS; i++) {
          sink += c.getValue().get().decision().desiredReplicas();
        }
        long cpu = threads.getCurrentThreadCpuTime() - start;
        if (round > 0) {
          line.append(String.format(Locale.ROOT, " %.2f", cpu / 1000.0 / DECISIONS));
        }
      }
      System.out.println(line);
    }
    System.out.println("(checksum " + sink + ")");
  }
}
