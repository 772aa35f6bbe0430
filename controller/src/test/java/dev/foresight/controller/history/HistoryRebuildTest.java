package dev.foresight.controller.history;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which workloads each trigger rebuilds: new ones, changed prediction settings, all on leading. */
class HistoryRebuildTest {

  private final ExecutorService pool = Executors.newFixedThreadPool(2);
  private final List<String> queried = new CopyOnWriteArrayList<>();
  private final List<WorkloadRef> forgotten = new CopyOnWriteArrayList<>();
  private HistoryRebuild rebuild;

  @AfterEach
  void stop() {
    if (rebuild != null) {
      rebuild.close();
    }
    pool.shutdownNow();
  }

  private HistoryRebuild rebuild() {
    PromQl prometheus =
        new PromQl() {
          @Override
          public QueryResult instant(String query, Instant time) {
            throw new UnsupportedOperationException();
          }

          @Override
          public QueryResult range(String query, Instant start, Instant end, Duration step) {
            queried.add(query);
            return new QueryResult.Matrix(
                List.of(
                    new QueryResult.Series(Map.of(), List.of(new QueryResult.Point(end, 1.0)))));
          }
        };
    rebuild =
        new HistoryRebuild(
            new HistorySeeder(
                new HistoryReader(prometheus),
                new EngineDecisionMaker(),
                Duration.ofHours(1),
                Duration.ofMinutes(5),
                Duration.ofSeconds(10),
                InstantSource.system(),
                pool,
                o -> {}),
            forgotten::add);
    return rebuild;
  }

  private static GovernedWorkload workload(String name, int seasonPeriod, boolean prediction) {
    PredictionSpec p =
        PredictionSpec.builder()
            .enabled(prediction)
            .season(seasonPeriod, Duration.ofMinutes(1))
            .build();
    return new GovernedWorkload(
        new WorkloadRef("llm", name, "Deployment", name),
        PolicySpec.builder().target(Signal.QUEUE, 4).maxReplicas(8).prediction(p).build(),
        WorkloadQueries.of(Map.of(Signal.REQUEST_RATE, SignalQuery.of("rps_" + name))),
        Optional.of(new GovernedWorkload.Replicas(1, 1)));
  }

  private List<String> done(Future<List<SeedOutcome>> round) throws Exception {
    if (round == null) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (SeedOutcome o : round.get(10, TimeUnit.SECONDS)) {
      names.add(o.workload().policy());
    }
    return names;
  }

  @Test
  void newAndChangedWorkloadsAreRebuiltOnceAndEveryOneOnLeading() throws Exception {
    HistoryRebuild r = rebuild();
    GovernedWorkload a = workload("a", 1440, true);
    GovernedWorkload b = workload("b", 1440, true);
    GovernedWorkload reactive = workload("reactive", 1440, false);

    assertThat(done(r.governed(List.of(a, reactive)))).containsExactly("a");
    assertThat(done(r.governed(List.of(a, reactive, b)))).containsExactly("b");
    assertThat(r.governed(List.of(a, reactive, b))).isNull(); // nothing new: no queries
    assertThat(done(r.governed(List.of(workload("a", 720, true), b)))).containsExactly("a");
    assertThat(done(r.all())).containsExactly("a", "b");
    assertThat(queried).containsExactlyInAnyOrder("rps_a", "rps_b", "rps_a", "rps_a", "rps_b");

    r.governed(List.of(b));
    assertThat(forgotten).extracting(WorkloadRef::policy).containsExactly("a");
  }
}
