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
 * sizes every 10-s window {@code w} by its work, in GPU-seconds at a busy batch (short windows,
 * because bursts within a minute are what break a TTFT objective):
 *
 * <pre>
 *   W_w = Σ over requests arriving in w of  p · perPromptTokenCost + o · (perSequenceDecodeCost + stepOverhead / 32)
 *   r_w = ceil(W_w / (10 s · 0.8))
 * </pre>
 *
 * (p, o: prompt and output tokens of the requests arriving in w; a batch of 32 sequences shares
 * each step's overhead; replicas run at most 80% busy so queues stay short). It knows the cold
 * start: at time {@code t} it asks for {@code max(min, max r_w)} over the windows from {@code t} to
 * {@code t + lead + 10 s}, where {@code lead = podStartup · (1 + jitter) + nodeProvisioning} is the
 * longest a new replica can take, so each replica is Ready before the window that needs it and is
 * released as soon as no window within the lead time needs it. It pays for start-up like everyone
 * else. No rate limit, no stabilization.
 */
public final class OraclePolicy implements ScalingPolicy {
  public static final String NAME = "oracle";

  static final double WINDOW_SECONDS = 10;
  static final double BUSY_BATCH = 32;
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
    double perDecodeToken = c.perSequenceDecodeCostSeconds() + c.stepOverheadSeconds() / BUSY_BATCH;
    try (ArrivalStream s = trace.open(c.seed())) {
      Request r;
      while ((r = s.next()) != null) {
        int m = (int) (r.arrivalSeconds() / WINDOW_SECONDS);
        if (m >= work.length) {
          work = Arrays.copyOf(work, m + 1);
        }
        work[m] +=
            r.promptTokens() * c.perPromptTokenCostSeconds() + r.outputTokens() * perDecodeToken;
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
