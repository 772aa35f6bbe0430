package dev.foresight.sim;

import dev.foresight.policy.GpuReading;
import dev.foresight.policy.Observation;
import dev.foresight.policy.Reading;
import dev.foresight.policy.Signal;
import dev.foresight.policy.Signals;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Scrapes the fleet every {@code scrapeInterval} as Prometheus would, and builds the {@link
 * Observation} a policy sees at a given instant from the newest scrape that has been delivered
 * ({@code scrape time + metricsDelay <= now}); each reading's age is {@code now − scrape time}.
 *
 * <p>DCGM's {@code DCGM_FI_DEV_GPU_UTIL} is the share of the scrape interval during which a kernel
 * ran: 100% whenever a batch runs, whatever its size; a starting pod holds its GPU at 0%. A Pending
 * pod has no GPU and no reading. Rates and the TTFT quantile are taken between the newest scrape
 * and the one a signal window earlier, as {@code rate(x[window])}.
 */
final class MetricsSampler {
  private static final double FRAMEBUFFER_MIB = 81_559;

  private final SimulationConfig config;
  private final double window;
  private final double delay;
  private final ArrayDeque<Counters> history = new ArrayDeque<>();
  private final ArrayDeque<MetricsSample> pending = new ArrayDeque<>();
  private final Map<Integer, Double> lastBusy = new HashMap<>();
  private MetricsSample delivered;
  private double lastScrape = Double.NaN;

  private record Counters(
      double at, long arrivals, long prompt, long generation, long[] ttft, long[] latency) {}

  MetricsSampler(SimulationConfig config) {
    this.config = config;
    this.window = Fleet.seconds(config.signalWindow());
    this.delay = Fleet.seconds(config.metricsDelay());
  }

  /** Takes a scrape at {@code t}. The fleet must have been advanced to {@code t}. */
  void scrape(double t, Fleet fleet, RunRecorder recorder) {
    Counters now =
        new Counters(
            t,
            recorder.arrivals,
            recorder.promptTokens,
            recorder.generationTokens,
            recorder.ttftBuckets.clone(),
            recorder.latencyBuckets.clone());
    history.addLast(now);
    while (history.size() > 1 && history.peekFirst().at < t - window - 1e-9) {
      history.removeFirst();
    }
    Counters then = history.peekFirst();
    double span = t - then.at;

    double interval =
        Double.isNaN(lastScrape) ? Fleet.seconds(config.scrapeInterval()) : t - lastScrape;
    lastScrape = t;
    double running = 0;
    double kvSum = 0;
    int serving = 0;
    List<GpuReading> gpus = new ArrayList<>();
    for (Replica r : fleet.replicas()) {
      switch (r.state) {
        case READY, DRAINING -> {
          running += r.scheduled();
          kvSum += r.kvTokensUsed() / config.kvCacheTokens();
          serving++;
          gpus.add(gpu(r, interval));
        }
        case STARTING -> gpus.add(gpu(r, interval));
        default -> {}
      }
    }
    double requestRate = Double.NaN;
    double promptRate = Double.NaN;
    double generationRate = Double.NaN;
    double ttft = Double.NaN;
    double latency = Double.NaN;
    if (span > 0) {
      requestRate = (now.arrivals - then.arrivals) / span;
      promptRate = (now.prompt - then.prompt) / span;
      generationRate = (now.generation - then.generation) / span;
      ttft = HistogramBuckets.TTFT.quantile(0.95, delta(now.ttft, then.ttft));
      latency = HistogramBuckets.E2E_LATENCY.quantile(0.95, delta(now.latency, then.latency));
    }
    pending.addLast(
        new MetricsSample(
            t,
            fleet.waitingCount(),
            serving == 0 ? Double.NaN : running,
            serving == 0 ? Double.NaN : kvSum / serving,
            ttft,
            latency,
            requestRate,
            promptRate,
            generationRate,
            List.copyOf(gpus)));
    // Forget busy counters of replicas that are gone.
    if (lastBusy.size() > 4 * fleet.replicas().size() + 16) {
      Iterator<Integer> it = lastBusy.keySet().iterator();
      while (it.hasNext()) {
        int id = it.next();
        if (fleet.replicas().stream().noneMatch(r -> r.id == id)) {
          it.remove();
        }
      }
    }
  }

  private static long[] delta(long[] now, long[] then) {
    long[] d = new long[now.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = now[i] - then[i];
    }
    return d;
  }

  private GpuReading gpu(Replica r, double interval) {
    double busy = r.busySeconds();
    double before = lastBusy.getOrDefault(r.id, 0.0);
    lastBusy.put(r.id, busy);
    double util =
        r.state == Replica.State.STARTING ? 0 : Math.min(100, 100 * (busy - before) / interval);
    double used = r.state == Replica.State.STARTING ? 0 : 0.9 * FRAMEBUFFER_MIB;
    return new GpuReading(r.pod(), "GPU-" + r.id, util, used, FRAMEBUFFER_MIB - used, 60, 0);
  }

  /** The newest sample delivered by {@code t}, or null when none has been. */
  MetricsSample deliveredAt(double t) {
    while (!pending.isEmpty() && pending.peekFirst().at() + delay <= t + 1e-9) {
      delivered = pending.pollFirst();
    }
    return delivered;
  }

  /** The observation a policy sees at {@code t}. */
  Observation observe(double t, Fleet fleet) {
    MetricsSample s = deliveredAt(t);
    Instant at = instant(t);
    if (s == null) {
      return Observation.of(at, fleet.desiredReplicas(), fleet.readyReplicas(), Signals.none());
    }
    Duration age = Duration.ofNanos(Math.max(0, Math.round((t - s.at()) * 1e9)));
    Signals.Builder b = Signals.builder();
    b.put(Signal.QUEUE, new Reading(s.waiting(), age));
    putIfPresent(b, Signal.RUNNING, s.running(), age);
    putIfPresent(b, Signal.KV_CACHE, s.kvCacheUsage(), age);
    // histogram_quantile over an empty window is NaN in Prometheus too: delivered as such.
    if (!Double.isNaN(s.requestRate())) {
      b.put(Signal.TTFT_P95, new Reading(s.ttftP95(), age));
      b.put(Signal.LATENCY_P95, new Reading(s.latencyP95(), age));
    }
    putIfPresent(b, Signal.REQUEST_RATE, s.requestRate(), age);
    putIfPresent(b, Signal.PROMPT_TOKEN_RATE, s.promptTokenRate(), age);
    putIfPresent(b, Signal.GENERATION_TOKEN_RATE, s.generationTokenRate(), age);
    return new Observation(at, fleet.desiredReplicas(), fleet.readyReplicas(), b.build(), s.gpus());
  }

  private static void putIfPresent(Signals.Builder b, Signal signal, double value, Duration age) {
    if (!Double.isNaN(value)) {
      b.put(signal, new Reading(value, age));
    }
  }

  /** Simulated seconds as an instant: the simulation starts at the epoch. */
  static Instant instant(double t) {
    return Instant.EPOCH.plusNanos(Math.round(t * 1e9));
  }

  /** Simulated seconds of an instant. */
  static double seconds(Instant at) {
    return at.getEpochSecond() + at.getNano() / 1e9;
  }
}
