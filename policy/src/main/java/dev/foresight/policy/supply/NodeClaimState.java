package dev.foresight.policy.supply;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What Foresight reads of one Karpenter {@code karpenter.sh/v1} NodeClaim (cluster-scoped).
 *
 * <p>Where each field comes from:
 *
 * <pre>
 * name             metadata.name
 * nodePool         metadata.labels["karpenter.sh/nodepool"]   ("" when the label is absent)
 * nodeClassRef     spec.nodeClassRef {group, kind, name}
 * createdAt        metadata.creationTimestamp
 * deletingSince    metadata.deletionTimestamp
 * requestedGpus    spec.resources.requests["nvidia.com/gpu"]   (what the claim was made for)
 * capacityGpus     status.capacity["nvidia.com/gpu"]           (empty until Launched)
 * allocatableGpus  status.allocatable["nvidia.com/gpu"]        (empty until Launched)
 * nodeName         status.nodeName                             (empty until Registered)
 * conditions       status.conditions (Launched, Registered, Initialized; others are ignored)
 * gpusBound        sum of nvidia.com/gpu requests of non-terminal pods whose spec.nodeName is
 *                  status.nodeName (0 while the claim has no node)
 * </pre>
 *
 * <p>Lifecycle, as Karpenter drives it: the claim is created, the cloud instance is launched
 * ({@code Launched=True}, capacity and allocatable filled in), the kubelet's Node registers ({@code
 * Registered=True}), and the node becomes ready with its resources, including GPUs from the device
 * plugin, advertised ({@code Initialized=True}). A launch that fails with insufficient capacity
 * deletes the claim at once and leaves a {@code InsufficientCapacityError} Event on it; a launch or
 * registration that times out also deletes it.
 *
 * @param name NodeClaim name
 * @param nodePool the NodePool that owns it
 * @param nodeClassRef the node class it was made from
 * @param createdAt creation instant
 * @param deletingSince deletion instant, when being deleted
 * @param requestedGpus GPUs the claim was made for
 * @param capacityGpus GPU capacity, once launched
 * @param allocatableGpus allocatable GPUs, once launched
 * @param nodeName the Node's name, once registered
 * @param conditions status conditions
 * @param gpusBound GPUs requested by pods bound to its node
 */
public record NodeClaimState(
    String name,
    String nodePool,
    NodeClassRef nodeClassRef,
    Instant createdAt,
    Optional<Instant> deletingSince,
    int requestedGpus,
    OptionalInt capacityGpus,
    OptionalInt allocatableGpus,
    Optional<String> nodeName,
    List<Condition> conditions,
    int gpusBound) {

  /** The label Karpenter puts on NodeClaims and Nodes naming their NodePool. */
  public static final String NODEPOOL_LABEL = "karpenter.sh/nodepool";

  /** Condition type: the cloud instance exists. */
  public static final String LAUNCHED = "Launched";

  /** Condition type: the Node object registered with the API server. */
  public static final String REGISTERED = "Registered";

  /** Condition type: the Node is ready and its resources are advertised. */
  public static final String INITIALIZED = "Initialized";

  /** Where a NodeClaim is in its life, for supply purposes. */
  public enum Stage {
    /** Launched is not True yet: the instance is being created (or its launch is failing). */
    LAUNCHING,
    /** Launched, but the Node has not registered yet. */
    REGISTERING,
    /** Registered, but not yet ready with its resources. */
    INITIALIZING,
    /** Ready: the node is current capacity. */
    INITIALIZED,
    /** Being deleted: neither current nor coming capacity. */
    DELETING
  }

  public NodeClaimState {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(nodePool, "nodePool");
    Objects.requireNonNull(nodeClassRef, "nodeClassRef");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(deletingSince, "deletingSince");
    Objects.requireNonNull(capacityGpus, "capacityGpus");
    Objects.requireNonNull(allocatableGpus, "allocatableGpus");
    Objects.requireNonNull(nodeName, "nodeName");
    conditions = List.copyOf(conditions);
    String field = "nodeclaim/" + name;
    requireNonNegative(field + ".spec.resources.requests[nvidia.com/gpu]", requestedGpus);
    capacityGpus.ifPresent(g -> requireNonNegative(field + ".status.capacity[nvidia.com/gpu]", g));
    allocatableGpus.ifPresent(
        g -> requireNonNegative(field + ".status.allocatable[nvidia.com/gpu]", g));
    requireNonNegative(field + " GPUs bound", gpusBound);
  }

  /**
   * Builds the state from the NodeClaim's fields as a dynamic client reads them: labels and
   * resource lists as string maps, quantities as written ({@code "8"}, {@code "1k"}). Bad
   * quantities fail with the field named.
   *
   * @param name {@code metadata.name}
   * @param labels {@code metadata.labels} (null: none)
   * @param nodeClassRef {@code spec.nodeClassRef}
   * @param creationTimestamp {@code metadata.creationTimestamp}
   * @param deletionTimestamp {@code metadata.deletionTimestamp}, or null
   * @param requests {@code spec.resources.requests} (null: none)
   * @param capacity {@code status.capacity} (null or empty: not launched yet)
   * @param allocatable {@code status.allocatable} (null or empty: not launched yet)
   * @param nodeName {@code status.nodeName}, or null or empty
   * @param conditions {@code status.conditions}
   * @param gpusBound GPUs requested by pods bound to its node
   */
  public static NodeClaimState fromFields(
      String name,
      Map<String, String> labels,
      NodeClassRef nodeClassRef,
      Instant creationTimestamp,
      Instant deletionTimestamp,
      Map<String, String> requests,
      Map<String, String> capacity,
      Map<String, String> allocatable,
      String nodeName,
      List<Condition> conditions,
      int gpusBound) {
    String field = "nodeclaim/" + name;
    return new NodeClaimState(
        name,
        labels == null ? "" : labels.getOrDefault(NODEPOOL_LABEL, ""),
        nodeClassRef,
        creationTimestamp,
        Optional.ofNullable(deletionTimestamp),
        GpuQuantity.in(field + ".spec.resources.requests", requests),
        launched(capacity)
            ? OptionalInt.of(GpuQuantity.in(field + ".status.capacity", capacity))
            : OptionalInt.empty(),
        launched(allocatable)
            ? OptionalInt.of(GpuQuantity.in(field + ".status.allocatable", allocatable))
            : OptionalInt.empty(),
        nodeName == null || nodeName.isEmpty() ? Optional.empty() : Optional.of(nodeName),
        conditions,
        gpusBound);
  }

  private static boolean launched(Map<String, String> resources) {
    return resources != null && !resources.isEmpty();
  }

  private static void requireNonNegative(String field, int value) {
    if (value < 0) {
      throw new InvalidSupplyInputException(field, Integer.toString(value), "a count >= 0");
    }
  }

  /** The condition of this type, if the claim has it. */
  public Optional<Condition> condition(String type) {
    return conditions.stream().filter(c -> c.type().equals(type)).findFirst();
  }

  private boolean holds(String type) {
    return condition(type).map(Condition::holds).orElse(false);
  }

  /** The claim's stage, from its deletion timestamp and its three lifecycle conditions. */
  public Stage stage() {
    if (deletingSince.isPresent()) {
      return Stage.DELETING;
    }
    if (holds(INITIALIZED)) {
      return Stage.INITIALIZED;
    }
    if (holds(REGISTERED)) {
      return Stage.INITIALIZING;
    }
    if (holds(LAUNCHED)) {
      return Stage.REGISTERING;
    }
    return Stage.LAUNCHING;
  }

  /** True while the claim is capacity on its way: not initialized and not being deleted. */
  public boolean inFlight() {
    Stage s = stage();
    return s == Stage.LAUNCHING || s == Stage.REGISTERING || s == Stage.INITIALIZING;
  }

  /**
   * True once the launch was tried and failed ({@code Launched=False}); Karpenter retries until the
   * launch timeout.
   */
  public boolean launchFailing() {
    return condition(LAUNCHED).map(c -> c.status() == ConditionStatus.FALSE).orElse(false);
  }

  /**
   * GPUs this claim brings: its allocatable GPUs once launched, else the GPUs it was requested for.
   */
  public int gpus() {
    return allocatableGpus.orElse(requestedGpus);
  }

  /**
   * True when Karpenter's NodePool counter already counts this claim in {@code status.resources}:
   * the counter sums the capacity of every claim its cluster state knows, which is filled in at
   * launch. Claims without {@code status.capacity} yet are not counted.
   */
  public boolean countedInNodePoolResources() {
    return capacityGpus.isPresent();
  }

  /**
   * Node provisioning time, {@code Initialized.lastTransitionTime − metadata.creationTimestamp},
   * once the claim is initialized; what the lead-time learner adds to cold start when no free GPU
   * exists.
   */
  public Optional<Duration> provisioningDuration() {
    return condition(INITIALIZED)
        .filter(Condition::holds)
        .map(c -> Duration.between(createdAt, c.lastTransitionTime()))
        .filter(d -> !d.isNegative());
  }
}
