package dev.foresight.controller.cluster;

import dev.foresight.policy.Decision;
import dev.foresight.policy.DecisionStore;
import dev.foresight.policy.StoredDecision;
import dev.foresight.policy.WorkloadRef;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders every stored decision onto its ScalingPolicy while this replica leads: status (merge
 * patch) and rate-limited Events. It listens to the {@link DecisionStore}, so the loop needs no
 * change, and writes on its own thread, so a slow API server never delays an evaluation.
 *
 * <p>A status is written when its summary changes (desired, current, reason, any condition's
 * status) or when the last write is older than {@code refresh}, so {@code lastDecisionTime} stays
 * roughly current without a write per workload per tick. Followers only remember each workload's
 * last decision, so that Events after a handover compare against what really came before.
 *
 * <p>At most one decision per workload waits for the thread: a newer one replaces it. While the API
 * server is slow, every write takes up to its timeout and decisions arrive faster than they can be
 * written; without the replacement they would pile up for as long as the API server stays slow, and
 * all be written, outdated, when it recovers.
 */
public final class ClusterPublisher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterPublisher.class);

  private final KubernetesCluster cluster;
  private final PolicyWriter writer;
  private final PolicyEvents events;
  private final BooleanSupplier leader;
  private final Duration refresh;
  private final ExecutorService thread;
  private final AutoCloseable subscription;
  private final Map<WorkloadRef, Written> written = new HashMap<>();
  // guarded by waiting: the decision before the newest of each workload, and the one waiting
  private final Map<WorkloadRef, Decision> previous = new HashMap<>();
  private final Map<WorkloadRef, Waiting> waiting = new HashMap<>();

  private record Written(String summary, java.time.Instant at) {}

  /**
   * A decision waiting to be published, whether this replica led when it was made, the decision
   * that came right before it (what its Events compare against), and whether any decision it
   * replaced was made as a follower (so that the next term still starts with a write).
   */
  private record Waiting(
      StoredDecision decision,
      boolean leadingWhenDecided,
      Decision before,
      boolean replacedAFollowers) {}

  public ClusterPublisher(
      DecisionStore store,
      KubernetesCluster cluster,
      PolicyWriter writer,
      PolicyEvents events,
      BooleanSupplier leader,
      Duration refresh) {
    this.cluster = cluster;
    this.writer = writer;
    this.events = events;
    this.leader = leader;
    this.refresh = refresh;
    this.thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "foresight-status");
              t.setDaemon(true);
              return t;
            });
    // leadership is sampled when the decision is made and again when it is written: a decision
    // made as a follower is never written, and neither is one made before losing the Lease
    this.subscription =
        store.subscribe(
            d -> {
              boolean leading = leader.getAsBoolean();
              synchronized (waiting) {
                Decision before = previous.put(d.workload(), d.decision());
                Waiting replaced = waiting.get(d.workload());
                boolean followers =
                    replaced != null
                        && (!replaced.leadingWhenDecided() || replaced.replacedAFollowers());
                waiting.put(d.workload(), new Waiting(d, leading, before, followers));
                if (replaced != null) {
                  return; // the task already queued for this workload publishes the newer one
                }
              }
              thread.execute(() -> publishWaiting(d.workload()));
            });
  }

  private void publishWaiting(WorkloadRef ref) {
    Waiting w;
    synchronized (waiting) {
      w = waiting.remove(ref);
    }
    if (w != null) {
      if (w.replacedAFollowers()) {
        written.remove(ref); // as if the follower's decision had been seen: a new term
      }
      publish(w.decision(), w.leadingWhenDecided(), w.before());
    }
  }

  private void publish(StoredDecision stored, boolean leadingWhenDecided, Decision before) {
    WorkloadRef ref = stored.workload();
    Decision now = stored.decision();
    if (!leadingWhenDecided || !leader.getAsBoolean()) {
      written.remove(ref); // the next leader term starts with a write
      return;
    }
    Optional<PolicyResource> policy =
        cluster.policies().stream().filter(p -> p.ref().equals(ref)).findFirst();
    if (policy.isEmpty()) {
      return; // not a ScalingPolicy (e.g. a ScaledObject's inline policy), or just deleted
    }
    try {
      String summary = summary(now);
      Written last = written.get(ref);
      boolean due =
          last == null
              || !last.summary().equals(summary)
              || Duration.between(last.at(), now.at()).compareTo(refresh) >= 0;
      if (due) {
        var raw = cluster.policyObject(ref);
        if (writer.writeStatus(
            ref, PolicyStatus.of(now, policy.get().generation(), PolicyWriter.conditions(raw)))) {
          written.put(ref, new Written(summary, now.at()));
        }
      }
      String uid =
          cluster
              .policyObject(ref)
              .map(o -> Fields.string("scalingpolicy", o, "metadata.uid"))
              .orElse(null);
      for (PolicyEvents.PolicyEvent e : events.after(ref, before, now)) {
        writer.event(e, uid, now.at());
      }
    } catch (RuntimeException e) {
      LOG.warn("{}: publishing the decision failed", ref, e);
    }
  }

  private static String summary(Decision d) {
    return d.desiredReplicas()
        + "/"
        + d.currentReplicas()
        + "/"
        + d.reason()
        + "/"
        + d.active()
        + "/"
        + Objects.hash(d.guardRails());
  }

  @Override
  public void close() {
    try {
      subscription.close();
    } catch (Exception e) {
      LOG.debug("unsubscribe failed", e);
    }
    thread.shutdownNow();
  }
}
