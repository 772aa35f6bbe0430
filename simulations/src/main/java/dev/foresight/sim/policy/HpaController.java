package dev.foresight.sim.policy;

import dev.foresight.policy.RatePolicy;
import dev.foresight.policy.ScalingRules;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The part of the HPA controller ({@code horizontal.go}) that turns a metric proposal into the
 * replica count it writes: bounds, the stabilization windows and the rate policies of {@code
 * behavior}, with the controller's memory of recent recommendations and scale events.
 *
 * <ol>
 *   <li>Current above {@code max} → {@code max}; below {@code min} → {@code min}; at 0 with {@code
 *       min > 0} → scaling is disabled and the count holds; no metric → the count holds.
 *   <li>Stabilization ({@code stabilizeRecommendationWithBehaviors}): over the recommendations of
 *       the last {@code scaleUp.stabilizationWindow} the lowest, over the last {@code
 *       scaleDown.stabilizationWindow} the highest, and the current count is clamped between them.
 *   <li>Rate ({@code convertDesiredReplicasWithBehaviorRate}): for each policy, the count at the
 *       start of its period is {@code current − added + removed} within the period; scale-up may
 *       reach {@code start + pods} or {@code ceil(start · (1 + percent/100))}, scale-down {@code
 *       start − pods} or {@code floor(start · (1 − percent/100))}; {@code selectPolicy Max} takes
 *       the policy allowing the most change, {@code Min} the least, {@code Disabled} none. Then
 *       {@code min}/{@code max}.
 * </ol>
 */
public final class HpaController {
  private final int minReplicas;
  private final int maxReplicas;
  private final ScalingRules scaleUp;
  private final ScalingRules scaleDown;
  private final List<Stamped> recommendations = new ArrayList<>();
  private final List<Stamped> upEvents = new ArrayList<>();
  private final List<Stamped> downEvents = new ArrayList<>();
  private boolean initialized;

  private record Stamped(int value, Instant at) {}

  /** An HPA with the default behavior (HPA's API defaults). */
  public static HpaController withDefaultBehavior(int minReplicas, int maxReplicas) {
    return new HpaController(
        minReplicas,
        maxReplicas,
        ScalingRules.hpaDefaultScaleUp(),
        ScalingRules.hpaDefaultScaleDown());
  }

  public HpaController(
      int minReplicas, int maxReplicas, ScalingRules scaleUp, ScalingRules scaleDown) {
    if (minReplicas < 1 || maxReplicas < minReplicas) {
      throw new IllegalArgumentException(
          "HPA bounds min=" + minReplicas + " max=" + maxReplicas + ": expected 1 <= min <= max");
    }
    this.minReplicas = minReplicas;
    this.maxReplicas = maxReplicas;
    this.scaleUp = scaleUp;
    this.scaleDown = scaleDown;
  }

  /**
   * One reconcile: the replica count the HPA writes.
   *
   * @param now the reconcile instant
   * @param currentReplicas the target's {@code spec.replicas}
   * @param proposal what the metrics proposed, empty when they could not be computed
   */
  public int reconcile(Instant now, int currentReplicas, OptionalInt proposal) {
    if (!initialized) {
      recommendations.add(new Stamped(currentReplicas, now));
      initialized = true;
    }
    int desired;
    if (currentReplicas == 0) {
      return 0;
    } else if (currentReplicas > maxReplicas) {
      desired = maxReplicas;
    } else if (currentReplicas < minReplicas) {
      desired = minReplicas;
    } else if (proposal.isEmpty()) {
      return currentReplicas;
    } else {
      int stabilized = stabilize(now, currentReplicas, proposal.getAsInt());
      desired = limitRate(now, currentReplicas, stabilized);
    }
    if (desired != currentReplicas) {
      storeScaleEvent(now, currentReplicas, desired);
    }
    return desired;
  }

  private int stabilize(Instant now, int current, int desired) {
    Instant upCutoff = now.minus(scaleUp.stabilizationWindow());
    Instant downCutoff = now.minus(scaleDown.stabilizationWindow());
    int up = desired;
    int down = desired;
    int oldIndex = -1;
    for (int i = 0; i < recommendations.size(); i++) {
      Stamped rec = recommendations.get(i);
      if (rec.at.isAfter(upCutoff)) {
        up = Math.min(up, rec.value);
      }
      if (rec.at.isAfter(downCutoff)) {
        down = Math.max(down, rec.value);
      }
      if (rec.at.isBefore(upCutoff) && rec.at.isBefore(downCutoff)) {
        oldIndex = i;
      }
    }
    int recommendation = current;
    if (recommendation < up) {
      recommendation = up;
    }
    if (recommendation > down) {
      recommendation = down;
    }
    Stamped fresh = new Stamped(desired, now);
    if (oldIndex >= 0) {
      recommendations.set(oldIndex, fresh);
    } else {
      recommendations.add(fresh);
    }
    return recommendation;
  }

  private int limitRate(Instant now, int current, int desired) {
    if (desired > current) {
      int limit = scaleUpLimit(now, current);
      if (limit < current) {
        limit = current;
      }
      int allowed = Math.min(maxReplicas, limit);
      return Math.min(desired, allowed);
    }
    if (desired < current) {
      int limit = scaleDownLimit(now, current);
      if (limit > current) {
        limit = current;
      }
      int allowed = Math.max(minReplicas, limit);
      return Math.max(desired, allowed);
    }
    return desired;
  }

  private int scaleUpLimit(Instant now, int current) {
    if (scaleUp.select() == ScalingRules.Select.DISABLED) {
      return current;
    }
    boolean min = scaleUp.select() == ScalingRules.Select.MIN;
    int result = min ? Integer.MAX_VALUE : Integer.MIN_VALUE;
    for (RatePolicy p : scaleUp.policies()) {
      int start =
          current
              - changeWithin(now, p.period(), upEvents)
              + changeWithin(now, p.period(), downEvents);
      int proposed =
          p.type() == RatePolicy.Type.PODS
              ? start + p.value()
              : (int) Math.ceil(start * (1 + p.value() / 100.0));
      result = min ? Math.min(result, proposed) : Math.max(result, proposed);
    }
    return result;
  }

  private int scaleDownLimit(Instant now, int current) {
    if (scaleDown.select() == ScalingRules.Select.DISABLED) {
      return current;
    }
    boolean min = scaleDown.select() == ScalingRules.Select.MIN;
    int result = min ? Integer.MIN_VALUE : Integer.MAX_VALUE;
    for (RatePolicy p : scaleDown.policies()) {
      int start =
          current
              - changeWithin(now, p.period(), upEvents)
              + changeWithin(now, p.period(), downEvents);
      int proposed =
          p.type() == RatePolicy.Type.PODS
              ? start - p.value()
              : (int) (start * (1 - p.value() / 100.0));
      result = min ? Math.max(result, proposed) : Math.min(result, proposed);
    }
    return result;
  }

  private static int changeWithin(Instant now, Duration period, List<Stamped> events) {
    Instant cutoff = now.minus(period);
    int sum = 0;
    for (Stamped e : events) {
      if (e.at.isAfter(cutoff)) {
        sum += e.value;
      }
    }
    return sum;
  }

  private void storeScaleEvent(Instant now, int previous, int desired) {
    List<Stamped> events = desired > previous ? upEvents : downEvents;
    ScalingRules rules = desired > previous ? scaleUp : scaleDown;
    Duration longest = Duration.ZERO;
    for (RatePolicy p : rules.policies()) {
      if (p.period().compareTo(longest) > 0) {
        longest = p.period();
      }
    }
    Instant cutoff = now.minus(longest);
    Stamped event = new Stamped(Math.abs(desired - previous), now);
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).at.isBefore(cutoff)) {
        events.set(i, event);
        return;
      }
    }
    events.add(event);
  }
}
