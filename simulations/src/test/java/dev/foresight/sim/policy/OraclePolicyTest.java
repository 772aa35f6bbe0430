package dev.foresight.sim.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.policy.Observation;
import dev.foresight.policy.Signals;
import dev.foresight.sim.Request;
import dev.foresight.sim.SimulationConfig;
import dev.foresight.sim.trace.ArrivalStream;
import dev.foresight.sim.trace.TraceSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The oracle's schedule on a trace whose work is known to the token. */
class OraclePolicyTest {
  private static final SimulationConfig CONFIG =
      SimulationConfig.defaults()
          .withCluster(
              Duration.ofSeconds(100), 0, Duration.ofSeconds(50), SimulationConfig.UNLIMITED)
          .withReplicas(1, 1, 50);

  /** 2,000 requests of 4,000 prompt tokens at t = 1000 s; nothing else. */
  private static TraceSource burstAt1000() {
    return new TraceSource() {
      @Override
      public String name() {
        return "burst";
      }

      @Override
      public double durationSeconds() {
        return 2000;
      }

      @Override
      public ArrivalStream open(long seed) {
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
          requests.add(new Request(1000 + i * 0.001, 4000, 1));
        }
        Iterator<Request> it = requests.iterator();
        return () -> it.hasNext() ? it.next() : null;
      }
    };
  }

  private static Observation at(double seconds) {
    return Observation.of(
        Instant.EPOCH.plusMillis(Math.round(seconds * 1000)), 1, 1, Signals.none());
  }

  @Test
  void sizesTheBurstsWindowByItsWorkAndStartsOneLeadTimeEarly() {
    OraclePolicy oracle =
        (OraclePolicy) OraclePolicy.create(new PolicyEnvironment(CONFIG, burstAt1000()));
    // Work: 2000 x (4000 x (0.035 ms + 6 ms / 8192) + 1 x (0.0766 ms + 6 ms / 256)) = 285.96 s of
    // GPU in window 100 (t = 1000..1010 s); at 80% of 10 s: ceil(35.7) = 36 replicas.
    assertThat(oracle.replicasForWindow(100)).isEqualTo(36);
    assertThat(oracle.replicasForWindow(99)).isZero();
    // Lead time 100 s + 50 s: asked for from t = 1000 - 150 - 10 on, not before.
    assertThat(oracle.evaluate(at(835))).isEqualTo(1);
    assertThat(oracle.evaluate(at(845))).isEqualTo(36);
    assertThat(oracle.evaluate(at(1005))).isEqualTo(36);
    assertThat(oracle.evaluate(at(1010))).isEqualTo(1); // released right after
  }
}
