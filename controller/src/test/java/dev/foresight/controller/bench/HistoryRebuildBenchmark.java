package dev.foresight.controller.bench;

import dev.foresight.controller.history.HistorySeeder;
import dev.foresight.controller.history.SeedOutcome;
import dev.foresight.controller.loop.EngineDecisionMaker;
import dev.foresight.controller.loop.GovernedWorkload;
import dev.foresight.controller.metrics.SignalQuery;
import dev.foresight.controller.metrics.WorkloadQueries;
import dev.foresight.controller.prometheus.HistoryReader;
import dev.foresight.controller.prometheus.PromQl;
import dev.foresight.controller.prometheus.QueryResult;
import dev.foresight.policy.PolicySpec;
import dev.foresight.policy.Signal;
import dev.foresight.policy.WorkloadRef;
import dev.foresight.policy.forecast.PredictionSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * CPU cost of rebuilding forecasters from history, without Prometheus: N workloads (default 100),
 * each with a week of 5-minute request-rate points (2,016) answered from memory, resampled to the
 * default 1-minute forecaster and replayed, on the controller's pool of 4. Prints the wall time of
 * each round and the time per workload; the first rounds warm the JIT.
 *
 * <pre>
 * ./mvnw -q -pl controller -am package -DskipTests
 * java -cp controller/target/test-classes:controller/target/foresight.jar \
 *     dev.foresight.controller.bench.HistoryRebuildBenchmark 100 5
 * </pre>
 */
public final class HistoryRebuildBenchmark {

  private HistoryRebuildBenchmark() {}

  public static void main(String[] args) throws Exception {
    int workloads = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    PromQl memory =
        new PromQl() {
          @Override
          public QueryResult instant(String query, Instant time) {
            throw new UnsupportedOperationException();
          }

          @Override
          public QueryResult range(String query, Instant start, Instant end, Duration step) {
            List<QueryResult.Point> points = new ArrayList<>();
            for (Instant t = start; !t.isAfter(end); t = t.plus(step)) {
              points.add(
                  new QueryResult.Point(
                      t, 20 + 15 * Math.sin(2 * Math.PI * t.getEpochSecond() / 86_400.0)));
            }
            return new QueryResult.Matrix(List.of(new QueryResult.Series(Map.of(), points)));
          }
        };
    PolicySpec spec =
        PolicySpec.builder()
            .target(Signal.QUEUE, 4)
            .maxReplicas(50)
            .prediction(PredictionSpec.builder().enabled(true).build())
            .build();
    List<GovernedWorkload> all = new ArrayList<>();
    for (int i = 0; i < workloads; i++) {
      all.add(
          new GovernedWorkload(
              new WorkloadRef("bench", "w" + i, "Deployment", "w" + i),
              spec,
              WorkloadQueries.of(Map.of(Signal.REQUEST_RATE, SignalQuery.of("rps" + i))),
              Optional.of(new GovernedWorkload.Replicas(1, 1))));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int r = 1; r <= rounds; r++) {
        // A fresh engine per round, so every round really replaces the forecasters.
        HistorySeeder seeder =
            new HistorySeeder(
                new HistoryReader(memory),
                new EngineDecisionMaker(),
                Duration.ofDays(7),
                Duration.ofMinutes(5),
                Duration.ofMinutes(10),
                InstantSource.system(),
                pool,
                o -> {});
        long t0 = System.nanoTime();
        List<SeedOutcome> outcomes = seeder.seed(all);
        double ms = (System.nanoTime() - t0) / 1e6;
        long seeded =
            outcomes.stream().filter(o -> o.result() == SeedOutcome.Result.SEEDED).count();
        System.out.printf(
            "round %d: %d workloads seeded (%d samples each) in %.0f ms, %.1f ms per workload%n",
            r, seeded, outcomes.get(0).samples(), ms, ms / workloads);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
