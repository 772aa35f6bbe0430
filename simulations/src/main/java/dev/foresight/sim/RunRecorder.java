package dev.foresight.sim;

import java.util.Arrays;
import org.HdrHistogram.Histogram;

/**
 * Counts what happened to requests: cumulative counters as vLLM exports them (for the signals) and
 * the distributions and per-minute series of the run (for the report). Memory is bounded by the
 * trace's span in minutes, never by its number of requests.
 */
final class RunRecorder {
  private final double slo;

  // Cumulative counters, as a Prometheus scrape sees them.
  long arrivals;
  long promptTokens;
  long generationTokens;
  final long[] ttftBuckets = new long[HistogramBuckets.TTFT.count()];
  final long[] latencyBuckets = new long[HistogramBuckets.E2E_LATENCY.count()];

  private long completed;
  private long withinSlo;
  private final Histogram ttftMillis = new Histogram(3);
  private final Histogram waitMillis = new Histogram(3);
  private double waitSum;
  private long waits;

  private int minutes;
  private int[] arrivalsByMinute = new int[64];
  private int[] metByMinute = new int[64];
  private int[][] ttftByMinute = new int[64][];
  private int[] desiredByMinute = new int[64];
  private int[] readyByMinute = new int[64];
  private int[] unbackedByMinute = new int[64];

  RunRecorder(double sloSeconds) {
    this.slo = sloSeconds;
  }

  private void ensure(int minute) {
    if (minute >= arrivalsByMinute.length) {
      int n = Math.max(minute + 1, arrivalsByMinute.length * 2);
      arrivalsByMinute = Arrays.copyOf(arrivalsByMinute, n);
      metByMinute = Arrays.copyOf(metByMinute, n);
      ttftByMinute = Arrays.copyOf(ttftByMinute, n);
      desiredByMinute = Arrays.copyOf(desiredByMinute, n);
      readyByMinute = Arrays.copyOf(readyByMinute, n);
      unbackedByMinute = Arrays.copyOf(unbackedByMinute, n);
    }
    minutes = Math.max(minutes, minute + 1);
  }

  void arrived(Request r) {
    arrivals++;
    int m = (int) (r.arrivalSeconds() / 60);
    ensure(m);
    arrivalsByMinute[m]++;
  }

  /** The request's prefill began: the end of its queue wait. */
  void prefillStarted(Request r, double t) {
    double wait = t - r.arrivalSeconds();
    waitSum += wait;
    waits++;
    waitMillis.recordValue(Math.round(wait * 1000));
  }

  void firstToken(Request r, double t) {
    double ttft = t - r.arrivalSeconds();
    promptTokens += r.promptTokens();
    int b = HistogramBuckets.TTFT.index(ttft);
    ttftBuckets[b]++;
    ttftMillis.recordValue(Math.round(ttft * 1000));
    int m = (int) (r.arrivalSeconds() / 60);
    if (ttftByMinute[m] == null) {
      ttftByMinute[m] = new int[HistogramBuckets.TTFT.count()];
    }
    ttftByMinute[m][b]++;
    if (ttft <= slo) {
      withinSlo++;
      metByMinute[m]++;
    }
  }

  void completed(Request r, double t) {
    generationTokens += r.outputTokens();
    latencyBuckets[HistogramBuckets.E2E_LATENCY.index(t - r.arrivalSeconds())]++;
    completed++;
  }

  /** Records the fleet size at {@code t}; the last value of each minute is kept. */
  void fleet(double t, int desired, int ready, int unbacked) {
    int m = (int) (t / 60);
    ensure(m);
    desiredByMinute[m] = desired;
    readyByMinute[m] = ready;
    unbackedByMinute[m] = unbacked;
  }

  long completedCount() {
    return completed;
  }

  RunSummary summary(
      String trace,
      String policy,
      double gpuSeconds,
      double nodeSeconds,
      int scaleEvents,
      int peakReplicas,
      SupplyTally supply,
      double end,
      double underProvisionedAttainment) {
    int under = 0;
    for (int m = 0; m < minutes; m++) {
      if (arrivalsByMinute[m] > 0
          && metByMinute[m] < underProvisionedAttainment * arrivalsByMinute[m]) {
        under++;
      }
    }
    return new RunSummary(
        trace,
        policy,
        arrivals,
        arrivals == 0 ? 1.0 : (double) withinSlo / arrivals,
        quantile(ttftMillis, 50),
        quantile(ttftMillis, 95),
        quantile(ttftMillis, 99),
        waits == 0 ? 0 : waitSum / waits,
        quantile(waitMillis, 95),
        gpuSeconds / 3600,
        nodeSeconds / 3600,
        scaleEvents,
        under,
        peakReplicas,
        supply.peakUnbackedPods(),
        supply.unbackedPodSeconds() / 60,
        supply.nodeClaims(),
        supply.cappedDecisions(),
        supply.cappedSeconds() / 60,
        supply.heldDecisions(),
        end);
  }

  private static double quantile(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
  }

  RunSeries series() {
    double[] rate = new double[minutes];
    double[] p95 = new double[minutes];
    int[] desired = Arrays.copyOf(desiredByMinute, minutes);
    int[] ready = Arrays.copyOf(readyByMinute, minutes);
    int[] unbacked = Arrays.copyOf(unbackedByMinute, minutes);
    long[] counts = new long[HistogramBuckets.TTFT.count()];
    for (int m = 0; m < minutes; m++) {
      rate[m] = arrivalsByMinute[m] / 60.0;
      if (ttftByMinute[m] == null) {
        p95[m] = Double.NaN;
      } else {
        for (int b = 0; b < counts.length; b++) {
          counts[b] = ttftByMinute[m][b];
        }
        p95[m] = HistogramBuckets.TTFT.quantile(0.95, counts);
      }
    }
    return new RunSeries(rate, desired, ready, unbacked, p95);
  }
}
