package dev.foresight.policy.signal;

import dev.foresight.policy.Reading;
import dev.foresight.policy.Signal;
import dev.foresight.policy.Signals;
import java.time.Duration;
import java.util.List;

/**
 * Whether a workload is doing anything, from the signals that count work: queue, running, request
 * rate and token rates. Targets play no part: a signal counts here whether or not the policy scales
 * on it.
 */
public enum Activity {
  /** A fresh, finite reading shows something waiting, running or arriving. */
  ACTIVE,
  /**
   * Queue, running and request rate were all delivered, fresh and exactly 0, and no fresh token
   * rate was above 0.
   */
  IDLE,
  /** Neither: a signal needed to prove idleness was missing, stale or invalid. */
  UNKNOWN;

  private static final List<Signal> WORK =
      List.of(
          Signal.QUEUE,
          Signal.RUNNING,
          Signal.REQUEST_RATE,
          Signal.PROMPT_TOKEN_RATE,
          Signal.GENERATION_TOKEN_RATE);

  private static final List<Signal> IDLE_PROOF =
      List.of(Signal.QUEUE, Signal.RUNNING, Signal.REQUEST_RATE);

  /** The activity {@code signals} show, counting readings older than {@code maxAge} as absent. */
  public static Activity of(Signals signals, Duration maxAge) {
    for (Signal s : WORK) {
      Reading r = signals.asMap().get(s);
      if (r != null && fresh(r, maxAge) && Double.isFinite(r.value()) && r.value() > 0) {
        return ACTIVE;
      }
    }
    for (Signal s : IDLE_PROOF) {
      Reading r = signals.asMap().get(s);
      if (r == null || !fresh(r, maxAge) || r.value() != 0.0) {
        return UNKNOWN;
      }
    }
    return IDLE;
  }

  private static boolean fresh(Reading r, Duration maxAge) {
    return r.age().compareTo(maxAge) <= 0;
  }
}
