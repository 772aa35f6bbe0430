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
 * sizes every minute {@code w} by its work, in GPU-seconds at a busy batch:
 *
 * <pre>
 *   W_w = Σ over requests arriving in w of  p · perPromptTokenCost + o · (perSequenceDecodeCost + stepOverhead / 32)
 *   r_w = max(min, ceil(W_w / (60 s · 0.8)))
 * </pre>
 *
 * (p, o: prompt and output tokens; a batch of 32 sequences shares each step's overhead; replicas
 * run at most 80% busy so queues stay short). It knows the cold start: at time {@code t} it asks
 * for {@code max r_w} over the minutes from {@code t} to {@code t + lead + 60 s}, where {@code lead
 * = podStartup · (1 + jitter) + nodeProvisioning} is the longest a new replica can take, so each
 * replica is Ready before the minute that needs it and is released as soon as no minute within the
 * lead time needs it. It pays for start-up like everyone else. No rate limit, no stabilization.
 */
public final class OraclePolicy implements ScalingPolicy {
  public static final String NAME = "oracle";

  static final double BUSY_BATCH = 32;
  static final double MAX_BUSY = 0.8;

  private final int[] replicasByMinute;
  private final double leadSeconds;
  private final int minReplicas;
  private final int maxReplicas;

  OraclePolicy(int[] replicasByMinute, double leadSeconds, int minReplicas, int maxReplicas) {
    this.replicasByMinute = replicasByMinute;
    this.leadSeconds = leadSeconds;
    this.minReplicas = minReplicas;
    this.maxReplicas = maxReplicas;
  }

  static ScalingPolicy create(PolicyEnvironment env) {
    SimulationConfig c = env.config();
    TraceSource trace = env.trace();
    int minutes = (int) Math.ceil(trace.durationSeconds() / 60) + 1;
    double[] work = new double[minutes];
    double perDecodeToken = c.perSequenceDecodeCostSeconds() + c.stepOverheadSeconds() / BUSY_BATCH;
    try (ArrivalStream s = trace.open(c.seed())) {
      Request r;
      while ((r = s.next()) != null) {
        int m = (int) (r.arrivalSeconds() / 60);
        if (m >= work.length) {
          work = Arrays.copyOf(work, m + 1);
        }
        work[m] +=
            r.promptTokens() * c.perPromptTokenCostSeconds() + r.outputTokens() * perDecodeToken;
      }
    }
    int[] replicas = new int[work.length];
    for (int m = 0; m < work.length; m++) {
      replicas[m] = (int) Math.ceil(work[m] / (60 * MAX_BUSY));
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

  /** Replicas the schedule gives minute {@code m} (0 past the end). */
  public int replicasForMinute(int m) {
    return m >= 0 && m < replicasByMinute.length ? replicasByMinute[m] : 0;
  }

  @Override
  public int evaluate(Observation o) {
    double t = o.at().getEpochSecond() + o.at().getNano() / 1e9;
    int from = (int) (t / 60);
    int to = (int) ((t + leadSeconds + 60) / 60);
    int need = minReplicas;
    for (int m = from; m <= to; m++) {
      need = Math.max(need, replicasForMinute(m));
    }
    return Math.min(maxReplicas, need);
  }
}
