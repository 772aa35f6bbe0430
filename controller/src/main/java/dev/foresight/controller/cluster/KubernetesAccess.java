package dev.foresight.controller.cluster;

import java.util.List;
import java.util.Set;

/**
 * Every Kubernetes API call the controller makes, in one place: the adapters in this package name
 * the entry they use, and the manifests' RBAC test checks that the ClusterRole grants each of them.
 * A call that is not listed here is a bug.
 *
 * <p>Targets of kinds other than Deployment and StatefulSet are read through their own {@code
 * <resource>/scale} subresource; the RBAC for those is the user's to add (one rule per kind), so
 * they are not listed.
 */
public final class KubernetesAccess {

  private KubernetesAccess() {}

  /**
   * One API resource and the verbs used on it.
   *
   * @param group API group, empty for the core group
   * @param resource plural resource name, with {@code /subresource} when it is one
   * @param verbs RBAC verbs
   * @param namespaced whether the resource lives in a namespace
   * @param why what the controller does with it
   */
  public record Access(
      String group, String resource, Set<String> verbs, boolean namespaced, String why) {
    public Access {
      verbs = Set.copyOf(verbs);
    }
  }

  /** Own group of the ScalingPolicy resource. */
  public static final String FORESIGHT_GROUP = "autoscaling.foresight.dev";

  /** Karpenter's group. */
  public static final String KARPENTER_GROUP = "karpenter.sh";

  public static final Access SCALING_POLICIES =
      new Access(
          FORESIGHT_GROUP,
          "scalingpolicies",
          Set.of("get", "list", "watch"),
          true,
          "policies, through an informer");
  public static final Access SCALING_POLICY_STATUS =
      new Access(
          FORESIGHT_GROUP,
          "scalingpolicies/status",
          Set.of("get", "patch", "update"),
          true,
          "the leader writes conditions and the last decision (merge patch)");
  public static final Access DEPLOYMENT_SCALE =
      new Access(
          "apps", "deployments/scale", Set.of("get"), true, "current replicas and pod selector");
  public static final Access STATEFULSET_SCALE =
      new Access(
          "apps", "statefulsets/scale", Set.of("get"), true, "current replicas and pod selector");
  public static final Access PODS =
      new Access(
          "",
          "pods",
          Set.of("list", "watch"),
          true,
          "readiness, start-up timeline, Pending pods of governed workloads");
  public static final Access EVENTS_READ =
      new Access(
          "",
          "events",
          Set.of("list", "watch"),
          true,
          "Nominated, TriggeredScaleUp, NotTriggerScaleUp, InsufficientCapacityError");
  public static final Access EVENTS_WRITE =
      new Access(
          "",
          "events",
          Set.of("create", "patch"),
          true,
          "Events on a ScalingPolicy when the desired count changes or a guard-rail trips");
  public static final Access LEASES =
      new Access(
          "coordination.k8s.io",
          "leases",
          Set.of("get", "create", "update"),
          true,
          "leader election");
  public static final Access NODE_CLAIMS =
      new Access(
          KARPENTER_GROUP, "nodeclaims", Set.of("get", "list", "watch"), false, "node supply");
  public static final Access NODE_POOLS =
      new Access(
          KARPENTER_GROUP, "nodepools", Set.of("get", "list", "watch"), false, "node supply");

  /** Every entry above. */
  public static final List<Access> ALL =
      List.of(
          SCALING_POLICIES,
          SCALING_POLICY_STATUS,
          DEPLOYMENT_SCALE,
          STATEFULSET_SCALE,
          PODS,
          EVENTS_READ,
          EVENTS_WRITE,
          LEASES,
          NODE_CLAIMS,
          NODE_POOLS);

  /**
   * Non-resource URL read to learn whether Karpenter's CRDs are installed (allowed to every
   * authenticated user by the default {@code system:discovery} role).
   */
  public static final String KARPENTER_DISCOVERY_PATH = "/apis/karpenter.sh/v1";
}
