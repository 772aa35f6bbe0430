package dev.foresight.sim.policy;

import dev.foresight.policy.Observation;
import dev.foresight.sim.Request;
import dev.foresight.sim.SimulationConfig;
import dev.foresight.sim.trace.ArrivalStream;
import dev.foresight.sim.trace.TraceSource;
import java.time.Duration;
import java.util.Arrays;

/**
 * A clairvoyant schedule: the cost lower bound the other policies are measured against.
 *
 * <p>Before the run it reads the whole trace (same seed, so the very requests the run will see) and
 * sizes every 10-s window {@code w} (short windows, because bursts within a minute are what break a
 * TTFT objective) by the least GPU time its requests can take, each token at the engine's most
 * efficient batch: a prompt token as part of a full {@code maxBatchedTokens} chunk, a generated
 * token as one sequence of a full {@code maxNumSeqs} batch,
 *
 * <pre>
 *   W_w = Σ over requests arriving in w of  p · (perPromptTokenCost + stepOverhead / maxBatchedTokens)
 *                                         + o · (perSequenceDecodeCost + stepOverhead / maxNumSeqs)
 *   r_w = ceil(W_w / (10 s · 0.8))
 * </pre>
 *
 * (p, o: prompt and output tokens; replicas at most 80% busy so that queues stay short). It knows
 * the cold start: at time {@code t} it asks for {@code max(min, max r_w)} over the windows from
 * {@code t} to {@code t + lead + 10 s}, where {@code lead = podStartup · (1 + jitter) +
 * nodeProvisioning} is the longest a new replica can take, so each replica is Ready before the
 * window that needs it and is released as soon as no window within the lead time needs it. It pays
 * for start-up like everyone else; no rate limit, no stabilization. Replica-seconds below its
 * schedule would leave some window with more work than its replicas can do at full efficiency: that
 * is the sense in which it bounds cost from below. The run shows how close to the SLO such a lean
 * schedule gets.
 */
public final class OraclePolicy implements ScalingPolicy {
  public static final String NAME = "oracle";

  static final double WINDOW_SECONDS = 10;
  static final double MAX_BUSY = 0.8;

  private final int[] replicasByWindow;
  private final double leadSeconds;
  private final int minReplicas;
  private final int maxReplicas;

  OraclePolicy(int[] replicasByWindow, double leadSeconds, int minReplicas, int maxReplicas) {
    this.replicasByWindow = replicasByWindow;
    this.leadSeconds = leadSeconds;
    this.minReplicas = minReplicas;
    this.maxReplicas = maxReplicas;
  }

  static ScalingPolicy create(PolicyEnvironment env) {
    SimulationConfig c = env.config();
    TraceSource trace = env.trace();
    int windows = (int) Math.ceil(trace.durationSeconds() / WINDOW_SECONDS) + 1;
    double[] work = new double[windows];
    double perPromptToken =
        c.perPromptTokenCostSeconds() + c.stepOverheadSeconds() / c.maxBatchedTokens();
    double perDecodeToken =
        c.perSequenceDecodeCostSeconds() + c.stepOverheadSeconds() / c.maxNumSeqs();
    try (ArrivalStream s = trace.open(c.seed())) {
      Request r;
      while ((r = s.next()) != null) {
        int m = (int) (r.arrivalSeconds() / WINDOW_SECONDS);
        if (m >= work.length) {
          work = Arrays.copyOf(work, m + 1);
        }
        work[m] += r.promptTokens() * perPromptToken + r.outputTokens() * perDecodeToken;
      }
    }
    int[] replicas = new int[work.length];
    for (int m = 0; m < work.length; m++) {
      replicas[m] = (int) Math.ceil(work[m] / (WINDOW_SECONDS * MAX_BUSY));
    }
    double lead =
        seconds(c.podStartup()) * (1 + c.podStartupJitter()) + seconds(c.nodeProvisioning());
    return new OraclePolicy(replicas, lead, c.minReplicas(), c.maxReplicas());
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  @Override
  public Duration interval() {
    return Duration.ofSeconds(15);
  }

  /** Replicas the schedule gives window {@code w} (0 past the end). */
  public int replicasForWindow(int w) {
    return w >= 0 && w < replicasByWindow.length ? replicasByWindow[w] : 0;
  }

  @Override
  public int evaluate(Observation o) {
    double t = o.at().getEpochSecond() + o.at().getNano() / 1e9;
    int from = (int) (t / WINDOW_SECONDS);
    int to = (int) ((t + leadSeconds + WINDOW_SECONDS) / WINDOW_SECONDS);
    int need = minReplicas;
    for (int w = from; w <= to; w++) {
      need = Math.max(need, replicasForWindow(w));
    }
    return Math.min(maxReplicas, need);
  }
}
