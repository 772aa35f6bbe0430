package dev.foresight.controller.cluster;

import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * A pod's start-up, from the API object: created ({@code metadata.creationTimestamp}), scheduled
 * ({@code PodScheduled=True}), containers started (the latest {@code state.running.startedAt} of
 * its containers, once all run) and ready ({@code Ready=True}). Pure.
 *
 * <p>The lead-time learner consumes {@link #startup()}: ready − created, in seconds, once the pod
 * is ready. A pod that became ready again after a restart reports its latest transition, which
 * overstates its start-up; the learner's quantile absorbs the odd long sample, and a pod is read
 * only once (see {@link ClusterState#startupDurations}).
 */
public record PodTimeline(
    String namespace,
    String name,
    Instant created,
    Optional<Instant> scheduled,
    Optional<Instant> containersStarted,
    Optional<Instant> ready) {

  /** The timeline of {@code pod}. */
  public static PodTimeline of(V1Pod pod) {
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    OffsetDateTime created = pod.getMetadata().getCreationTimestamp();
    if (created == null) {
      throw new InvalidObjectException(
          "pod/" + ns + "/" + name, "metadata.creationTimestamp", "null", "a time");
    }
    List<V1PodCondition> conditions =
        pod.getStatus() == null || pod.getStatus().getConditions() == null
            ? List.of()
            : pod.getStatus().getConditions();
    return new PodTimeline(
        ns,
        name,
        created.toInstant(),
        trueSince(conditions, "PodScheduled"),
        containersStarted(pod),
        trueSince(conditions, "Ready"));
  }

  /** Ready − created, once the pod is ready. */
  public Optional<Duration> startup() {
    return ready.map(r -> Duration.between(created, r)).filter(d -> !d.isNegative());
  }

  /** True when the pod's Ready condition is True. */
  public boolean isReady() {
    return ready.isPresent();
  }

  private static Optional<Instant> trueSince(List<V1PodCondition> conditions, String type) {
    return conditions.stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst()
        .map(c -> c.getLastTransitionTime() == null ? null : c.getLastTransitionTime().toInstant());
  }

  private static Optional<Instant> containersStarted(V1Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    List<V1ContainerStatus> statuses = pod.getStatus().getContainerStatuses();
    if (statuses.isEmpty()) {
      return Optional.empty();
    }
    Instant latest = null;
    for (V1ContainerStatus s : statuses) {
      if (s.getState() == null
          || s.getState().getRunning() == null
          || s.getState().getRunning().getStartedAt() == null) {
        return Optional.empty(); // not all started yet
      }
      Instant at = s.getState().getRunning().getStartedAt().toInstant();
      latest = latest == null || at.isAfter(latest) ? at : latest;
    }
    return Optional.of(latest);
  }
}
