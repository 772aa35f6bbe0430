package dev.foresight.controller.cluster;

import dev.foresight.controller.config.InvalidConfigException;
import dev.foresight.controller.config.Problem;
import dev.foresight.policy.WorkloadRef;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Tells the owner of a ScalingPolicy that cannot be governed why, where they look: while this
 * replica leads, the policy's status gets {@code Ready=False} with reason {@code InvalidSpec} and a
 * message naming every bad field, and a Warning Event with the same reason and message.
 *
 * <p>Each rejection (policy, generation, message) is written once per leadership term: a new leader
 * writes the rejections that already exist, and a fixed policy's next decision replaces the status
 * through {@link ClusterPublisher}. A failed write is tried again on the next {@link #publish()}.
 */
public final class InvalidPolicies {

  /** The reason of the condition and the Event. */
  public static final String REASON = "InvalidSpec";

  /**
   * One ScalingPolicy that cannot be governed.
   *
   * @param policy the resource as read
   * @param message every problem, with its field
   */
  public record Rejection(PolicyResource policy, String message) {

    /** The rejection of {@code policy} for the problems of {@code e}. */
    public static Rejection of(PolicyResource policy, InvalidConfigException e) {
      return new Rejection(
          policy, e.problems().stream().map(Problem::toString).collect(Collectors.joining("; ")));
    }
  }

  private final KubernetesCluster cluster;
  private final PolicyWriter writer;
  private final BooleanSupplier leader;
  private final InstantSource clock;
  private List<Rejection> current = List.of();
  private final Set<Rejection> written = new HashSet<>();

  public InvalidPolicies(
      KubernetesCluster cluster, PolicyWriter writer, BooleanSupplier leader, InstantSource clock) {
    this.cluster = cluster;
    this.writer = writer;
    this.leader = leader;
    this.clock = clock;
  }

  /** The policies rejected now (every one, replacing the previous list); publishes them. */
  public synchronized void rejected(List<Rejection> rejections) {
    current = List.copyOf(rejections);
    written.retainAll(current);
    publish();
  }

  /** Writes the rejections not yet written in this leadership term; nothing as a follower. */
  public synchronized void publish() {
    if (!leader.getAsBoolean()) {
      written.clear(); // the next term writes again
      return;
    }
    for (Rejection r : current) {
      if (written.contains(r)) {
        continue;
      }
      WorkloadRef ref = r.policy().ref();
      Instant now = clock.instant();
      var raw = cluster.policyObject(ref);
      Map<String, Object> status =
          PolicyStatus.invalid(
              r.message(), now, r.policy().generation(), PolicyWriter.conditions(raw));
      if (writer.writeStatus(ref, status)) {
        written.add(r);
        String uid = raw.map(o -> Fields.string("scalingpolicy", o, "metadata.uid")).orElse(null);
        writer.event(new PolicyEvents.PolicyEvent(ref, "Warning", REASON, r.message()), uid, now);
      }
    }
  }
}
