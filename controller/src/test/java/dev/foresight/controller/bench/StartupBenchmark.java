package dev.foresight.controller.bench;

import dev.foresight.controller.testing.PrometheusServer;
import dev.foresight.controller.testing.TestPki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Start-up benchmark: runs {@code java [JVM flags] -jar controller/target/foresight.jar run} in
 * standalone mode with N policies (default 1,000), the KEDA scaler, the metrics API (self-signed
 * serving certificate, request-header CA from a file) and no history rebuild, and measures the time
 * from launching the process to {@code /readyz} answering 200, plus the CPU the process used by
 * then (robust on a loaded machine, where wall time is not). No Prometheus is needed to become
 * ready: the first tick's queries simply fail.
 *
 * <pre>
 * java -cp controller/target/test-classes:controller/target/foresight.jar \
 *     dev.foresight.controller.bench.StartupBenchmark 1000 5 [JVM flags...]
 * </pre>
 */
public final class StartupBenchmark {

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    List<String> jvmFlags =
        args.length > 2 ? Arrays.asList(args).subList(2, args.length) : List.of();
    Path jar = Path.of("controller", "target", "foresight.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("build it first: ./mvnw -pl controller -am package");
    }
    Path dir = Files.createTempDirectory("foresight-startup-");
    Path policies = dir.resolve("policies.yaml");
    StringBuilder yaml = new StringBuilder("policies:\n");
    for (int i = 0; i < n; i++) {
      yaml.append("  - name: w")
          .append(i)
          .append("\n    namespace: bench\n    target: {kind: Deployment, name: w")
          .append(i)
          .append("}\n    signals: {preset: vllm, window: 30s}\n")
          .append("    replicas: {current: 2}\n")
          .append("    policy: {minReplicas: 1, maxReplicas: 50, target.queue: 4}\n");
    }
    Files.writeString(policies, yaml);
    Path ca = TestPki.newCa("front-proxy-ca").writeCa(dir.resolve("front-proxy-ca.crt"));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();

    System.out.println(
        "JVM flags: " + (jvmFlags.isEmpty() ? "(none)" : String.join(" ", jvmFlags)));
    System.out.println("run  ready_ms  cpu_ms_at_ready  rss_kb_at_ready");
    List<Double> wall = new ArrayList<>();
    List<Long> cpu = new ArrayList<>();
    for (int r = 0; r < runs; r++) {
      int port = PrometheusServer.freePort();
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(jvmFlags);
      command.addAll(
          List.of(
              "-jar",
              jar.toString(),
              "run",
              "--policies-file",
              policies.toString(),
              "--prometheus-url",
              "http://127.0.0.1:" + PrometheusServer.freePort(),
              "--http-host",
              "127.0.0.1",
              "--http-port",
              String.valueOf(port),
              "--scaler-host",
              "127.0.0.1",
              "--scaler-port",
              "0",
              "--metrics-api-host",
              "127.0.0.1",
              "--metrics-api-port",
              "0",
              "--metrics-api-requestheader-ca-file",
              ca.toString(),
              "--metrics-api-delegated-authorization",
              "false"));
      long start = System.nanoTime();
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("run-" + r + ".log").toFile())
              .start();
      try {
        URI readyz = URI.create("http://127.0.0.1:" + port + "/readyz");
        long deadline = start + Duration.ofSeconds(60).toNanos();
        while (true) {
          if (!p.isAlive()) {
            throw new IllegalStateException(
                "exited with " + p.exitValue() + ", see " + dir.resolve("run-" + r + ".log"));
          }
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("not ready within 60 s");
          }
          try {
            HttpResponse<Void> res =
                http.send(
                    HttpRequest.newBuilder(readyz).timeout(Duration.ofSeconds(1)).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (res.statusCode() == 200) {
              break;
            }
          } catch (java.io.IOException notYet) {
            // not listening yet
          }
          Thread.sleep(5);
        }
        double ms = (System.nanoTime() - start) / 1e6;
        long cpuMs = cpuMillis(p.pid());
        wall.add(ms);
        cpu.add(cpuMs);
        System.out.printf(Locale.ROOT, "%3d  %8.0f  %15d  %15s%n", r, ms, cpuMs, rssKb(p.pid()));
      } finally {
        p.destroy();
        p.waitFor();
      }
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
    wall.sort(null);
    cpu.sort(null);
    System.out.printf(
        Locale.ROOT,
        "median: ready %.0f ms, CPU %d ms (%d policies, %d runs)%n",
        wall.get(wall.size() / 2),
        cpu.get(cpu.size() / 2),
        n,
        runs);
  }

  private static long cpuMillis(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
  }

  private static String rssKb(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return line.substring(6).trim();
      }
    }
    return "unknown";
  }
}
