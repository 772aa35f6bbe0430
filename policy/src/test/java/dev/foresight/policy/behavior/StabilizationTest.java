package dev.foresight.policy.behavior;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.foresight.policy.Limit;
import dev.foresight.policy.PolicyState.Recommendation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StabilizationTest {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  private static List<Recommendation> history(int... secondsAgoReplicas) {
    List<Recommendation> h = new ArrayList<>();
    for (int i = 0; i < secondsAgoReplicas.length; i += 2) {
      h.add(new Recommendation(NOW.minusSeconds(secondsAgoReplicas[i]), secondsAgoReplicas[i + 1]));
    }
    return h;
  }

  static Stream<Arguments> rows() {
    return Stream.of(
        arguments("no history: the recommendation", 0, 300, history(), 5, 3, 3, Optional.empty()),
        arguments(
            "down: highest in window",
            0,
            300,
            history(100, 7, 200, 6),
            8,
            3,
            7,
            Optional.of(Limit.SCALE_DOWN_STABILIZATION)),
        arguments(
            "down: never above current",
            0,
            300,
            history(100, 12),
            8,
            3,
            8,
            Optional.of(Limit.SCALE_DOWN_STABILIZATION)),
        arguments(
            "down: outside the window ignored",
            0,
            300,
            history(300, 12, 400, 9),
            8,
            3,
            3,
            Optional.empty()),
        arguments(
            "up: lowest in window",
            60,
            0,
            history(30, 6),
            4,
            10,
            6,
            Optional.of(Limit.SCALE_UP_STABILIZATION)),
        arguments(
            "up: never below current",
            60,
            0,
            history(30, 2),
            4,
            10,
            4,
            Optional.of(Limit.SCALE_UP_STABILIZATION)),
        arguments(
            "both windows: between the two bounds",
            60,
            300,
            history(30, 6, 200, 9),
            4,
            10,
            6,
            Optional.of(Limit.SCALE_UP_STABILIZATION)),
        arguments(
            "zero windows: only the present",
            0,
            0,
            history(0, 1, 1, 2),
            5,
            9,
            9,
            Optional.empty()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void stabilize(
      String name,
      int upSeconds,
      int downSeconds,
      List<Recommendation> history,
      int current,
      int recommended,
      int stabilized,
      Optional<Limit> limit) {
    Stabilization.Stabilized s =
        Stabilization.stabilize(
            Duration.ofSeconds(upSeconds),
            Duration.ofSeconds(downSeconds),
            history,
            NOW,
            current,
            recommended);
    assertThat(s.replicas()).isEqualTo(stabilized);
    assertThat(s.limit()).isEqualTo(limit);
  }
}
