package dev.foresight.controller.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * The controller's loop seen from outside, between two calls of {@link #sample()}: ticks, their
 * mean wall time and the histogram bucket that bounds the slowest one (from {@code
 * foresight_loop_duration_seconds} on {@code /metrics}), evaluation errors ({@code
 * foresight_errors_total}), and the CPU time of the loop's own threads ({@code foresight-loop} and
 * the {@code foresight-eval} workers; the shared HTTP client's selector thread is not included),
 * and how many PromQL requests took over 1 s and over 4 s ({@code
 * foresight_prometheus_request_duration_seconds}), to tell a slow Prometheus from a slow loop.
 */
final class LoopProbe {

  /** The loop between two samples. */
  record Sample(
      long ticks,
      double meanTickMillis,
      double slowestTickAtMostMillis,
      double cpuMillis,
      long evaluationErrors,
      Map<String, Long> errorsByType,
      long prometheusRequests,
      long prometheusOver1s,
      long prometheusOver4s) {}

  private static final String DURATION = "foresight_loop_duration_seconds";
  private static final String PROMQL = "foresight_prometheus_request_duration_seconds";

  private final HttpClient http = HttpClient.newHttpClient();
  private final URI metrics;
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private Scrape last;

  LoopProbe(int auditPort) throws IOException, InterruptedException {
    metrics = URI.create("http://127.0.0.1:" + auditPort + "/metrics");
    last = scrape();
  }

  private record Scrape(
      double count,
      double sum,
      TreeMap<Double, Double> buckets,
      Map<String, Double> errors,
      long cpuNanos,
      double promqlCount,
      double promqlWithin1s,
      double promqlWithin4s) {}

  /** The loop since the previous sample (or since this probe was made). */
  Sample sample() throws IOException, InterruptedException {
    Scrape now = scrape();
    long ticks = Math.round(now.count - last.count);
    double slowest = Double.NaN;
    for (Map.Entry<Double, Double> bucket : now.buckets.entrySet()) {
      double before = last.buckets.getOrDefault(bucket.getKey(), 0.0);
      if (ticks > 0 && bucket.getValue() - before >= ticks) {
        slowest = bucket.getKey() * 1000; // the first bucket holding every tick of the interval
        break;
      }
    }
    Map<String, Long> errorsByType = new TreeMap<>();
    now.errors.forEach(
        (type, value) -> {
          long delta = Math.round(value - last.errors.getOrDefault(type, 0.0));
          if (delta != 0) {
            errorsByType.put(type, delta);
          }
        });
    Sample s =
        new Sample(
            ticks,
            ticks == 0 ? Double.NaN : (now.sum - last.sum) * 1000 / ticks,
            slowest,
            (now.cpuNanos - last.cpuNanos) / 1e6,
            errorsByType.values().stream().mapToLong(Long::longValue).sum(),
            errorsByType,
            Math.round(now.promqlCount - last.promqlCount),
            Math.round(
                (now.promqlCount - now.promqlWithin1s) - (last.promqlCount - last.promqlWithin1s)),
            Math.round(
                (now.promqlCount - now.promqlWithin4s) - (last.promqlCount - last.promqlWithin4s)));
    last = now;
    return s;
  }

  private Scrape scrape() throws IOException, InterruptedException {
    String body =
        http.send(
                HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    double count = 0;
    double sum = 0;
    Map<String, Double> errors = new TreeMap<>();
    TreeMap<Double, Double> buckets = new TreeMap<>();
    double promqlCount = 0;
    double promqlWithin1s = 0;
    double promqlWithin4s = 0;
    for (String line : body.split("\n")) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      String series = line.substring(0, space);
      double value = Double.parseDouble(line.substring(space + 1));
      if (series.equals(DURATION + "_count")) {
        count = value;
      } else if (series.equals(DURATION + "_sum")) {
        sum = value;
      } else if (series.startsWith(DURATION + "_bucket{le=\"")) {
        String le = series.substring(series.indexOf('"') + 1, series.lastIndexOf('"'));
        buckets.put(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), value);
      } else if (series.startsWith(PROMQL + "_count")) {
        promqlCount += value;
      } else if (series.startsWith(PROMQL + "_bucket{")) {
        int le = series.indexOf("le=\"") + 4;
        String upper = series.substring(le, series.indexOf('"', le));
        double bound = upper.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(upper);
        promqlWithin1s += bound == 1 ? value : 0;
        promqlWithin4s += bound == 4 ? value : 0;
      } else if (series.startsWith("foresight_errors_total{")) {
        int type = series.indexOf("type=\"") + 6;
        errors.merge(series.substring(type, series.indexOf('"', type)), value, Double::sum);
      }
    }
    return new Scrape(
        count,
        sum,
        buckets,
        errors,
        loopThreadsCpuNanos(),
        promqlCount,
        promqlWithin1s,
        promqlWithin4s);
  }

  private long loopThreadsCpuNanos() {
    long total = 0;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null
          && (info.getThreadName().equals("foresight-loop")
              || info.getThreadName().equals("foresight-eval"))) {
        total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return total;
  }
}
