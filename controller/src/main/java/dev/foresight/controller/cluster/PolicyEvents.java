package dev.foresight.controller.cluster;

import dev.foresight.policy.Decision;
import dev.foresight.policy.GuardRailEffect;
import dev.foresight.policy.Reason;
import dev.foresight.policy.WorkloadRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides which Events to raise on a ScalingPolicy after a decision, rate-limited per policy and
 * event reason: at most one Event of a reason per {@code minInterval}; suppressed ones are counted
 * and mentioned in the next one. Pure apart from its own memory; time is an input.
 *
 * <ul>
 *   <li>{@code DesiredReplicasChanged} (Normal) when the desired count differs from the previous
 *       decision's;
 *   <li>{@code GuardRailTripped} (Warning) when a guard-rail acts that did not act before;
 *   <li>{@code NodeSupplyCapped} (Warning) when node supply caps the count.
 * </ul>
 */
public final class PolicyEvents {

  /** One Event to create. */
  public record PolicyEvent(WorkloadRef policy, String type, String reason, String message) {}

  private record Key(WorkloadRef policy, String reason) {}

  private static final class Window {
    Instant last;
    int suppressed;
  }

  private final Duration minInterval;
  private final Map<Key, Window> windows = new HashMap<>();

  public PolicyEvents(Duration minInterval) {
    this.minInterval = minInterval;
  }

  /** The Events to raise for {@code now}, given the previous decision (null on the first). */
  public synchronized List<PolicyEvent> after(WorkloadRef policy, Decision previous, Decision now) {
    List<PolicyEvent> candidates = new ArrayList<>();
    if (previous != null && previous.desiredReplicas() != now.desiredReplicas()) {
      candidates.add(
          new PolicyEvent(
              policy,
              "Normal",
              "DesiredReplicasChanged",
              "desired replicas "
                  + previous.desiredReplicas()
                  + " -> "
                  + now.desiredReplicas()
                  + " ("
                  + PolicyStatus.camel(now.reason())
                  + "): "
                  + now.message()));
    }
    List<String> before =
        previous == null ? List.of() : previous.guardRails().stream().map(this::key).toList();
    for (GuardRailEffect g : now.guardRails()) {
      if (!before.contains(key(g))) {
        candidates.add(
            new PolicyEvent(
                policy,
                "Warning",
                "GuardRailTripped",
                g.rail() + " " + g.effect() + " on " + g.subject() + ": " + g.message()));
      }
    }
    if (now.reason() == Reason.NODE_SUPPLY_CAPPED
        && (previous == null || previous.reason() != Reason.NODE_SUPPLY_CAPPED)) {
      candidates.add(new PolicyEvent(policy, "Warning", "NodeSupplyCapped", now.message()));
    }
    List<PolicyEvent> out = new ArrayList<>();
    for (PolicyEvent e : candidates) {
      Window w = windows.computeIfAbsent(new Key(policy, e.reason()), k -> new Window());
      if (w.last != null && Duration.between(w.last, now.at()).compareTo(minInterval) < 0) {
        w.suppressed++;
        continue;
      }
      String message =
          w.suppressed == 0
              ? e.message()
              : e.message() + " (" + w.suppressed + " similar suppressed)";
      w.last = now.at();
      w.suppressed = 0;
      out.add(new PolicyEvent(policy, e.type(), e.reason(), message));
    }
    return out;
  }

  /** Drops the memory of a policy that is gone. */
  public synchronized void forget(WorkloadRef policy) {
    windows.keySet().removeIf(k -> k.policy().equals(policy));
  }

  private String key(GuardRailEffect g) {
    return g.rail() + "/" + g.effect() + "/" + g.subject();
  }
}
