package dev.foresight.metricsapi;

import dev.foresight.policy.Decision;
import dev.foresight.policy.Proposal;
import dev.foresight.policy.Signal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The external metrics this server offers and how each is read from a {@link Decision}.
 *
 * <ul>
 *   <li>{@code foresight_desired_replicas}: {@link Decision#desiredReplicas()}. Used with an HPA
 *       {@code AverageValue} target of 1, HPA computes {@code ceil(value / 1)} replicas, which is
 *       exactly the desired count.
 *   <li>{@code foresight_signal_<wire name>}: the observed value of the signal, in its unit (for
 *       example {@code foresight_signal_queue}, requests waiting).
 *   <li>{@code foresight_proposal_<wire name>}: the replicas that signal alone asks for.
 * </ul>
 *
 * Signal and proposal metrics exist only for signals the workload's policy has a target for, since
 * only those appear in the decision's proposals; and they have a value only when the policy used
 * the signal in that decision (not missing, stale, NaN or out of range).
 */
public final class MetricCatalog {

  /** The metric whose value is the desired replica count. */
  public static final String DESIRED_REPLICAS = "foresight_desired_replicas";

  private static final String SIGNAL_PREFIX = "foresight_signal_";
  private static final String PROPOSAL_PREFIX = "foresight_proposal_";

  private final Map<String, Metric> metrics;

  private MetricCatalog(Map<String, Metric> metrics) {
    this.metrics = Collections.unmodifiableMap(metrics);
  }

  /** Every metric: desired replicas, then each signal's value and proposal. */
  public static MetricCatalog standard() {
    Map<String, Metric> m = new LinkedHashMap<>();
    m.put(DESIRED_REPLICAS, new Metric(DESIRED_REPLICAS, Kind.DESIRED_REPLICAS, null));
    for (Signal s : Signal.values()) {
      m.put(SIGNAL_PREFIX + s.wireName(), new Metric(SIGNAL_PREFIX + s.wireName(), Kind.SIGNAL, s));
    }
    for (Signal s : Signal.values()) {
      String name = PROPOSAL_PREFIX + s.wireName();
      m.put(name, new Metric(name, Kind.PROPOSAL, s));
    }
    return new MetricCatalog(m);
  }

  /** Metric names in discovery order. */
  public List<String> names() {
    return new ArrayList<>(metrics.keySet());
  }

  /** The metric named {@code name}, if offered. */
  public Optional<Metric> find(String name) {
    return Optional.ofNullable(metrics.get(name));
  }

  /** What a metric reports. */
  public enum Kind {
    DESIRED_REPLICAS,
    SIGNAL,
    PROPOSAL
  }

  /**
   * One offered metric.
   *
   * @param name the metric name, as in the URL and discovery
   * @param kind what it reports
   * @param signal the signal for {@link Kind#SIGNAL} and {@link Kind#PROPOSAL}, else null
   */
  public record Metric(String name, Kind kind, Signal signal) {

    /** The value of this metric in {@code decision}, or why there is none. */
    public Reading read(Decision decision) {
      if (kind == Kind.DESIRED_REPLICAS) {
        return new Reading.Value(decision.desiredReplicas());
      }
      Optional<Proposal> proposal = decision.proposal(signal);
      if (proposal.isEmpty()) {
        return new Reading.NoTarget(
            "the policy has no target for signal '" + signal.wireName() + "'");
      }
      Proposal p = proposal.get();
      if (kind == Kind.PROPOSAL) {
        return p.usable()
            ? new Reading.Value(p.replicas())
            : new Reading.Unusable(
                "signal '" + signal.wireName() + "' made no proposal: " + p.status());
      }
      // Only a value the policy used: a stale or out-of-range sample served to HPA could scale
      // the workload down on data Foresight itself refused to act on.
      return p.usable() && Double.isFinite(p.value())
          ? new Reading.Value(p.value())
          : new Reading.Unusable(
              "signal '" + signal.wireName() + "' has no usable value: " + p.status());
    }
  }

  /** The outcome of reading a metric from one decision. */
  public sealed interface Reading {
    /** A value in the metric's unit. */
    record Value(double value) implements Reading {}

    /** The policy has no target for the signal, so the decision never carries it. */
    record NoTarget(String why) implements Reading {}

    /** The signal was missing, stale or not a number in this decision. */
    record Unusable(String why) implements Reading {}
  }
}
