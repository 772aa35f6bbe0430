package dev.foresight.controller.history;

import dev.foresight.policy.WorkloadRef;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders each {@link SeedOutcome}: a log line (a warning when the forecaster starts fresh), {@code
 * foresight_history_rebuild_total{result}}, {@code foresight_history_points{namespace,policy}} (the
 * points the running forecaster was seeded from) and the latest outcome per workload for {@code
 * /decisions}.
 */
public final class HistoryAudit implements Consumer<SeedOutcome> {

  private static final Logger LOG = LoggerFactory.getLogger(HistoryAudit.class);

  private final Counter rebuilds;
  private final Gauge points;
  private final Map<WorkloadRef, SeedOutcome> latest = new ConcurrentHashMap<>();

  public HistoryAudit(PrometheusRegistry registry) {
    rebuilds =
        Counter.builder()
            .name("foresight_history_rebuild_total")
            .help(
                "Forecaster rebuilds from Prometheus history, by result (seeded, kept, empty,"
                    + " no_query, failed, timed_out).")
            .labelNames("result")
            .register(registry);
    for (SeedOutcome.Result r : SeedOutcome.Result.values()) {
      rebuilds.labelValues(r.label()); // every result visible at 0 from the start
    }
    points =
        Gauge.builder()
            .name("foresight_history_points")
            .help("History points (request rate) the workload's forecaster was last seeded from.")
            .labelNames("namespace", "policy")
            .register(registry);
  }

  @Override
  public void accept(SeedOutcome o) {
    rebuilds.labelValues(o.result().label()).inc();
    latest.put(o.workload(), o);
    switch (o.result()) {
      case SEEDED -> {
        points.labelValues(o.workload().namespace(), o.workload().policy()).set(o.points());
        LOG.info(
            "{}: forecaster seeded from {} history points ({} samples)",
            o.workload(),
            o.points(),
            o.samples());
      }
      case KEPT, NO_QUERY -> LOG.info("{}: history not used: {}", o.workload(), o.message());
      default ->
          LOG.warn("{}: history rebuild {}: {}", o.workload(), o.result().label(), o.message());
    }
  }

  /** The latest outcome of {@code workload}, as {@code /decisions} shows it. */
  public Optional<Map<String, Object>> describe(WorkloadRef workload) {
    SeedOutcome o = latest.get(workload);
    if (o == null) {
      return Optional.empty();
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("result", o.result().label());
    m.put("points", o.points());
    m.put("samples", o.samples());
    m.put("at", o.at().toString());
    m.put("message", o.message());
    return Optional.of(m);
  }

  /** Forgets a workload no longer governed. */
  public void remove(WorkloadRef workload) {
    latest.remove(workload);
    points.remove(workload.namespace(), workload.policy());
  }
}
