package dev.foresight.controller.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.controller.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs {@code foresight demo} end to end for half an hour of the step trace at 150× (about 12 s): a
 * real Prometheus when the binary is on the PATH, and the direct path; then checks that decisions
 * were made and followed, that the report exists, and that nothing is left running.
 */
class DemoIT {

  private static final Pattern LINE =
      Pattern.compile("desired=(\\d+) current=(\\d+) ready=(\\d+) starting=(\\d+)");
  private static final Pattern FOLLOWED = Pattern.compile("\\((\\d+) scaling actions followed\\)");
  private static final Pattern PID = Pattern.compile("\\(PID (\\d+)\\)");

  @TempDir Path dir;

  @ParameterizedTest(name = "prometheus={0}")
  @ValueSource(booleans = {true, false})
  void runsMakesDecisionsTheFleetFollowsAndLeavesNothingBehind(boolean prometheus)
      throws Exception {
    Map<String, String> env = new HashMap<>(System.getenv());
    if (prometheus) {
      Assumptions.assumeTrue(
          DemoPrometheus.find(env.get("PATH")).isPresent(),
          "the prometheus binary is not on the PATH (apt-get install prometheus)");
    }
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    Path out = dir.resolve("report");
    StringWriter text = new StringWriter();
    StringWriter errors = new StringWriter();
    List<String> args =
        Stream.of(
                "demo",
                "--trace",
                "step",
                "--duration",
                "30m",
                "--speed",
                "150",
                "--plain",
                "--out",
                out.toString(),
                prometheus ? null : "--no-prometheus")
            .filter(a -> a != null)
            .toList();
    int code =
        Main.execute(
            args.toArray(String[]::new), env, new PrintWriter(text), new PrintWriter(errors));
    String output = text.toString();

    assertThat(code).as("exit code; stderr: %s", errors).isZero();
    assertThat(output).contains("external metrics API port");
    assertThat(out.resolve("certs").resolve("client.crt")).isRegularFile();
    if (prometheus) {
      assertThat(output).contains("Prometheus scrapes the fleet");
    } else {
      assertThat(output).contains("reads the fleet's metrics directly");
    }
    Matcher followed = FOLLOWED.matcher(output);
    assertThat(followed.find()).as(output).isTrue();
    assertThat(Integer.parseInt(followed.group(1)))
        .as("scaling actions the fleet followed")
        .isGreaterThanOrEqualTo(1);
    // The load steps from 4 to 24 requests/s at minute 20: a decision above 2 replicas, which the
    // fleet then has (desired == current), with new replicas going through their cold start.
    Matcher m = LINE.matcher(output);
    boolean scaledUpAndFollowed = false;
    boolean sawColdStart = false;
    while (m.find()) {
      int desired = Integer.parseInt(m.group(1));
      int current = Integer.parseInt(m.group(2));
      sawColdStart |= Integer.parseInt(m.group(4)) > 0;
      scaledUpAndFollowed |= desired > 2 && current == desired;
    }
    assertThat(scaledUpAndFollowed).as(output).isTrue();
    assertThat(sawColdStart).as("a replica seen starting; %s", output).isTrue();

    assertThat(out.resolve("index.html")).isRegularFile();
    List<String> csv = Files.readAllLines(out.resolve("summary.csv"));
    assertThat(csv).hasSize(2);
    assertThat(csv.get(1)).startsWith("step,demo/llama,");

    if (prometheus) {
      Matcher pid = PID.matcher(output);
      assertThat(pid.find()).as(output).isTrue();
      long p = Long.parseLong(pid.group(1));
      assertThat(ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false))
          .as("prometheus PID %d still alive", p)
          .isFalse();
    }
    awaitNoNewThreads(before, Duration.ofSeconds(30));
  }

  /**
   * Threads the JVM or a library starts once per process, on first use, and keeps: Java 2D's
   * disposer (the report's charts), the JDK's process reaper (which waits for child processes) and
   * the Prometheus client library's shared scheduler. They are not per run, so not a leak.
   */
  private static final Set<String> PROCESS_SINGLETONS =
      Set.of("Java2D Disposer", "process reaper", "prometheus-metrics-scheduler-0");

  /**
   * Waits until every thread the run started has ended, process-wide singletons aside. gRPC's
   * shared event loops are released a moment after the last server closes and the JDK HTTP client's
   * selector ends once the client is collected, so this polls, asking for a collection.
   */
  private static void awaitNoNewThreads(Set<Thread> before, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    Set<String> extra = Set.of();
    while (Instant.now().isBefore(deadline)) {
      System.gc();
      extra =
          Thread.getAllStackTraces().keySet().stream()
              .filter(t -> !before.contains(t) && t.isAlive())
              .filter(t -> !PROCESS_SINGLETONS.contains(t.getName()))
              .map(Thread::getName)
              .collect(Collectors.toSet());
      if (extra.isEmpty()) {
        return;
      }
      Thread.sleep(200);
    }
    assertThat(extra).as("threads left running").isEmpty();
  }
}
