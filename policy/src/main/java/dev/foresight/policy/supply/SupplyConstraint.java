package dev.foresight.policy.supply;

import dev.foresight.policy.Limit;
import dev.foresight.policy.Reason;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The node-supply rule, applied after the engine's own recommendation. Supply only ever limits
 * growth: it never returns less than {@code min(recommended, current)}, so it never lowers a
 * workload below the replicas it has, and it never touches a scale-down.
 *
 * <p>With {@code r} recommended, {@code c} current, {@code a} the standing ask (the recommendation
 * behind the replicas still waiting for nodes) and {@code B} = {@link
 * NodeSupply#maxBackableReplicas(int) maxBackableReplicas(c)}:
 *
 * <pre>
 * r ≤ c                                                  → r              (not growth)
 * every pending pod is covered by an in-flight node,
 *   and a is known and r ≤ a                             → c              HOLD_NODE_SUPPLY_IN_FLIGHT
 * r &gt; B                                                  → max(c, B)      NODE_SUPPLY_CAPPED
 * otherwise                                              → r
 * </pre>
 *
 * The hold stops duplicate asks: the pods already asked for are on their way, and a signal that
 * still reads high because they are not serving yet is the same need, not a new one. A
 * recommendation above {@code a} is a grown need and goes through (subject to the cap). The cap
 * stops "fake scaling": replicas beyond what nodes and NodePool headroom can back would only sit
 * Pending.
 *
 * <p>The standing ask returned is {@code r} when this call scales up (it is what the new pods were
 * asked for), the one passed in while pods are still pending, and empty once none are. Without one
 * (first decision, restart) the hold does not apply: missing memory never blocks growth.
 */
public final class SupplyConstraint {

  private SupplyConstraint() {}

  /** {@link #apply(int, int, NodeSupply, OptionalInt)} without a standing ask. */
  public static SupplyOutcome apply(int recommended, int current, NodeSupply supply) {
    return apply(recommended, current, supply, OptionalInt.empty());
  }

  /**
   * Applies the rule.
   *
   * @param recommended the engine's recommendation
   * @param current replicas desired now ({@code spec.replicas}), pending ones included
   * @param supply the workload's node supply
   * @param standingAsk the previous outcome's {@link SupplyOutcome#standingAsk()}
   */
  public static SupplyOutcome apply(
      int recommended, int current, NodeSupply supply, OptionalInt standingAsk) {
    if (recommended < 0 || current < 0) {
      throw new IllegalArgumentException(
          "recommended " + recommended + " and current " + current + " must be >= 0");
    }
    int backable = supply.maxBackableReplicas(current);
    OptionalInt keptAsk = supply.pendingPods() > 0 ? standingAsk : OptionalInt.empty();
    if (recommended <= current) {
      return new SupplyOutcome(
          recommended, Optional.empty(), Optional.empty(), "", backable, keptAsk);
    }
    if (supply.pendingCoveredByInFlight()
        && standingAsk.isPresent()
        && recommended <= standingAsk.getAsInt()) {
      return new SupplyOutcome(
          current,
          Optional.of(Reason.HOLD_NODE_SUPPLY_IN_FLIGHT),
          Optional.of(Limit.NODE_SUPPLY),
          "held at "
              + current
              + " instead of "
              + recommended
              + ": all "
              + supply.pendingPods()
              + " pending pod(s) are covered by nodes on their way"
              + (supply.observed() == NodeSupply.Observed.KARPENTER
                  ? " (" + supply.gpusInFlight() + " GPUs in flight)"
                  : "")
              + " and the need has not grown past the "
              + standingAsk.getAsInt()
              + " they were asked for",
          backable,
          standingAsk);
    }
    if (recommended > backable) {
      int replicas = Math.max(current, backable);
      return new SupplyOutcome(
          replicas,
          Optional.of(Reason.NODE_SUPPLY_CAPPED),
          Optional.of(Limit.NODE_SUPPLY),
          "capped "
              + recommended
              + " → "
              + replicas
              + ": "
              + supply.backingArithmetic(current)
              + (backable < current ? "; kept at the current " + current : ""),
          backable,
          replicas > current ? OptionalInt.of(recommended) : keptAsk);
    }
    return new SupplyOutcome(
        recommended, Optional.empty(), Optional.empty(), "", backable, OptionalInt.of(recommended));
  }
}
