package dev.foresight.policy.behavior;

import dev.foresight.policy.Limit;
import dev.foresight.policy.PolicyState;
import dev.foresight.policy.PolicyState.ScaleEvent;
import dev.foresight.policy.RatePolicy;
import dev.foresight.policy.ScalingRules;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * HPA's rate policies and bounds ({@code convertDesiredReplicasWithBehaviorRate}, {@code
 * calculateScaleUpLimitWithScalingRules}, {@code calculateScaleDownLimitWithBehaviors}), reproduced
 * with the same integer and floating-point arithmetic.
 *
 * <p>For each policy with period {@code p}:
 *
 * <pre>
 *   added      = Σ change of scale-up events with at &gt; now − p       replicas
 *   removed    = Σ change of scale-down events with at &gt; now − p     replicas
 *   periodStart = asked − added + removed                             replicas
 *   scale-up:   Pods    → periodStart + value
 *               Percent → ceil(periodStart × (1 + value / 100))        (float64, as HPA)
 *   scale-down: Pods    → periodStart − value
 *               Percent → trunc(periodStart × (1 − value / 100))       (float64, as HPA)
 * </pre>
 *
 * The scale-up limit is the largest of the policies' results ({@code selectPolicy: Max}) or the
 * smallest ({@code Min}); the scale-down limit the smallest ({@code Max}: most change) or the
 * largest ({@code Min}); {@code Disabled} keeps the current count. A scale-up limit below the
 * current count is raised to it, a scale-down limit above it lowered to it. Then, as in HPA, a
 * scale-up is capped at {@code min(maxReplicas, scaleUpLimit)} and a scale-down floored at {@code
 * max(minReplicas, scaleDownLimit)}.
 *
 * <p>where {@code asked} is the count the previous decision asked for ({@link
 * PolicyState#lastAsked()}; the current count before the first decision). HPA counts from the count
 * it last wrote itself; Foresight only asks, and the count it observes trails its ask until KEDA or
 * HPA acts, so counting from the observed count would subtract the same ask every tick.
 *
 * <p>HPA computes {@code ceil(25 × 1.12)} in float64 as 29 (25 × 1.12 = 28.000000000000004); so
 * does this class, so that a policy behaves here exactly as it would in HPA.
 */
public final class RateLimits {

  private RateLimits() {}

  /**
   * The count after rate policies and bounds.
   *
   * @param replicas the allowed count
   * @param limit the rule that changed the count, if any
   * @param detail the arithmetic of the limit, empty when none applied
   */
  public record Limited(int replicas, Optional<Limit> limit, String detail) {}

  /**
   * Applies the rate policies of {@code up}/{@code down} and the bounds to a move from {@code
   * current} to {@code desired}.
   */
  public static Limited apply(
      ScalingRules up,
      ScalingRules down,
      PolicyState state,
      Instant now,
      int current,
      int desired,
      int minReplicas,
      int maxReplicas) {
    if (desired > current) {
      int limit = Math.max(current, scaleUpLimit(current, state, up, now));
      if (maxReplicas > limit) {
        if (desired > limit) {
          Limit which =
              up.select() == ScalingRules.Select.DISABLED
                  ? Limit.SCALE_UP_DISABLED
                  : Limit.SCALE_UP_RATE;
          return new Limited(
              limit, Optional.of(which), describe("scale-up", up, current, state, now, limit));
        }
      } else if (desired > maxReplicas) {
        return new Limited(
            maxReplicas, Optional.of(Limit.MAX_REPLICAS), "capped at maxReplicas " + maxReplicas);
      }
    } else if (desired < current) {
      int limit = Math.min(current, scaleDownLimit(current, state, down, now));
      if (minReplicas < limit) {
        if (desired < limit) {
          Limit which =
              down.select() == ScalingRules.Select.DISABLED
                  ? Limit.SCALE_DOWN_DISABLED
                  : Limit.SCALE_DOWN_RATE;
          return new Limited(
              limit, Optional.of(which), describe("scale-down", down, current, state, now, limit));
        }
      } else if (desired < minReplicas) {
        return new Limited(
            minReplicas, Optional.of(Limit.MIN_REPLICAS), "raised to the minimum " + minReplicas);
      }
    }
    return new Limited(desired, Optional.empty(), "");
  }

  /** HPA's {@code calculateScaleUpLimitWithScalingRules}. */
  public static int scaleUpLimit(int current, PolicyState state, ScalingRules rules, Instant now) {
    if (rules.select() == ScalingRules.Select.DISABLED) {
      return current;
    }
    boolean min = rules.select() == ScalingRules.Select.MIN;
    long result = min ? Integer.MAX_VALUE : Integer.MIN_VALUE;
    for (RatePolicy policy : rules.policies()) {
      long start = periodStart(current, state, policy.period(), now);
      long proposed =
          policy.type() == RatePolicy.Type.PODS
              ? start + policy.value()
              : (long) Math.ceil(start * (1 + policy.value() / 100.0));
      result = min ? Math.min(result, proposed) : Math.max(result, proposed);
    }
    return clampToInt(result);
  }

  /** HPA's {@code calculateScaleDownLimitWithBehaviors}. */
  public static int scaleDownLimit(
      int current, PolicyState state, ScalingRules rules, Instant now) {
    if (rules.select() == ScalingRules.Select.DISABLED) {
      return current;
    }
    boolean min = rules.select() == ScalingRules.Select.MIN;
    long result = min ? Integer.MIN_VALUE : Integer.MAX_VALUE;
    for (RatePolicy policy : rules.policies()) {
      long start = periodStart(current, state, policy.period(), now);
      long proposed =
          policy.type() == RatePolicy.Type.PODS
              ? start - policy.value()
              : (long) (start * (1 - policy.value() / 100.0));
      result = min ? Math.max(result, proposed) : Math.min(result, proposed);
    }
    return clampToInt(result);
  }

  /** The count at the start of {@code period}: {@code asked − added + removed} within it. */
  static long periodStart(int current, PolicyState state, Duration period, Instant now) {
    Instant cutoff = now.minus(period);
    return (long) state.lastAsked().orElse(current)
        - changeAfter(state.scaleUpEvents(), cutoff)
        + changeAfter(state.scaleDownEvents(), cutoff);
  }

  private static long changeAfter(List<ScaleEvent> events, Instant cutoff) {
    long sum = 0;
    for (ScaleEvent e : events) {
      if (e.at().isAfter(cutoff)) {
        sum += e.change();
      }
    }
    return sum;
  }

  private static int clampToInt(long v) {
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
  }

  private static String describe(
      String direction,
      ScalingRules rules,
      int current,
      PolicyState state,
      Instant now,
      int limit) {
    if (rules.select() == ScalingRules.Select.DISABLED) {
      return direction + " disabled (selectPolicy Disabled): keep " + current;
    }
    StringBuilder sb = new StringBuilder(160).append(direction).append(" rate: ");
    boolean up = direction.equals("scale-up");
    for (int i = 0; i < rules.policies().size(); i++) {
      RatePolicy p = rules.policies().get(i);
      long start = periodStart(current, state, p.period(), now);
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(p.type() == RatePolicy.Type.PODS ? "Pods " : "Percent ")
          .append(p.value())
          .append('/')
          .append(p.period().toSeconds())
          .append("s from ")
          .append(start)
          .append(" at period start → ");
      long proposed;
      if (p.type() == RatePolicy.Type.PODS) {
        proposed = up ? start + p.value() : start - p.value();
      } else {
        proposed =
            up
                ? (long) Math.ceil(start * (1 + p.value() / 100.0))
                : (long) (start * (1 - p.value() / 100.0));
      }
      sb.append(proposed);
    }
    return sb.append("; selectPolicy ")
        .append(rules.select() == ScalingRules.Select.MAX ? "Max" : "Min")
        .append(" allows ")
        .append(limit)
        .toString();
  }
}
