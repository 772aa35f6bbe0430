package dev.foresight.policy.behavior;

import dev.foresight.policy.Limit;
import dev.foresight.policy.PolicyState.Recommendation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * HPA's stabilization windows ({@code stabilizeRecommendationWithBehaviors}).
 *
 * <pre>
 *   up   = min(recommended, every recommendation r with r.at &gt; now − scaleUpWindow)
 *   down = max(recommended, every recommendation r with r.at &gt; now − scaleDownWindow)
 *   stabilized = min(max(current, up), down)                            replicas
 * </pre>
 *
 * So a scale-down goes only as far as the highest recommendation of the scale-down window, and a
 * scale-up only as far as the lowest of the scale-up window. Windows are in seconds; a window of 0
 * considers only the present recommendation.
 */
public final class Stabilization {

  private Stabilization() {}

  /**
   * The stabilized count.
   *
   * @param limit {@link Limit#SCALE_UP_STABILIZATION} or {@link Limit#SCALE_DOWN_STABILIZATION}
   *     when the windows changed the recommendation
   * @param windowValue the lowest (scale-up) or highest (scale-down) recommendation that bound it
   */
  public record Stabilized(int replicas, Optional<Limit> limit, int windowValue) {}

  /**
   * Stabilizes {@code recommended} against {@code history} at {@code now}.
   *
   * @param upWindow the scale-up stabilization window
   * @param downWindow the scale-down stabilization window
   * @param history earlier recommendations (the present one not included)
   */
  public static Stabilized stabilize(
      Duration upWindow,
      Duration downWindow,
      List<Recommendation> history,
      Instant now,
      int current,
      int recommended) {
    Instant upCutoff = now.minus(upWindow);
    Instant downCutoff = now.minus(downWindow);
    int up = recommended;
    int down = recommended;
    for (Recommendation r : history) {
      if (r.at().isAfter(upCutoff)) {
        up = Math.min(up, r.replicas());
      }
      if (r.at().isAfter(downCutoff)) {
        down = Math.max(down, r.replicas());
      }
    }
    int stabilized = Math.min(Math.max(current, up), down);
    if (stabilized == recommended) {
      return new Stabilized(stabilized, Optional.empty(), recommended);
    }
    return recommended >= current
        ? new Stabilized(stabilized, Optional.of(Limit.SCALE_UP_STABILIZATION), up)
        : new Stabilized(stabilized, Optional.of(Limit.SCALE_DOWN_STABILIZATION), down);
  }
}
