package dev.foresight.sim;

import dev.foresight.policy.GpuReading;
import dev.foresight.sim.trace.ArrivalStream;
import dev.foresight.sim.trace.TraceSource;
import java.util.Locale;
import org.apache.commons.math3.random.Well19937c;

/**
 * The simulator's fleet model driven from outside, step by step, for a live demonstration: the
 * caller advances simulated time ({@link #advanceTo}), scales the fleet as an HPA would ({@link
 * #scaleTo}) and reads what a scrape would see ({@link #exposition}, {@link #delivered}). The same
 * {@link Fleet}, {@link MetricsSampler} and {@link RunRecorder} as {@link Simulation}, so that the
 * run ends in the same {@link Simulation.Result} and report.
 *
 * <p>Thread-safe: every method is synchronized, since a stepping thread, a metrics endpoint and a
 * follower share one fleet.
 */
public final class LiveFleet {
  private final SimulationConfig config;
  private final TraceSource trace;
  private final RunRecorder recorder;
  private final Fleet fleet;
  private final MetricsSampler sampler;
  private final ArrivalStream arrivals;
  private final double scrapeEvery;
  private Request next;
  private double now;
  private double nextScrape;
  private int scaleEvents;
  private int peak;

  /** What the fleet looks like now. */
  public record Snapshot(
      double seconds,
      int desired,
      int ready,
      int starting,
      int pending,
      double arrivalsPerSecond,
      double ttftP95Seconds,
      double waiting) {}

  public LiveFleet(SimulationConfig config, TraceSource trace) {
    this.config = config;
    this.trace = trace;
    this.recorder = new RunRecorder(Fleet.seconds(config.ttftSlo()));
    this.fleet = new Fleet(config, new Well19937c(config.seed() ^ 0x5eed5eedL), recorder);
    this.sampler = new MetricsSampler(config);
    this.arrivals = trace.open(config.seed());
    this.next = arrivals.next();
    this.scrapeEvery = Fleet.seconds(config.scrapeInterval());
    this.peak = fleet.desiredReplicas();
  }

  /** Simulated seconds since the start. */
  public synchronized double now() {
    return now;
  }

  /** The trace's span, simulated seconds. */
  public double durationSeconds() {
    return trace.durationSeconds();
  }

  /** Runs every event due up to simulated second {@code t}; earlier times are ignored. */
  public synchronized void advanceTo(double t) {
    while (true) {
      double tEngine = fleet.nextEngineEvent();
      double tTimer = fleet.nextTimer();
      double tArrival = next == null ? Double.POSITIVE_INFINITY : next.arrivalSeconds();
      double tMin = Math.min(Math.min(tEngine, tTimer), Math.min(tArrival, nextScrape));
      if (tMin > t) {
        break;
      }
      now = tMin;
      if (tEngine == tMin) {
        fleet.fireEngine(now);
      } else if (tTimer == tMin) {
        fleet.fireTimer(now);
      } else if (tArrival == tMin) {
        fleet.arrive(next, now);
        next = arrivals.next();
      } else {
        fleet.advanceAll(now);
        sampler.scrape(now, fleet, recorder);
        recorder.fleet(
            now, fleet.desiredReplicas(), fleet.readyReplicas(), fleet.unbackedPending());
        nextScrape += scrapeEvery;
      }
    }
    now = Math.max(now, t);
  }

  /**
   * Sets the desired replica count now, bounded by the configuration's min and max replicas.
   *
   * @return the count applied
   */
  public synchronized int scaleTo(int desired) {
    int bounded = Math.max(config.minReplicas(), Math.min(config.maxReplicas(), desired));
    if (bounded != fleet.desiredReplicas()) {
      scaleEvents++;
      fleet.scaleTo(bounded, now);
      peak = Math.max(peak, bounded);
    }
    return bounded;
  }

  public synchronized Snapshot snapshot() {
    int starting = 0;
    int pending = 0;
    for (Replica r : fleet.replicas()) {
      if (r.state == Replica.State.STARTING) {
        starting++;
      } else if (r.state == Replica.State.PENDING) {
        pending++;
      }
    }
    MetricsSample s = sampler.latestScraped();
    return new Snapshot(
        now,
        fleet.desiredReplicas(),
        fleet.readyReplicas(),
        starting,
        pending,
        s == null ? Double.NaN : s.requestRate(),
        s == null ? Double.NaN : s.ttftP95(),
        fleet.waitingCount());
  }

  /**
   * The newest scrape visible to a policy now (scrape time + metrics delay), or null before the
   * first one.
   */
  public synchronized MetricsSample delivered() {
    return sampler.deliveredAt(now);
  }

  /**
   * The fleet's metrics in the Prometheus text format (version 0.0.4), as one scrape target that
   * stands for every pod: per-pod vLLM gauges and DCGM gauges labelled {@code pod}, the gateway's
   * queue and the fleet's vLLM counters and histograms under the pod {@code <podPrefix>gateway},
   * and kube-state-metrics' replica gauges of the deployment.
   *
   * <p>Counters and histogram counts are divided by {@code timeScale} (simulated seconds per wall
   * second): Prometheus stamps samples with wall-clock time, so {@code rate(x[w])} over the divided
   * counters is the per-simulated-second rate.
   */
  public synchronized String exposition(
      String namespace, String deployment, String podPrefix, double timeScale) {
    fleet.advanceAll(now);
    StringBuilder b = new StringBuilder(4096);
    String gateway = podPrefix + "gateway";
    String base = "namespace=\"" + namespace + "\",pod=\"";
    type(b, "vllm:num_requests_waiting", "gauge");
    line(b, "vllm:num_requests_waiting", base + gateway + "\"", fleetQueue());
    for (Replica r : fleet.replicas()) {
      if (serving(r)) {
        line(b, "vllm:num_requests_waiting", base + podPrefix + r.id + "\"", r.waitingForPrefill());
      }
    }
    type(b, "vllm:num_requests_running", "gauge");
    for (Replica r : fleet.replicas()) {
      if (serving(r)) {
        line(b, "vllm:num_requests_running", base + podPrefix + r.id + "\"", r.scheduled());
      }
    }
    type(b, "vllm:kv_cache_usage_perc", "gauge");
    for (Replica r : fleet.replicas()) {
      if (serving(r)) {
        line(
            b,
            "vllm:kv_cache_usage_perc",
            base + podPrefix + r.id + "\"",
            r.kvTokensUsed() / config.kvCacheTokens());
      }
    }
    String g = base + gateway + "\"";
    counter(b, "vllm:request_success_total", g, recorder.completedCount() / timeScale);
    counter(b, "vllm:prompt_tokens_total", g, recorder.promptTokens / timeScale);
    counter(b, "vllm:generation_tokens_total", g, recorder.generationTokens / timeScale);
    histogram(
        b,
        "vllm:time_to_first_token_seconds",
        g,
        HistogramBuckets.TTFT,
        recorder.ttftBuckets,
        timeScale);
    histogram(
        b,
        "vllm:e2e_request_latency_seconds",
        g,
        HistogramBuckets.E2E_LATENCY,
        recorder.latencyBuckets,
        timeScale);
    MetricsSample s = sampler.latestScraped();
    if (s != null) {
      String[][] gauges = {
        {"DCGM_FI_DEV_GPU_UTIL", "util"},
        {"DCGM_FI_DEV_FB_USED", "used"},
        {"DCGM_FI_DEV_FB_FREE", "free"},
        {"DCGM_FI_DEV_GPU_TEMP", "temp"},
        {"DCGM_FI_DEV_XID_ERRORS", "xid"}
      };
      for (String[] gauge : gauges) {
        type(b, gauge[0], "gauge");
        for (GpuReading gpu : s.gpus()) {
          double v =
              switch (gauge[1]) {
                case "util" -> gpu.utilizationPercent();
                case "used" -> gpu.framebufferUsedMiB();
                case "free" -> gpu.framebufferFreeMiB();
                case "temp" -> gpu.temperatureCelsius();
                default -> 0;
              };
          String pod = podPrefix + gpu.pod().substring(gpu.pod().lastIndexOf('-') + 1);
          line(b, gauge[0], "gpu=\"0\",UUID=\"" + gpu.gpu() + "\"," + base + pod + "\"", v);
        }
      }
    }
    String d = "namespace=\"" + namespace + "\",deployment=\"" + deployment + "\"";
    type(b, "kube_deployment_spec_replicas", "gauge");
    line(b, "kube_deployment_spec_replicas", d, fleet.desiredReplicas());
    type(b, "kube_deployment_status_replicas_ready", "gauge");
    line(b, "kube_deployment_status_replicas_ready", d, fleet.readyReplicas());
    return b.toString();
  }

  private int fleetQueue() {
    int inReplicas = 0;
    for (Replica r : fleet.replicas()) {
      inReplicas += r.waitingForPrefill();
    }
    return fleet.waitingCount() - inReplicas;
  }

  private static boolean serving(Replica r) {
    return r.state == Replica.State.READY || r.state == Replica.State.DRAINING;
  }

  private static void type(StringBuilder b, String name, String type) {
    b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void line(StringBuilder b, String name, String labels, double value) {
    b.append(name).append('{').append(labels).append("} ").append(number(value)).append('\n');
  }

  private static void counter(StringBuilder b, String name, String labels, double value) {
    type(b, name, "counter");
    line(b, name, labels, value);
  }

  private static void histogram(
      StringBuilder b,
      String name,
      String labels,
      HistogramBuckets buckets,
      long[] counts,
      double timeScale) {
    type(b, name, "histogram");
    long cumulative = 0;
    for (int i = 0; i < buckets.count(); i++) {
      cumulative += counts[i];
      double bound = buckets.bound(i);
      String le = Double.isInfinite(bound) ? "+Inf" : number(bound);
      line(b, name + "_bucket", labels + ",le=\"" + le + "\"", cumulative / timeScale);
    }
    line(b, name + "_count", labels, cumulative / timeScale);
  }

  private static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%.6g", v);
  }

  /** The run so far as the simulator reports it, under {@code policyName}. */
  public synchronized Simulation.Result result(String policyName) {
    RunSummary summary =
        recorder.summary(
            trace.name(),
            policyName,
            fleet.gpuSeconds(now),
            fleet.nodeSeconds(now),
            scaleEvents,
            peak,
            new SupplyTally(
                fleet.peakUnbacked(),
                fleet.unbackedPodSeconds(now),
                fleet.nodesProvisioned(),
                0,
                0,
                0),
            now,
            config.underProvisionedAttainment());
    return new Simulation.Result(summary, recorder.series());
  }

  /** Releases the trace. */
  public synchronized void close() {
    arrivals.close();
  }
}
