package dev.foresight.controller.cluster;

import dev.foresight.controller.loop.ObservationInputs;
import dev.foresight.policy.Observation;
import dev.foresight.policy.WorkloadRef;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The cluster's part of each observation: the workload's pod start-ups since its previous
 * observation ({@link ClusterState#startupDurations}), the node provisionings completed since the
 * previous tick ({@link SupplyTracker#drainProvisioning()}, drained once per tick and given to
 * every workload of that tick, since a node serves whichever workload it was made for and every
 * workload's lead-time learner wants the sample) and the workload's node supply from the latest
 * analysis.
 */
public final class ClusterInputs implements ObservationInputs {

  private final ClusterState cluster;
  private final SupplyTracker supply;
  private Instant tick;
  private List<Duration> provisionings = List.of();

  public ClusterInputs(ClusterState cluster, SupplyTracker supply) {
    this.cluster = cluster;
    this.supply = supply;
  }

  @Override
  public Observation complete(WorkloadRef workload, Observation observation) {
    return observation
        .withStartups(positive(cluster.startupDurations(workload)), provisionings(observation.at()))
        .withSupply(supply.forWorkload(workload));
  }

  /** The provisionings of the tick at {@code at}: drained on its first observation. */
  private synchronized List<Duration> provisionings(Instant at) {
    if (!at.equals(tick)) {
      tick = at;
      provisionings = positive(supply.drainProvisioning());
    }
    return provisionings;
  }

  /** The engine takes positive durations only; a zero one (clock skew) carries no information. */
  private static List<Duration> positive(List<Duration> durations) {
    return durations.stream().filter(d -> !d.isNegative() && !d.isZero()).toList();
  }
}
