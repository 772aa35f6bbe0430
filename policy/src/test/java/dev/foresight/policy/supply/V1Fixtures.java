package dev.foresight.policy.supply;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * NodeClaims and NodePools as a {@code karpenter.sh/v1} cluster reports them, built through the
 * same {@code fromFields} factories the controller uses: labels and resource lists as string maps,
 * quantities as the API server writes them, conditions with their v1 types.
 *
 * <p>Instance shapes are AWS g6 (NVIDIA L4): g6.xlarge has 1 GPU, g6.12xlarge has 4.
 */
final class V1Fixtures {

  static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");
  static final String POOL = "gpu-l4";
  static final NodeClassRef EC2 = new NodeClassRef("karpenter.k8s.aws", "EC2NodeClass", "gpu");

  /**
   * Karpenter's typical timings here: launched after 40 s, registered after 95 s, ready after 180
   * s.
   */
  static final Duration LAUNCH = Duration.ofSeconds(40);

  static final Duration REGISTER = Duration.ofSeconds(95);
  static final Duration INITIALIZE = Duration.ofSeconds(180);

  private V1Fixtures() {}

  static Map<String, String> labels(String pool) {
    return Map.of(
        NodeClaimState.NODEPOOL_LABEL,
        pool,
        "karpenter.sh/capacity-type",
        "on-demand",
        "node.kubernetes.io/instance-type",
        "g6.xlarge");
  }

  /** status.capacity of an instance with {@code gpus} L4s. */
  static Map<String, String> capacity(int gpus) {
    return Map.of(
        "cpu",
        Integer.toString(4 * gpus),
        "memory",
        16 * gpus + "Gi",
        "ephemeral-storage",
        "100Gi",
        "pods",
        "58",
        GpuQuantity.NVIDIA_GPU,
        Integer.toString(gpus));
  }

  /** spec.resources.requests of a claim made for pods asking for {@code gpus} GPUs. */
  static Map<String, String> requests(int gpus) {
    return Map.of("cpu", "3500m", "memory", "14Gi", "pods", "5", GpuQuantity.NVIDIA_GPU, "" + gpus);
  }

  private static List<Condition> conditions(
      Instant created, boolean launched, boolean registered, boolean initialized) {
    String f = "nodeclaim.status.conditions";
    Instant l = created.plus(LAUNCH);
    Instant r = created.plus(REGISTER);
    Instant i = created.plus(INITIALIZE);
    return List.of(
        launched
            ? Condition.fromFields(f, "Launched", "True", "Launched", "", l)
            : Condition.fromFields(f, "Launched", "Unknown", "AwaitingReconciliation", "", created),
        registered
            ? Condition.fromFields(f, "Registered", "True", "Registered", "", r)
            : Condition.fromFields(
                f, "Registered", "Unknown", "AwaitingReconciliation", "", created),
        initialized
            ? Condition.fromFields(f, "Initialized", "True", "Initialized", "", i)
            : Condition.fromFields(
                f, "Initialized", "Unknown", "AwaitingReconciliation", "", created),
        Condition.fromFields(
            f, "Ready", initialized ? "True" : "Unknown", "", "", initialized ? i : created));
  }

  /** Created, instance not launched yet: no status.capacity, no node. */
  static NodeClaimState launching(String name, int gpus, Instant created) {
    return NodeClaimState.fromFields(
        name,
        labels(POOL),
        EC2,
        created,
        null,
        requests(gpus),
        null,
        null,
        null,
        conditions(created, false, false, false),
        0);
  }

  /** Launch tried and failing: {@code Launched=False, reason LaunchFailed}; Karpenter retries. */
  static NodeClaimState launchFailing(String name, int gpus, Instant created) {
    return NodeClaimState.fromFields(
        name,
        labels(POOL),
        EC2,
        created,
        null,
        requests(gpus),
        Map.of(),
        Map.of(),
        "",
        List.of(
            Condition.fromFields(
                "c",
                "Launched",
                "False",
                "LaunchFailed",
                "creating instance, no capacity in subnet",
                created.plus(LAUNCH))),
        0);
  }

  /** Launched and registered, node not ready yet. */
  static NodeClaimState registered(String name, int gpus, Instant created) {
    return NodeClaimState.fromFields(
        name,
        labels(POOL),
        EC2,
        created,
        null,
        requests(gpus),
        capacity(gpus),
        capacity(gpus),
        nodeName(name),
        conditions(created, true, true, false),
        0);
  }

  /** Initialized: the node is current capacity, {@code bound} of its GPUs taken by pods. */
  static NodeClaimState initialized(String name, int gpus, int bound, Instant created) {
    return NodeClaimState.fromFields(
        name,
        labels(POOL),
        EC2,
        created,
        null,
        requests(gpus),
        capacity(gpus),
        capacity(gpus),
        nodeName(name),
        conditions(created, true, true, true),
        bound);
  }

  /** Being deleted before it launched (insufficient capacity, or a launch timeout). */
  static NodeClaimState deleting(String name, int gpus, Instant created, Instant deleted) {
    return NodeClaimState.fromFields(
        name,
        labels(POOL),
        EC2,
        created,
        deleted,
        requests(gpus),
        null,
        null,
        null,
        conditions(created, false, false, false),
        0);
  }

  /** The Node a claim registers as; AWS names nodes after their private address. */
  static String nodeName(String claim) {
    return "ip-10-0-"
        + (claim.hashCode() & 0xff)
        + "-"
        + claim.length()
        + ".eu-west-2.compute.internal";
  }

  /** A NodePool with {@code spec.limits: {cpu: "1000", nvidia.com/gpu: limit}}. */
  static NodePoolState pool(String limit, int inUse) {
    return NodePoolState.fromFields(
        POOL,
        limit == null
            ? Map.of("cpu", "1000")
            : Map.of("cpu", "1000", GpuQuantity.NVIDIA_GPU, limit),
        Map.of(
            "cpu",
            Integer.toString(4 * inUse),
            "nodes",
            "4",
            "pods",
            "232",
            GpuQuantity.NVIDIA_GPU,
            Integer.toString(inUse)),
        List.of(Condition.isTrue("Ready", T0)));
  }
}
