package dev.foresight.controller.cluster;

import dev.foresight.controller.cluster.KarpenterDiscovery.Answer;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Whether node supply can read Karpenter, asked of the API server again when the last answer leaves
 * it open: at every supply refresh while discovery had no answer (an API server down or slow when
 * the controller started), and every {@link #RECHECK_ABSENT} while Karpenter was absent (installed
 * after the controller started). Once served, it stays served; a failing list is handled per
 * refresh by the cluster.
 */
final class KarpenterPresence {

  /** How long "not installed" is believed before asking again. */
  static final Duration RECHECK_ABSENT = Duration.ofMinutes(10);

  private final Supplier<Answer> discovery;
  private Answer last;
  private Instant askedAt;

  private KarpenterPresence(Supplier<Answer> discovery, Answer first, Instant askedAt) {
    this.discovery = discovery;
    this.last = first;
    this.askedAt = askedAt;
  }

  /** Asks {@code discovery} now, and again as described above. */
  static KarpenterPresence asking(Supplier<Answer> discovery, Instant now) {
    return new KarpenterPresence(discovery, discovery.get(), now);
  }

  /** A presence whose every answer is {@code served}: callers that discovered it themselves. */
  static KarpenterPresence fixed(boolean served) {
    Answer a = served ? Answer.SERVED : Answer.NOT_SERVED;
    return new KarpenterPresence(() -> a, a, Instant.MIN);
  }

  /** Whether Karpenter is served at {@code now}, asking again if the last answer is due. */
  synchronized boolean served(Instant now) {
    boolean due =
        last == Answer.UNKNOWN
            || (last == Answer.NOT_SERVED && !now.isBefore(askedAt.plus(RECHECK_ABSENT)));
    if (due) {
      last = discovery.get();
      askedAt = now;
    }
    return last == Answer.SERVED;
  }

  /** The last answer, without asking. */
  synchronized boolean lastServed() {
    return last == Answer.SERVED;
  }
}
