package dev.foresight.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine model on cases small enough to check by hand. */
class ReplicaTest {
  private static final SimulationConfig CONFIG = SimulationConfig.defaults();

  /** Records first tokens and completions. */
  private static final class Events implements Replica.Listener {
    final List<double[]> first = new ArrayList<>();
    final List<double[]> done = new ArrayList<>();

    final List<double[]> started = new ArrayList<>();

    @Override
    public void prefillStarted(Request r, double t) {
      started.add(new double[] {r.promptTokens(), t});
    }

    @Override
    public void firstToken(Request r, double t) {
      first.add(new double[] {r.promptTokens(), t});
    }

    @Override
    public void completed(Request r, double t) {
      done.add(new double[] {r.promptTokens(), t});
    }
  }

  private static void drain(Replica replica, Events events) {
    while (replica.nextEvent() < Double.POSITIVE_INFINITY) {
      replica.fire(replica.nextEvent(), events);
    }
  }

  @Test
  void aLoneRequestIsPrefilledAtAFullChunkThenDecodedAlone() {
    Replica replica = new Replica(0, 0, CONFIG);
    Events events = new Events();
    replica.admit(new Request(0, 1000, 11), 0);
    drain(replica, events);

    // Prefill step: 6 ms + 0.035 ms x 8192 tokens = 292.72 ms per 8192 tokens.
    double prefill = 1000 * (0.006 + 0.000035 * 8192) / 8192;
    // Then 10 more tokens, each one step of 6 ms + 0.0766 ms.
    double decode = 10 * (0.006 + 0.0000766);
    assertThat(events.first.get(0)[1]).isCloseTo(prefill, within(1e-9));
    assertThat(events.done.get(0)[1]).isCloseTo(prefill + decode, within(1e-9));
    // Busy (what DCGM reports) exactly while a batch ran; idle time after adds nothing.
    replica.advance(1.0);
    assertThat(replica.busySeconds()).isCloseTo(prefill + decode, within(1e-9));
  }

  @Test
  void decodingSequencesShareEachStepAndTheShortestFinishesFirst() {
    Replica replica = new Replica(0, 0, CONFIG);
    Events events = new Events();
    // Both prompts of 1 token: prefill is negligible next to decode.
    assertThat(replica.admit(new Request(0, 1, 101), 0)).isTrue();
    assertThat(replica.admit(new Request(0, 2, 51), 0)).isFalse(); // waits for the first prefill
    assertThat(replica.waitingForPrefill()).isEqualTo(1);
    assertThat(replica.scheduled()).isEqualTo(1);
    drain(replica, events);
    assertThat(events.started).hasSize(1); // the second's prefill start, reported by fire

    double twoSeq = 0.006 + 2 * 0.0000766;
    double oneSeq = 0.006 + 0.0000766;
    double prefillBoth = (1 + 2) * (0.006 + 0.000035 * 8192) / 8192;
    // The 2-token prompt's request needs 50 decode steps with a batch of two (the first is
    // prefilled while the second waits; the difference is below a millisecond).
    assertThat(events.done.get(0)[0]).isEqualTo(2);
    assertThat(events.done.get(0)[1]).isCloseTo(prefillBoth + 50 * twoSeq, within(1e-3));
    // The other then runs its last 50 tokens alone.
    assertThat(events.done.get(1)[1])
        .isCloseTo(prefillBoth + 50 * twoSeq + 50 * oneSeq, within(1e-3));
  }

  @Test
  void kvCacheAndBatchLimitsGateAdmission() {
    SimulationConfig small = CONFIG.withEngine(0.006, 0.0000766, 0.000035, 3000, 2);
    Replica replica = new Replica(0, 0, small);
    Request big = new Request(0, 2000, 500);
    assertThat(replica.canAdmit(big)).isTrue();
    replica.admit(big, 0);
    assertThat(replica.canAdmit(new Request(0, 400, 200))).isFalse(); // 2500 + 600 > 3000
    Request fits = new Request(0, 300, 200);
    assertThat(replica.canAdmit(fits)).isTrue();
    replica.admit(fits, 0);
    assertThat(replica.canAdmit(new Request(0, 1, 1))).isFalse(); // batch of 2 is full
    assertThat(replica.running()).isEqualTo(2);
  }

  @Test
  void kvCacheUsageCountsPromptsAndGeneratedTokens() {
    Replica replica = new Replica(0, 0, CONFIG);
    Events events = new Events();
    replica.admit(new Request(0, 100, 1001), 0);
    replica.fire(replica.nextEvent(), events); // prefill done
    double afterPrefill = events.first.get(0)[1];
    assertThat(replica.kvTokensUsed()).isCloseTo(100, within(1e-6));
    double step = 0.006 + 0.0000766;
    replica.advance(afterPrefill + 500 * step);
    assertThat(replica.kvTokensUsed()).isCloseTo(600, within(1e-6));
  }
}
