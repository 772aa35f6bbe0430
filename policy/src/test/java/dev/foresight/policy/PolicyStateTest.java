package dev.foresight.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyStateTest {

  private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");

  @Test
  void initialIsEmpty() {
    PolicyState s = PolicyState.initial();
    assertThat(s.recommendations()).isEmpty();
    assertThat(s.scaleUpEvents()).isEmpty();
    assertThat(s.scaleDownEvents()).isEmpty();
    assertThat(s.lastSeenActive()).isEmpty();
    assertThat(s.lowUtilizationSince()).isEmpty();
  }

  @Test
  void aNewerEqualRecommendationReplacesTheOlder() {
    PolicyState s =
        PolicyState.initial()
            .withRecommendation(T, 5)
            .withRecommendation(T.plusSeconds(15), 6)
            .withRecommendation(T.plusSeconds(30), 5);
    assertThat(s.recommendations())
        .containsExactly(
            new PolicyState.Recommendation(T.plusSeconds(15), 6),
            new PolicyState.Recommendation(T.plusSeconds(30), 5));
  }

  @Test
  void scaleEventsGoToTheirDirection() {
    PolicyState s =
        PolicyState.initial()
            .withScaleEvent(T, 3, 7)
            .withScaleEvent(T.plusSeconds(1), 7, 5)
            .withScaleEvent(T.plusSeconds(2), 5, 5);
    assertThat(s.scaleUpEvents()).containsExactly(new PolicyState.ScaleEvent(T, 4));
    assertThat(s.scaleDownEvents())
        .containsExactly(new PolicyState.ScaleEvent(T.plusSeconds(1), 2));
  }

  @Test
  void pruningDropsWhatNoWindowOrPeriodCanSee() {
    PolicySpec spec =
        PolicySpec.builder()
            .scaleUp(
                new ScalingRules(
                    Duration.ofSeconds(60),
                    List.of(RatePolicy.pods(4, Duration.ofSeconds(30))),
                    ScalingRules.Select.MAX))
            .scaleDown(
                new ScalingRules(
                    Duration.ofSeconds(120),
                    List.of(RatePolicy.percent(10, Duration.ofSeconds(90))),
                    ScalingRules.Select.MAX))
            .build();
    Instant now = T.plusSeconds(1000);
    PolicyState s =
        PolicyState.initial()
            .withRecommendation(now.minusSeconds(121), 1)
            .withRecommendation(now.minusSeconds(120), 2)
            .withRecommendation(now.minusSeconds(119), 3)
            .withScaleEvent(now.minusSeconds(90), 1, 2)
            .withScaleEvent(now.minusSeconds(89), 2, 3)
            .withScaleEvent(now.minusSeconds(200), 3, 1)
            .withActivity(Optional.of(T), Optional.of(T));
    PolicyState pruned = s.prunedFor(spec, now);
    assertThat(pruned.recommendations())
        .containsExactly(new PolicyState.Recommendation(now.minusSeconds(119), 3));
    assertThat(pruned.scaleUpEvents())
        .containsExactly(new PolicyState.ScaleEvent(now.minusSeconds(89), 1));
    assertThat(pruned.scaleDownEvents()).isEmpty();
    assertThat(pruned.lastSeenActive()).contains(T);
    assertThat(pruned.lowUtilizationSince()).contains(T);
    assertThat(pruned.prunedFor(spec, now)).isSameAs(pruned);
  }

  @Test
  void invalidEntriesAreRejected() {
    assertThatThrownBy(() -> new PolicyState.Recommendation(T, -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PolicyState.ScaleEvent(T, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
