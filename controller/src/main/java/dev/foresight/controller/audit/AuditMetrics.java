package dev.foresight.controller.audit;

import dev.foresight.controller.metrics.SignalRead;
import dev.foresight.policy.Decision;
import dev.foresight.policy.GuardRailEffect;
import dev.foresight.policy.Proposal;
import dev.foresight.policy.WorkloadRef;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The decision audit as Prometheus metrics, rendered from each {@link AuditRecord}. Every
 * per-workload series carries {@code namespace} and {@code policy}; a series that no longer applies
 * (an old reason, a signal that stopped proposing, a guard-rail that released) is removed rather
 * than left at a stale value.
 *
 * <ul>
 *   <li>{@code foresight_desired_replicas}, {@code foresight_current_replicas}, {@code
 *       foresight_ready_replicas}, {@code foresight_recommended_replicas}
 *   <li>{@code foresight_signal_value{signal,unit}}, {@code foresight_signal_target{signal,unit}},
 *       {@code foresight_signal_proposed_replicas{signal}}, {@code
 *       foresight_signal_status{signal,status}} (1 for the current status), {@code
 *       foresight_signal_age_seconds{signal}}
 *   <li>{@code foresight_decision_reason{reason,winning_signal,limit}} (1 for the current reason),
 *       {@code foresight_decision_active}, {@code foresight_decision_timestamp_seconds}
 *   <li>{@code foresight_guard_rails_active{rail,effect}} (subjects affected)
 *   <li>{@code foresight_forecast_requests_per_second{bound="point"|"upper"}}, {@code
 *       foresight_lead_time_seconds}, {@code foresight_capacity_per_replica_requests_per_second}
 *   <li>{@code foresight_errors_total{type}}, {@code foresight_loop_duration_seconds}
 * </ul>
 */
public final class AuditMetrics {

  private static final String NS = "namespace";
  private static final String POLICY = "policy";

  private final Gauge desired;
  private final Gauge current;
  private final Gauge ready;
  private final Gauge recommended;
  private final Gauge signalValue;
  private final Gauge signalTarget;
  private final Gauge signalProposal;
  private final Gauge signalStatus;
  private final Gauge signalAge;
  private final Gauge reason;
  private final Gauge active;
  private final Gauge decidedAt;
  private final Gauge guardRails;
  private final Gauge forecast;
  private final Gauge leadTime;
  private final Gauge capacity;
  private final Counter errors;
  private final Histogram loopDuration;
  private final Map<WorkloadRef, Writes> written = new HashMap<>();

  public AuditMetrics(PrometheusRegistry registry) {
    desired = gauge(registry, "foresight_desired_replicas", "Replicas the decision asks for.");
    current =
        gauge(
            registry,
            "foresight_current_replicas",
            "Replicas desired on the target when observed.");
    ready = gauge(registry, "foresight_ready_replicas", "Replicas Ready when observed.");
    recommended =
        gauge(
            registry,
            "foresight_recommended_replicas",
            "Replicas the signals, guard-rails and forecast asked for, before behavior and bounds.");
    signalValue =
        gauge(
            registry,
            "foresight_signal_value",
            "Observed value of a signal, in its unit.",
            "signal",
            "unit");
    signalTarget =
        gauge(
            registry,
            "foresight_signal_target",
            "Configured per-replica target of a signal.",
            "signal",
            "unit");
    signalProposal =
        gauge(
            registry,
            "foresight_signal_proposed_replicas",
            "Replicas a usable signal proposed.",
            "signal");
    signalStatus =
        gauge(
            registry,
            "foresight_signal_status",
            "1 for the status of a signal in the latest decision (USED, MISSING, STALE, NAN, ...).",
            "signal",
            "status");
    signalAge =
        gauge(
            registry,
            "foresight_signal_age_seconds",
            "Age of the newest raw sample behind a signal when it was read.",
            "signal");
    reason =
        gauge(
            registry,
            "foresight_decision_reason",
            "1 for the reason of the latest decision, with the winning signal and the limit that applied.",
            "reason",
            "winning_signal",
            "limit");
    active =
        gauge(
            registry,
            "foresight_decision_active",
            "1 when the workload is active (KEDA IsActive).");
    decidedAt =
        gauge(
            registry,
            "foresight_decision_timestamp_seconds",
            "Observation time of the latest decision, seconds since the epoch.");
    guardRails =
        gauge(
            registry,
            "foresight_guard_rails_active",
            "Subjects a DCGM guard-rail affected in the latest decision.",
            "rail",
            "effect");
    forecast =
        gauge(
            registry,
            "foresight_forecast_requests_per_second",
            "Forecast request rate one lead time ahead: point and upper bound.",
            "bound");
    leadTime =
        gauge(registry, "foresight_lead_time_seconds", "Lead time the forecast looks ahead.");
    capacity =
        gauge(
            registry,
            "foresight_capacity_per_replica_requests_per_second",
            "Requests per second one replica sustains within the SLO.");
    errors =
        Counter.builder()
            .name("foresight_errors_total")
            .help("Evaluation errors by type.")
            .labelNames(NS, POLICY, "type")
            .register(registry);
    loopDuration =
        Histogram.builder()
            .name("foresight_loop_duration_seconds")
            .help("Wall time of one loop tick over every workload.")
            .classicOnly()
            .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
            .register(registry);
  }

  private static Gauge gauge(PrometheusRegistry r, String name, String help, String... labels) {
    String[] all = new String[labels.length + 2];
    all[0] = NS;
    all[1] = POLICY;
    System.arraycopy(labels, 0, all, 2, labels.length);
    return Gauge.builder().name(name).help(help).labelNames(all).register(r);
  }

  /**
   * Renders {@code r}: sets its workload's series and removes those of the previous record that no
   * longer apply. Series are tracked per workload, so one record costs time in proportion to its
   * own series, not to every workload's.
   */
  public synchronized void record(AuditRecord r) {
    WorkloadRef w = r.workload();
    String ns = w.namespace();
    String p = w.policy();
    Decision d = r.decision();
    Writes now = new Writes();
    now.set(desired, d.desiredReplicas(), ns, p);
    now.set(current, d.currentReplicas(), ns, p);
    now.set(ready, d.readyReplicas(), ns, p);
    now.set(recommended, d.recommendedReplicas(), ns, p);
    now.set(active, d.active() ? 1 : 0, ns, p);
    now.set(decidedAt, d.at().toEpochMilli() / 1000.0, ns, p);
    for (Proposal prop : d.proposals()) {
      String s = prop.signal().wireName();
      String unit = prop.signal().unit();
      if (Double.isFinite(prop.value())) {
        now.set(signalValue, prop.value(), ns, p, s, unit);
      }
      if (Double.isFinite(prop.target())) {
        now.set(signalTarget, prop.target(), ns, p, s, unit);
      }
      if (prop.usable()) {
        now.set(signalProposal, prop.replicas(), ns, p, s);
      }
      now.set(signalStatus, 1, ns, p, s, prop.status().name());
    }
    for (SignalRead read : r.reads()) {
      if (read.outcome().delivers()) {
        now.set(signalAge, read.age().toMillis() / 1000.0, ns, p, read.signal().wireName());
      }
    }
    now.set(
        reason,
        1,
        ns,
        p,
        d.reason().name(),
        d.winningSignal().map(s -> s.wireName()).orElse(""),
        d.limit().map(Enum::name).orElse(""));
    Map<String, Integer> rails = new TreeMap<>();
    for (GuardRailEffect g : d.guardRails()) {
      rails.merge(g.rail().name() + "\u0000" + g.effect().name(), 1, Integer::sum);
    }
    rails.forEach(
        (key, count) -> {
          String[] re = key.split("\u0000");
          now.set(guardRails, count, ns, p, re[0], re[1]);
        });
    d.prediction()
        .ifPresent(
            pr -> {
              now.set(forecast, pr.pointRequestRate(), ns, p, "point");
              now.set(forecast, pr.upperRequestRate(), ns, p, "upper");
              now.set(leadTime, pr.horizon().toMillis() / 1000.0, ns, p);
              now.set(capacity, pr.capacityPerReplica(), ns, p);
            });
    now.apply(written.put(w, now));
  }

  /**
   * The series one record writes, in order, to remove the ones the next record does not write.
   * Usually a workload writes the same series every tick with new values: then the data points of
   * the previous record are reused, which skips the label lookups and the removal pass.
   */
  private static final class Writes {
    private final List<Gauge> gauges = new ArrayList<>(24);
    private final List<String[]> labels = new ArrayList<>(24);
    private double[] values = new double[24];
    private GaugeDataPoint[] points;

    void set(Gauge g, double value, String... labelValues) {
      int i = gauges.size();
      if (i == values.length) {
        values = Arrays.copyOf(values, i * 2);
      }
      gauges.add(g);
      labels.add(labelValues);
      values[i] = value;
    }

    /** Writes the values and removes the series of {@code before} (may be null) not written now. */
    void apply(Writes before) {
      int n = gauges.size();
      if (before != null && sameSeries(before)) {
        points = before.points;
        for (int i = 0; i < n; i++) {
          points[i].set(values[i]);
        }
        return;
      }
      points = new GaugeDataPoint[n];
      for (int i = 0; i < n; i++) {
        points[i] = gauges.get(i).labelValues(labels.get(i));
        points[i].set(values[i]);
      }
      if (before != null) {
        before.removeAllBut(this);
      }
    }

    private boolean sameSeries(Writes other) {
      if (other.gauges.size() != gauges.size()) {
        return false;
      }
      for (int i = 0; i < gauges.size(); i++) {
        if (other.gauges.get(i) != gauges.get(i)
            || !Arrays.equals(other.labels.get(i), labels.get(i))) {
          return false;
        }
      }
      return true;
    }

    void removeAllBut(Writes kept) {
      Map<Gauge, Set<List<String>>> keep = new IdentityHashMap<>();
      for (int i = 0; i < kept.gauges.size(); i++) {
        keep.computeIfAbsent(kept.gauges.get(i), k -> new HashSet<>())
            .add(List.of(kept.labels.get(i)));
      }
      for (int i = 0; i < gauges.size(); i++) {
        Gauge g = gauges.get(i);
        if (!keep.getOrDefault(g, Set.of()).contains(List.of(labels.get(i)))) {
          g.remove(labels.get(i));
        }
      }
    }
  }

  /** Counts one error of {@code type} for {@code workload}. */
  public void error(WorkloadRef workload, ErrorType type) {
    errors.labelValues(workload.namespace(), workload.policy(), type.label()).inc();
  }

  /** Errors of {@code type} counted for {@code workload} so far. */
  public double errors(WorkloadRef workload, ErrorType type) {
    return errors.labelValues(workload.namespace(), workload.policy(), type.label()).get();
  }

  /** Observes one loop tick's wall time. */
  public void loopDuration(Duration d) {
    loopDuration.observe(d.toNanos() / 1e9);
  }

  /** Removes every series of {@code workload} (its policy was deleted). */
  public synchronized void remove(WorkloadRef workload) {
    Writes last = written.remove(workload);
    if (last != null) {
      last.removeAllBut(new Writes());
    }
    errors.removeIf(
        l -> l.get(0).equals(workload.namespace()) && l.get(1).equals(workload.policy()));
  }
}
