package dev.foresight.controller.bench;

import dev.foresight.metricsapi.bench.OpenLoopHttp;
import dev.foresight.scaler.bench.OpenLoopPairs;
import dev.foresight.scaler.bench.StreamIsActiveStreams;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** Prints the interval lines and keeps the run's totals. */
final class SoakReport {
  private final PrintStream out;
  private final long prometheusPid;
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final Histogram pairTotal = new Histogram(3);
  private final Histogram apiTotal = new Histogram(3);
  private long lastNanos;
  private long lastCpuNanos;
  private long lastPrometheusTicks;
  private long pairs;
  private long pairErrors;
  private long apiRequests;
  private long apiErrors;
  private long streamMessages;
  private long streamErrors;
  private long loopTicks;
  private long loopErrors;
  private final List<Double> heapMiB = new ArrayList<>();
  private final List<Integer> threadCounts = new ArrayList<>();

  SoakReport(PrintStream out, long prometheusPid) {
    this.out = out;
    this.prometheusPid = prometheusPid;
    pairTotal.setAutoResize(true);
    apiTotal.setAutoResize(true);
    lastCpuNanos = os.getProcessCpuTime();
    lastPrometheusTicks = prometheusCpuTicks();
    heapMiB.add(heapAfterGcMiB());
    threadCounts.add(ManagementFactory.getThreadMXBean().getThreadCount());
  }

  void header(SoakSettings settings) {
    out.printf(
        Locale.ROOT,
        "load started: %d StreamIsActive streams, %d pairs/s, %d metrics-API req/s over %d"
            + " connections, %d policies every %d s; heap after GC %.1f MiB, %d threads%n"
            + "latency in ms from each request's scheduled time; cpu in cores (of %d)%n",
        settings.streams(),
        settings.pairsPerSecond(),
        settings.metricsApiPerSecond(),
        settings.connections(),
        settings.policies(),
        settings.loopPeriod().toSeconds(),
        heapMiB.get(0),
        threadCounts.get(0),
        Runtime.getRuntime().availableProcessors());
  }

  void interval(
      long elapsedNanos,
      OpenLoopPairs pairLoad,
      OpenLoopHttp apiLoad,
      StreamIsActiveStreams streams,
      LoopProbe loop,
      Duration silenceLimit)
      throws Exception {
    double seconds = (elapsedNanos - lastNanos) / 1e9;
    lastNanos = elapsedNanos;
    String at = String.format(Locale.ROOT, "t=%4ds", Math.round(elapsedNanos / 1e9));

    OpenLoopPairs.Interval p = pairLoad.interval();
    pairs += p.completed();
    pairErrors += p.errors() + p.shed();
    pairTotal.add(p.pair());
    out.println(
        latencyLine(at, "keda-pairs", p.completed() / seconds, p.errors(), p.shed(), p.pair(), 1e6)
            + String.format(
                Locale.ROOT,
                "  (GetMetrics p99 %.2f, IsActive p99 %.2f)",
                p.getMetrics().getValueAtPercentile(99) / 1e6,
                p.isActive().getValueAtPercentile(99) / 1e6));

    OpenLoopHttp.Interval a = apiLoad.interval();
    apiRequests += a.completed();
    apiErrors += a.errors() + a.shed();
    apiTotal.add(a.micros());
    out.println(
        latencyLine(
            at, "metrics-api", a.completed() / seconds, a.errors(), a.shed(), a.micros(), 1e3));

    long messages = streams.takeMessages();
    long ended = streams.takeErrors();
    int silent = streams.silentLongerThan(silenceLimit);
    streamMessages += messages;
    streamErrors += ended + silent;
    out.printf(
        Locale.ROOT,
        "%s %-12s %8.1f msg/s  errors %d (ended %d, silent > %d s %d)%n",
        at,
        "streams",
        messages / seconds,
        ended + silent,
        ended,
        silenceLimit.toSeconds(),
        silent);

    try {
      LoopProbe.Sample l = loop.sample();
      loopTicks += l.ticks();
      loopErrors += l.evaluationErrors();
      out.printf(
          Locale.ROOT,
          "%s %-12s %8d ticks   errors %d%s  tick mean %.0f ms, slowest <= %.0f ms;"
              + " loop threads CPU %.0f ms/tick; PromQL requests %d, over 1 s %d, over 4 s %d%n",
          at,
          "loop",
          l.ticks(),
          l.evaluationErrors(),
          l.errorsByType().isEmpty() ? "" : " " + l.errorsByType(),
          l.meanTickMillis(),
          l.slowestTickAtMostMillis(),
          l.ticks() == 0 ? Double.NaN : l.cpuMillis() / l.ticks(),
          l.prometheusRequests(),
          l.prometheusOver1s(),
          l.prometheusOver4s());
    } catch (IOException e) {
      // /metrics unanswered within its timeout: the controller's audit endpoint failed.
      loopErrors++;
      out.printf(Locale.ROOT, "%s %-12s errors 1  /metrics failed: %s%n", at, "loop", e);
    }

    long cpu = os.getProcessCpuTime();
    long promTicks = prometheusCpuTicks();
    double heap = heapAfterGcMiB();
    int threadCount = ManagementFactory.getThreadMXBean().getThreadCount();
    heapMiB.add(heap);
    threadCounts.add(threadCount);
    out.printf(
        Locale.ROOT,
        "%s %-12s heap after GC %.1f MiB, %d live threads, cpu %.2f (this JVM) + %.2f"
            + " (Prometheus)%n",
        at,
        "jvm",
        heap,
        threadCount,
        (cpu - lastCpuNanos) / 1e9 / seconds,
        (promTicks - lastPrometheusTicks) / 100.0 / seconds);
    lastCpuNanos = cpu;
    lastPrometheusTicks = promTicks;
  }

  /**
   * Ends the warm-up: what was printed so far is not counted, and the heap and thread figures start
   * again from now.
   */
  void endWarmUp() {
    pairs = 0;
    pairErrors = 0;
    pairTotal.reset();
    apiRequests = 0;
    apiErrors = 0;
    apiTotal.reset();
    streamMessages = 0;
    streamErrors = 0;
    loopTicks = 0;
    loopErrors = 0;
    double heap = heapMiB.get(heapMiB.size() - 1);
    int threadCount = threadCounts.get(threadCounts.size() - 1);
    heapMiB.clear();
    heapMiB.add(heap);
    threadCounts.clear();
    threadCounts.add(threadCount);
    out.println("warm-up over: the lines above are not counted; the measured run starts now");
  }

  void unfinishedPairs(long unfinished) {
    pairErrors += unfinished;
    if (unfinished > 0) {
      out.printf(Locale.ROOT, "%d pairs unanswered 30 s after the end: errors%n", unfinished);
    }
  }

  SoakRun.Summary summary(long elapsedNanos) {
    double seconds = elapsedNanos / 1e9;
    SoakRun.Summary s =
        new SoakRun.Summary(
            pairs,
            pairErrors,
            apiRequests,
            apiErrors,
            streamMessages,
            streamErrors,
            loopTicks,
            loopErrors);
    out.println("summary over " + Math.round(seconds) + " s:");
    out.println(latencyLine("  all", "keda-pairs", pairs / seconds, pairErrors, 0, pairTotal, 1e6));
    out.println(
        latencyLine("  all", "metrics-api", apiRequests / seconds, apiErrors, 0, apiTotal, 1e3));
    out.printf(
        Locale.ROOT,
        "  all %-12s %d messages, errors %d%n  all %-12s %d ticks, errors %d%n",
        "streams",
        streamMessages,
        streamErrors,
        "loop",
        loopTicks,
        loopErrors);
    out.printf(
        Locale.ROOT,
        "  heap after GC (MiB) start %.1f, min %.1f, max %.1f, end %.1f; live threads start %d,"
            + " max %d, end %d%n",
        heapMiB.get(0),
        heapMiB.stream().mapToDouble(d -> d).min().orElse(Double.NaN),
        heapMiB.stream().mapToDouble(d -> d).max().orElse(Double.NaN),
        heapMiB.get(heapMiB.size() - 1),
        threadCounts.get(0),
        threadCounts.stream().mapToInt(i -> i).max().orElse(0),
        threadCounts.get(threadCounts.size() - 1));
    out.println(
        s.errors() == 0 ? "result: PASS, zero errors" : "result: FAIL, " + s.errors() + " errors");
    return s;
  }

  /** Errors include the shed requests; {@code shed} is shown on its own when there were any. */
  private static String latencyLine(
      String at,
      String name,
      double perSecond,
      long errors,
      long shed,
      Histogram h,
      double unitsPerMs) {
    return String.format(
        Locale.ROOT,
        "%s %-12s %8.1f /s   errors %d%s  p50 %.2f  p99 %.2f  p99.9 %.2f  max %.2f",
        at,
        name,
        perSecond,
        errors + shed,
        shed == 0 ? "" : " (" + shed + " shed)",
        h.getValueAtPercentile(50) / unitsPerMs,
        h.getValueAtPercentile(99) / unitsPerMs,
        h.getValueAtPercentile(99.9) / unitsPerMs,
        h.getMaxValue() / unitsPerMs);
  }

  private double heapAfterGcMiB() {
    System.gc();
    return memory.getHeapMemoryUsage().getUsed() / 1048576.0;
  }

  /** utime + stime of the Prometheus process in clock ticks (100 a second on Linux). */
  private long prometheusCpuTicks() {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(prometheusPid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException | RuntimeException e) {
      return 0; // not Linux, or Prometheus gone: its CPU is then not reported
    }
  }
}
