package dev.foresight.controller.prometheus;

import java.util.Optional;

/**
 * Replica counts of a scale target read from kube-state-metrics, for when the controller has no
 * Kubernetes API access of its own (standalone mode, inline policies).
 */
public final class KubeStateMetrics {

  private KubeStateMetrics() {}

  /**
   * The queries of a target's desired ({@code spec.replicas}) and Ready replica counts.
   *
   * @param current yields {@code spec.replicas}
   * @param ready yields the Ready replicas
   */
  public record ReplicaQueries(String current, String ready) {}

  /** The kinds kube-state-metrics publishes replica counts for. */
  public static final String SUPPORTED_KINDS = "Deployment or StatefulSet";

  /**
   * The replica queries of {@code kind/name} in {@code namespace}, or empty for a kind
   * kube-state-metrics has no replica series for.
   */
  public static Optional<ReplicaQueries> replicas(String namespace, String kind, String name) {
    String sel = "{namespace=\"" + namespace + "\",";
    return switch (kind) {
      case "Deployment" ->
          Optional.of(
              new ReplicaQueries(
                  "max(kube_deployment_spec_replicas" + sel + "deployment=\"" + name + "\"})",
                  "max(kube_deployment_status_replicas_ready"
                      + sel
                      + "deployment=\""
                      + name
                      + "\"})"));
      case "StatefulSet" ->
          Optional.of(
              new ReplicaQueries(
                  "max(kube_statefulset_replicas" + sel + "statefulset=\"" + name + "\"})",
                  "max(kube_statefulset_status_replicas_ready"
                      + sel
                      + "statefulset=\""
                      + name
                      + "\"})"));
      default -> Optional.empty();
    };
  }
}
