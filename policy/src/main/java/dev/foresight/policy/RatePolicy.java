package dev.foresight.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * One HPA rate policy: at most {@code value} pods, or {@code value} percent of the count at the
 * start of the period, may be added (scale-up) or removed (scale-down) within {@code period}.
 *
 * @param type {@link Type#PODS} or {@link Type#PERCENT}
 * @param value pods, or percent; positive
 * @param period the sliding period the change is counted over; positive, at most 1800 s as in HPA
 */
public record RatePolicy(Type type, int value, Duration period) {

  /** HPA's {@code HPAScalingPolicyType}. */
  public enum Type {
    PODS,
    PERCENT
  }

  public RatePolicy {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(period, "period");
  }

  public static RatePolicy pods(int value, Duration period) {
    return new RatePolicy(Type.PODS, value, period);
  }

  public static RatePolicy percent(int value, Duration period) {
    return new RatePolicy(Type.PERCENT, value, period);
  }
}
