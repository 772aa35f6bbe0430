package dev.foresight.policy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One direction of HPA's {@code behavior}: {@code HPAScalingRules}, same vocabulary and defaults.
 *
 * @param stabilizationWindow recommendations within this window are considered: for scale-down the
 *     highest wins, for scale-up the lowest
 * @param policies rate policies; which one applies is chosen by {@code select}
 * @param select {@link Select#MAX} (most change allowed), {@link Select#MIN} (least) or {@link
 *     Select#DISABLED} (no change in this direction)
 */
public record ScalingRules(Duration stabilizationWindow, List<RatePolicy> policies, Select select) {

  /** HPA's {@code selectPolicy}. */
  public enum Select {
    MAX,
    MIN,
    DISABLED
  }

  public ScalingRules {
    Objects.requireNonNull(stabilizationWindow, "stabilizationWindow");
    policies = List.copyOf(policies);
    Objects.requireNonNull(select, "select");
  }

  /**
   * HPA's default scale-up: no stabilization; add at most 4 pods or 100% per 15 s, whichever is
   * more.
   */
  public static ScalingRules hpaDefaultScaleUp() {
    return new ScalingRules(
        Duration.ZERO,
        List.of(
            RatePolicy.percent(100, Duration.ofSeconds(15)),
            RatePolicy.pods(4, Duration.ofSeconds(15))),
        Select.MAX);
  }

  /** HPA's default scale-down: 300 s stabilization; remove up to 100% per 15 s. */
  public static ScalingRules hpaDefaultScaleDown() {
    return new ScalingRules(
        Duration.ofSeconds(300),
        List.of(RatePolicy.percent(100, Duration.ofSeconds(15))),
        Select.MAX);
  }
}
