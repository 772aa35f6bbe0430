package dev.foresight.policy.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.foresight.policy.Reading;
import dev.foresight.policy.Signal;
import dev.foresight.policy.Signals;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ActivityTest {

  private static final Duration MAX_AGE = Duration.ofSeconds(60);

  private static Signals of(double queue, double running, double rate) {
    Signals.Builder b = Signals.builder();
    if (!Double.isNaN(queue)) {
      b.put(Signal.QUEUE, queue);
    }
    if (!Double.isNaN(running)) {
      b.put(Signal.RUNNING, running);
    }
    if (!Double.isNaN(rate)) {
      b.put(Signal.REQUEST_RATE, rate);
    }
    return b.build();
  }

  static Stream<Arguments> rows() {
    double absent = Double.NaN;
    return Stream.of(
        arguments("all zero: idle", of(0, 0, 0), Activity.IDLE),
        arguments("something waiting: active", of(2, 0, 0), Activity.ACTIVE),
        arguments("something running: active", of(0, 1, 0), Activity.ACTIVE),
        arguments("requests arriving: active", of(0, 0, 0.1), Activity.ACTIVE),
        arguments("running absent: unknown", of(0, absent, 0), Activity.UNKNOWN),
        arguments("nothing delivered: unknown", Signals.none(), Activity.UNKNOWN),
        arguments(
            "tokens generated with the rest zero: active",
            of(0, 0, 0).with(Signal.GENERATION_TOKEN_RATE, Reading.fresh(50)),
            Activity.ACTIVE),
        arguments(
            "stale zero queue: unknown",
            of(0, 0, 0).with(Signal.QUEUE, new Reading(0, Duration.ofSeconds(61))),
            Activity.UNKNOWN),
        arguments(
            "stale positive queue alone: not evidence of work, unknown",
            of(absent, 0, 0).with(Signal.QUEUE, new Reading(5, Duration.ofSeconds(61))),
            Activity.UNKNOWN),
        arguments(
            "NaN queue: unknown",
            of(0, 0, 0).with(Signal.QUEUE, Reading.fresh(Double.NaN)),
            Activity.UNKNOWN),
        arguments(
            "infinite rate: unknown",
            of(0, 0, 0).with(Signal.REQUEST_RATE, Reading.fresh(Double.POSITIVE_INFINITY)),
            Activity.UNKNOWN));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void activity(String name, Signals signals, Activity expected) {
    assertThat(Activity.of(signals, MAX_AGE)).isEqualTo(expected);
  }
}
