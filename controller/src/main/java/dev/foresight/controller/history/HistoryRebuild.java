package dev.foresight.controller.history;

import dev.foresight.controller.loop.GovernedWorkload;
import dev.foresight.policy.WorkloadRef;
import dev.foresight.policy.forecast.PredictionSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When history is rebuilt: for every workload governed for the first time (which covers start-up,
 * in standalone and cluster mode, and a policy added later), for a workload whose prediction
 * settings changed (its old forecaster no longer applies), and for every workload on becoming
 * leader. Rounds run one after another on their own thread, so neither the loop nor the informers
 * wait for Prometheus.
 */
public final class HistoryRebuild implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HistoryRebuild.class);

  private final HistorySeeder seeder;
  private final Consumer<WorkloadRef> forget;
  private final ExecutorService rounds;
  private Map<WorkloadRef, PredictionSpec> seeded = Map.of();
  private List<GovernedWorkload> current = List.of();

  /**
   * @param forget told of a workload no longer rebuilt (no longer governed, or prediction off), so
   *     that its outcome is no longer shown
   */
  public HistoryRebuild(HistorySeeder seeder, Consumer<WorkloadRef> forget) {
    this.seeder = seeder;
    this.forget = forget;
    this.rounds =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "foresight-history");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * The governed workloads are now {@code workloads}: rebuilds those new or with new prediction
   * settings.
   *
   * @return the round started, or null when nothing was new
   */
  public synchronized Future<List<SeedOutcome>> governed(List<GovernedWorkload> workloads) {
    Map<WorkloadRef, PredictionSpec> next = new HashMap<>();
    List<GovernedWorkload> fresh = new ArrayList<>();
    for (GovernedWorkload w : workloads) {
      if (HistorySeeder.wanted(w)) {
        next.put(w.ref(), w.spec().prediction());
        if (!w.spec().prediction().equals(seeded.get(w.ref()))) {
          fresh.add(w);
        }
      }
    }
    for (WorkloadRef gone : seeded.keySet()) {
      if (!next.containsKey(gone)) {
        forget.accept(gone);
      }
    }
    seeded = next;
    current = List.copyOf(workloads);
    return fresh.isEmpty() ? null : round(fresh, "newly governed");
  }

  /** Rebuilds every governed workload (this replica just became leader). */
  public synchronized Future<List<SeedOutcome>> all() {
    return round(current, "leader");
  }

  private Future<List<SeedOutcome>> round(List<GovernedWorkload> workloads, String why) {
    return rounds.submit(
        () -> {
          LOG.info("rebuilding forecasters from history ({}): {} workloads", why, workloads.size());
          return seeder.seed(workloads);
        });
  }

  @Override
  public void close() {
    rounds.shutdownNow();
  }
}
