package dev.foresight.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.controller.cluster.KarpenterDiscovery.Answer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class KarpenterPresenceTest {

  private static final Instant T0 = Instant.parse("2026-11-24T00:00:00Z");

  /** Answers in turn, and counts the questions. */
  private static final class Answers implements Supplier<Answer> {
    final Deque<Answer> next;
    int asked;

    Answers(Answer... answers) {
      next = new ArrayDeque<>(List.of(answers));
    }

    @Override
    public Answer get() {
      asked++;
      return next.size() > 1 ? next.poll() : next.peek();
    }
  }

  @Test
  void anUnknownAnswerIsAskedAgainAtEveryRefreshUntilOneComes() {
    Answers api = new Answers(Answer.UNKNOWN, Answer.UNKNOWN, Answer.SERVED);
    KarpenterPresence p = KarpenterPresence.asking(api, T0);
    assertThat(p.lastServed()).isFalse();
    assertThat(p.served(T0.plusSeconds(30))).isFalse();
    assertThat(p.served(T0.plusSeconds(60))).isTrue();
    assertThat(p.served(T0.plusSeconds(90))).isTrue();
    assertThat(api.asked).as("not asked once served").isEqualTo(3);
  }

  @Test
  void anAbsentKarpenterIsAskedAgainOnlyAfterTheRecheckPeriod() {
    Answers api = new Answers(Answer.NOT_SERVED, Answer.SERVED);
    KarpenterPresence p = KarpenterPresence.asking(api, T0);
    Instant justBefore = T0.plus(KarpenterPresence.RECHECK_ABSENT).minusSeconds(1);
    assertThat(p.served(justBefore)).isFalse();
    assertThat(api.asked).isEqualTo(1);
    assertThat(p.served(T0.plus(KarpenterPresence.RECHECK_ABSENT))).as("installed later").isTrue();
    assertThat(api.asked).isEqualTo(2);
  }

  @Test
  void aFixedPresenceKeepsItsAnswer() {
    KarpenterPresence absent = KarpenterPresence.fixed(false);
    assertThat(absent.served(T0.plus(KarpenterPresence.RECHECK_ABSENT.multipliedBy(10)))).isFalse();
    assertThat(KarpenterPresence.fixed(true).served(T0)).isTrue();
  }
}
