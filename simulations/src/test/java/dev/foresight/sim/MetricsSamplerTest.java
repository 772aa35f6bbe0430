package dev.foresight.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.foresight.policy.GpuReading;
import dev.foresight.policy.Observation;
import dev.foresight.policy.Signal;
import java.time.Duration;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

class MetricsSamplerTest {
  private static final SimulationConfig CONFIG =
      SimulationConfig.defaults()
          .withCluster(
              Duration.ofSeconds(120), 0, Duration.ofSeconds(180), SimulationConfig.UNLIMITED)
          .withReplicas(1, 1, 10);

  @Test
  void gpuUtilizationIsPeggedWhileABatchRunsAndZeroWhileStarting() {
    RunRecorder recorder = new RunRecorder(2);
    Fleet fleet = new Fleet(CONFIG, new Well19937c(1), recorder);
    MetricsSampler sampler = new MetricsSampler(CONFIG);
    sampler.scrape(0, fleet, recorder);
    // One long request keeps the only replica busy for the whole interval.
    fleet.arrive(new Request(0, 10, 5000), 0);
    fleet.scaleTo(2, 0); // a node is free? no: a new node is provisioned; nothing reported yet
    fleet.advanceAll(15);
    sampler.scrape(15, fleet, recorder);
    Observation o = sampler.observe(30, fleet);
    assertThat(o.gpus()).extracting(GpuReading::utilizationPercent).containsExactly(100.0);
    assertThat(o.signals().get(Signal.RUNNING).orElseThrow().value()).isEqualTo(1.0);
    assertThat(o.signals().get(Signal.REQUEST_RATE).orElseThrow().value())
        .isCloseTo(1 / 15.0, within(1e-12));
    assertThat(o.currentReplicas()).isEqualTo(2);
    assertThat(o.readyReplicas()).isEqualTo(1);
  }

  @Test
  void beforeTheFirstDeliveryThereAreNoSignals() {
    RunRecorder recorder = new RunRecorder(2);
    Fleet fleet = new Fleet(CONFIG, new Well19937c(1), recorder);
    MetricsSampler sampler = new MetricsSampler(CONFIG);
    sampler.scrape(0, fleet, recorder);
    assertThat(sampler.observe(10, fleet).signals().asMap()).isEmpty();
    assertThat(sampler.observe(15, fleet).signals().asMap()).containsKey(Signal.QUEUE);
  }

  @Test
  void histogramQuantileInterpolatesInsideItsBucketAsPrometheusDoes() {
    long[] counts = new long[HistogramBuckets.TTFT.count()];
    // 100 observations in (1.0, 2.5]: p95 = 1.0 + 1.5 x 95/100.
    counts[HistogramBuckets.TTFT.index(2.0)] = 100;
    assertThat(HistogramBuckets.TTFT.quantile(0.95, counts)).isCloseTo(2.425, within(1e-12));
    // All in +Inf: the highest finite bound.
    long[] inf = new long[HistogramBuckets.TTFT.count()];
    inf[HistogramBuckets.TTFT.count() - 1] = 3;
    assertThat(HistogramBuckets.TTFT.quantile(0.5, inf)).isEqualTo(2560.0);
    assertThat(HistogramBuckets.TTFT.quantile(0.5, new long[HistogramBuckets.TTFT.count()]))
        .isNaN();
    assertThat(HistogramBuckets.TTFT.index(0.001)).isZero();
    assertThat(HistogramBuckets.TTFT.index(2.5)).isEqualTo(12);
    // End-to-end latency: 10 in (0.8, 1.0], p50 = 0.8 + 0.2 x 5/10.
    long[] e2e = new long[HistogramBuckets.E2E_LATENCY.count()];
    e2e[HistogramBuckets.E2E_LATENCY.index(0.9)] = 10;
    assertThat(HistogramBuckets.E2E_LATENCY.quantile(0.5, e2e)).isCloseTo(0.9, within(1e-12));
  }
}
