package dev.foresight.policy.supply;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A Kubernetes Event that says something about node supply, reduced to what the analysis needs.
 * {@link #from} turns a core/v1 (or events.k8s.io/v1) Event into one, or into nothing when the
 * Event does not concern supply, so the controller's mapping is one call per Event.
 *
 * <table>
 * <caption>Events understood</caption>
 * <tr><th>reason</th><th>source</th><th>involved object</th><th>meaning</th></tr>
 * <tr><td>{@code Nominated}</td><td>Karpenter</td><td>Pod</td>
 *     <td>message {@code Pod should schedule on: nodeclaim/<name>} (or {@code node/<name>}): the
 *     pod is covered by that claim or node</td></tr>
 * <tr><td>{@code InsufficientCapacityError}</td><td>Karpenter</td><td>NodeClaim</td>
 *     <td>the cloud had no capacity for the claim; Karpenter deleted it (a stockout)</td></tr>
 * <tr><td>{@code TriggeredScaleUp}</td><td>cluster-autoscaler</td><td>Pod</td>
 *     <td>a node group is scaling up for the pod: covered</td></tr>
 * <tr><td>{@code NotTriggerScaleUp}</td><td>cluster-autoscaler</td><td>Pod</td>
 *     <td>no node group can or may grow for the pod: blocked</td></tr>
 * </table>
 *
 * <p>For events.k8s.io/v1 Events pass {@code regarding} as the involved object and {@code note} as
 * the message.
 *
 * <p>The reason is matched exactly, as an API constant. The Nominated message is the only place
 * Karpenter names the claim, so its target is read from the text after {@code ": "}; an unreadable
 * message yields no event rather than a wrong one.
 *
 * @param type what the Event says
 * @param at {@code lastTimestamp} (or {@code eventTime}, or {@code series.lastObservedTime})
 * @param involvedKind {@code involvedObject.kind}
 * @param involvedNamespace {@code involvedObject.namespace} ("" for cluster-scoped objects)
 * @param involvedName {@code involvedObject.name}
 * @param target for {@link Type#NOMINATED}: the nominated object as {@code nodeclaim/<name>} or
 *     {@code node/<name>}; otherwise empty
 */
public record SupplyEvent(
    Type type,
    Instant at,
    String involvedKind,
    String involvedNamespace,
    String involvedName,
    Optional<String> target) {

  /** What a supply Event says. */
  public enum Type {
    /** Karpenter nominated a pod to an in-flight NodeClaim or an existing node. */
    NOMINATED("Nominated"),
    /** Karpenter could not launch a NodeClaim: the cloud had no capacity. */
    INSUFFICIENT_CAPACITY("InsufficientCapacityError"),
    /** cluster-autoscaler is adding a node for the pod. */
    TRIGGERED_SCALE_UP("TriggeredScaleUp"),
    /** cluster-autoscaler will not add a node for the pod. */
    NOT_TRIGGER_SCALE_UP("NotTriggerScaleUp");

    private final String reason;

    Type(String reason) {
      this.reason = reason;
    }

    /** The Event {@code reason} this type is written with. */
    public String reason() {
      return reason;
    }
  }

  private static final String NOMINATION_PREFIX = "Pod should schedule on: ";

  public SupplyEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(involvedKind, "involvedKind");
    involvedNamespace = involvedNamespace == null ? "" : involvedNamespace;
    Objects.requireNonNull(involvedName, "involvedName");
    Objects.requireNonNull(target, "target");
  }

  /**
   * The supply meaning of one Event, if it has one.
   *
   * @param reason {@code reason}
   * @param involvedKind {@code involvedObject.kind}
   * @param involvedNamespace {@code involvedObject.namespace}
   * @param involvedName {@code involvedObject.name}
   * @param message {@code message} (or {@code note} in events.k8s.io/v1)
   * @param at the Event's last occurrence
   */
  public static Optional<SupplyEvent> from(
      String reason,
      String involvedKind,
      String involvedNamespace,
      String involvedName,
      String message,
      Instant at) {
    if (reason == null || involvedKind == null || involvedName == null || at == null) {
      return Optional.empty();
    }
    for (Type type : Type.values()) {
      if (!type.reason.equals(reason)) {
        continue;
      }
      boolean onPod = involvedKind.equals("Pod");
      switch (type) {
        case NOMINATED:
          return onPod
              ? nominatedTarget(message)
                  .map(
                      t ->
                          new SupplyEvent(
                              type,
                              at,
                              involvedKind,
                              involvedNamespace,
                              involvedName,
                              Optional.of(t)))
              : Optional.empty();
        case INSUFFICIENT_CAPACITY:
          return involvedKind.equals("NodeClaim")
              ? Optional.of(
                  new SupplyEvent(
                      type, at, involvedKind, involvedNamespace, involvedName, Optional.empty()))
              : Optional.empty();
        default:
          return onPod
              ? Optional.of(
                  new SupplyEvent(
                      type, at, involvedKind, involvedNamespace, involvedName, Optional.empty()))
              : Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** A Nominated event on a pod, as Karpenter writes it. */
  public static SupplyEvent nominated(String namespace, String pod, String nodeClaim, Instant at) {
    return new SupplyEvent(
        Type.NOMINATED, at, "Pod", namespace, pod, Optional.of("nodeclaim/" + nodeClaim));
  }

  /** An InsufficientCapacityError event on a NodeClaim, as Karpenter writes it. */
  public static SupplyEvent insufficientCapacity(String nodeClaim, Instant at) {
    return new SupplyEvent(
        Type.INSUFFICIENT_CAPACITY, at, "NodeClaim", "", nodeClaim, Optional.empty());
  }

  private static Optional<String> nominatedTarget(String message) {
    if (message == null || !message.startsWith(NOMINATION_PREFIX)) {
      return Optional.empty();
    }
    String target = message.substring(NOMINATION_PREFIX.length()).trim();
    int slash = target.indexOf('/');
    if (slash <= 0 || slash == target.length() - 1) {
      return Optional.empty();
    }
    String kind = target.substring(0, slash);
    if (!kind.equals("nodeclaim") && !kind.equals("node")) {
      return Optional.empty();
    }
    return Optional.of(target);
  }

  /** For a nomination: the NodeClaim's name, when the pod was nominated to a NodeClaim. */
  public Optional<String> nominatedNodeClaim() {
    return target
        .filter(t -> t.startsWith("nodeclaim/"))
        .map(t -> t.substring("nodeclaim/".length()));
  }

  /** For a nomination: the Node's name, when the pod was nominated to an existing node. */
  public Optional<String> nominatedNode() {
    return target.filter(t -> t.startsWith("node/")).map(t -> t.substring("node/".length()));
  }

  /** True when this Event is about the pod {@code namespace/name}. */
  public boolean concernsPod(String namespace, String name) {
    return involvedKind.equals("Pod")
        && involvedNamespace.equals(namespace)
        && involvedName.equals(name);
  }
}
