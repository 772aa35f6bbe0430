package dev.foresight.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every parameter of a simulation, with documented defaults ({@link #defaults()}).
 *
 * <h2>Serving engine (one replica = one GPU = one vLLM engine)</h2>
 *
 * <p>Calibrated to vLLM serving Llama-3.1-8B (BF16) on one NVIDIA H100 80GB SXM. An engine step
 * (one forward pass of continuous batching with chunked prefill) takes
 *
 * <pre>
 *   step(n, c) = stepOverhead + perSequenceDecodeCost · n + perPromptTokenCost · c     [seconds]
 * </pre>
 *
 * where {@code n} is the number of sequences decoding and {@code c} the prompt tokens prefilled in
 * that step ({@code c = maxBatchedTokens − n} while a prompt is waiting for prefill, else 0). Each
 * decoding sequence gains one token per step; prefill advances {@code c} tokens per step.
 *
 * <ul>
 *   <li>{@code stepOverhead} 6 ms: reading the 16 GB of weights once per step at the H100's 3.35
 *       TB/s takes 4.8 ms; the rest is scheduling and sampling.
 *   <li>{@code perSequenceDecodeCost} 0.0766 ms: LambdaLabs' vLLM benchmark (vLLM 0.6.0, 10
 *       scheduler steps, Llama 3.1 8B, 1×H100-80GB-SXM, max-num-seqs 256) measured a median TPOT of
 *       25.57 ms at a full batch of 256 and 8,088 output tokens/s; (25.57 − 6) / 256 = 0.0766 ms.
 *   <li>{@code perPromptTokenCost} 0.035 ms/token: compute-bound prefill, 2 × 8·10⁹ FLOP per token
 *       at 46% of the H100's 989 dense BF16 TFLOP/s (about 28,600 prompt tokens/s).
 *   <li>{@code kvCacheTokens} 400,000: Llama-3-8B keeps 2 × 32 layers × 8 KV heads × 128 × 2 bytes
 *       = 128 KiB per token; 90% of 80 GB less 16 GB of weights and about 4 GB of activations
 *       leaves about 52 GB.
 *   <li>{@code maxNumSeqs} 256 and {@code maxBatchedTokens} 8,192: vLLM's batch limits.
 * </ul>
 *
 * <h2>Cluster</h2>
 *
 * A replica needs one node with a free GPU ({@code gpusPerNode} GPUs per node). When no node is
 * free, one is provisioned ({@code nodeProvisioning}) unless the node pool's GPU limit is reached,
 * in which case the pod stays Pending. A bound pod then starts ({@code podStartup}, jittered
 * uniformly by ±{@code podStartupJitter}) before it serves. A node empty for {@code
 * nodeIdleTimeout} is removed.
 *
 * @param stepOverheadSeconds fixed cost of one engine step, seconds
 * @param perSequenceDecodeCostSeconds added step time per decoding sequence, seconds
 * @param perPromptTokenCostSeconds added step time per prefilled prompt token, seconds
 * @param kvCacheTokens KV-cache capacity of one replica, tokens
 * @param maxNumSeqs most sequences one replica runs at once (vLLM {@code max_num_seqs})
 * @param maxBatchedTokens token budget of one step (vLLM {@code max_num_batched_tokens})
 * @param podStartup time from a pod bound to a node to Ready (image pull, weight load, warm-up)
 * @param podStartupJitter relative jitter of {@code podStartup}, 0 to below 1, drawn with the seed
 * @param nodeProvisioning time to provision a GPU node when none is free
 * @param nodeIdleTimeout an empty node is removed after this long
 * @param gpusPerNode GPUs per node; each replica uses one
 * @param nodePoolGpuLimit most GPUs the node pool may hold
 * @param initialReplicas replicas Ready (on Ready nodes) at the start
 * @param minReplicas lower bound every policy respects
 * @param maxReplicas upper bound every policy respects
 * @param scrapeInterval how often metrics are sampled
 * @param metricsDelay how long after a scrape its sample becomes visible to a policy
 * @param signalWindow window of rates and the TTFT histogram quantile ({@code rate(x[window])})
 * @param ttftSlo TTFT objective; a request within it meets the SLO
 * @param underProvisionedAttainment a minute whose arrivals meet the SLO less often than this is
 *     counted as under-provisioned
 * @param seed seed of every random draw; a fixed seed gives identical results
 */
public record SimulationConfig(
    double stepOverheadSeconds,
    double perSequenceDecodeCostSeconds,
    double perPromptTokenCostSeconds,
    long kvCacheTokens,
    int maxNumSeqs,
    int maxBatchedTokens,
    Duration podStartup,
    double podStartupJitter,
    Duration nodeProvisioning,
    Duration nodeIdleTimeout,
    int gpusPerNode,
    int nodePoolGpuLimit,
    int initialReplicas,
    int minReplicas,
    int maxReplicas,
    Duration scrapeInterval,
    Duration metricsDelay,
    Duration signalWindow,
    Duration ttftSlo,
    double underProvisionedAttainment,
    long seed) {

  /** No GPU limit on the node pool. */
  public static final int UNLIMITED = Integer.MAX_VALUE;

  public SimulationConfig {
    List<String> problems = new ArrayList<>();
    positive(problems, "stepOverheadSeconds", stepOverheadSeconds);
    nonNegative(problems, "perSequenceDecodeCostSeconds", perSequenceDecodeCostSeconds);
    positive(problems, "perPromptTokenCostSeconds", perPromptTokenCostSeconds);
    positive(problems, "kvCacheTokens", kvCacheTokens);
    positive(problems, "maxNumSeqs", maxNumSeqs);
    if (maxBatchedTokens <= maxNumSeqs) {
      problems.add(
          "maxBatchedTokens="
              + maxBatchedTokens
              + ": expected more than maxNumSeqs="
              + maxNumSeqs
              + " so that prefill can progress at a full batch");
    }
    nonNegative(problems, "podStartup", seconds(podStartup));
    if (!(podStartupJitter >= 0 && podStartupJitter < 1)) {
      problems.add("podStartupJitter=" + podStartupJitter + ": expected 0 <= jitter < 1");
    }
    nonNegative(problems, "nodeProvisioning", seconds(nodeProvisioning));
    nonNegative(problems, "nodeIdleTimeout", seconds(nodeIdleTimeout));
    positive(problems, "gpusPerNode", gpusPerNode);
    positive(problems, "nodePoolGpuLimit", nodePoolGpuLimit);
    positive(problems, "minReplicas", minReplicas);
    if (maxReplicas < minReplicas) {
      problems.add("maxReplicas=" + maxReplicas + ": expected at least minReplicas=" + minReplicas);
    }
    if (initialReplicas < minReplicas || initialReplicas > maxReplicas) {
      problems.add(
          "initialReplicas="
              + initialReplicas
              + ": expected between minReplicas="
              + minReplicas
              + " and maxReplicas="
              + maxReplicas);
    }
    positive(problems, "scrapeInterval", seconds(scrapeInterval));
    nonNegative(problems, "metricsDelay", seconds(metricsDelay));
    positive(problems, "signalWindow", seconds(signalWindow));
    positive(problems, "ttftSlo", seconds(ttftSlo));
    if (!(underProvisionedAttainment > 0 && underProvisionedAttainment <= 1)) {
      problems.add(
          "underProvisionedAttainment=" + underProvisionedAttainment + ": expected in (0, 1]");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid simulation config: " + String.join("; ", problems));
    }
  }

  /** The calibrated defaults documented on this record. */
  public static SimulationConfig defaults() {
    return new SimulationConfig(
        0.006,
        0.0000766,
        0.000035,
        400_000,
        256,
        8192,
        Duration.ofSeconds(120),
        0.2,
        Duration.ofSeconds(180),
        Duration.ofSeconds(60),
        1,
        UNLIMITED,
        2,
        1,
        50,
        Duration.ofSeconds(15),
        Duration.ofSeconds(15),
        Duration.ofSeconds(60),
        Duration.ofSeconds(2),
        0.95,
        42L);
  }

  /** A copy with another seed. */
  public SimulationConfig withSeed(long newSeed) {
    return new SimulationConfig(
        stepOverheadSeconds,
        perSequenceDecodeCostSeconds,
        perPromptTokenCostSeconds,
        kvCacheTokens,
        maxNumSeqs,
        maxBatchedTokens,
        podStartup,
        podStartupJitter,
        nodeProvisioning,
        nodeIdleTimeout,
        gpusPerNode,
        nodePoolGpuLimit,
        initialReplicas,
        minReplicas,
        maxReplicas,
        scrapeInterval,
        metricsDelay,
        signalWindow,
        ttftSlo,
        underProvisionedAttainment,
        newSeed);
  }

  /** A copy with another cluster shape: start-up, provisioning and node-pool limit. */
  public SimulationConfig withCluster(
      Duration newPodStartup,
      double newJitter,
      Duration newNodeProvisioning,
      int newNodePoolGpuLimit) {
    return new SimulationConfig(
        stepOverheadSeconds,
        perSequenceDecodeCostSeconds,
        perPromptTokenCostSeconds,
        kvCacheTokens,
        maxNumSeqs,
        maxBatchedTokens,
        newPodStartup,
        newJitter,
        newNodeProvisioning,
        nodeIdleTimeout,
        gpusPerNode,
        newNodePoolGpuLimit,
        initialReplicas,
        minReplicas,
        maxReplicas,
        scrapeInterval,
        metricsDelay,
        signalWindow,
        ttftSlo,
        underProvisionedAttainment,
        seed);
  }

  /** A copy with other replica bounds and start count. */
  public SimulationConfig withReplicas(int initial, int min, int max) {
    return new SimulationConfig(
        stepOverheadSeconds,
        perSequenceDecodeCostSeconds,
        perPromptTokenCostSeconds,
        kvCacheTokens,
        maxNumSeqs,
        maxBatchedTokens,
        podStartup,
        podStartupJitter,
        nodeProvisioning,
        nodeIdleTimeout,
        gpusPerNode,
        nodePoolGpuLimit,
        initial,
        min,
        max,
        scrapeInterval,
        metricsDelay,
        signalWindow,
        ttftSlo,
        underProvisionedAttainment,
        seed);
  }

  /** A copy with another engine: step costs, KV cache and batch limits. */
  public SimulationConfig withEngine(
      double overhead, double perSequence, double perPromptToken, long kvTokens, int numSeqs) {
    return new SimulationConfig(
        overhead,
        perSequence,
        perPromptToken,
        kvTokens,
        numSeqs,
        Math.max(maxBatchedTokens, numSeqs + 1),
        podStartup,
        podStartupJitter,
        nodeProvisioning,
        nodeIdleTimeout,
        gpusPerNode,
        nodePoolGpuLimit,
        initialReplicas,
        minReplicas,
        maxReplicas,
        scrapeInterval,
        metricsDelay,
        signalWindow,
        ttftSlo,
        underProvisionedAttainment,
        seed);
  }

  /**
   * Time of one engine step, seconds: {@code stepOverhead + perSequenceDecodeCost · decoding +
   * perPromptTokenCost · prefillTokens}.
   */
  public double stepSeconds(int decoding, int prefillTokens) {
    return stepOverheadSeconds
        + perSequenceDecodeCostSeconds * decoding
        + perPromptTokenCostSeconds * prefillTokens;
  }

  private static double seconds(Duration d) {
    return d == null ? Double.NaN : d.toNanos() / 1e9;
  }

  private static void positive(List<String> problems, String key, double value) {
    if (!(value > 0)) {
      problems.add(key + "=" + value + ": expected a positive number");
    }
  }

  private static void nonNegative(List<String> problems, String key, double value) {
    if (!(value >= 0)) {
      problems.add(key + "=" + value + ": expected zero or more");
    }
  }
}
