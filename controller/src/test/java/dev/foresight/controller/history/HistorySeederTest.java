package dev.foresight.controller.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.controller.loop.EngineDecisionMaker;
import dev.foresight.controller.loop.GovernedWorkload;
import dev.foresight.controller.metrics.SignalQuery;
import dev.foresight.controller.metrics.WorkloadQueries;
import dev.foresight.controller.prometheus.HistoryReader;
import dev.foresight.controller.prometheus.PromQl;
import dev.foresight.controller.prometheus.PrometheusException;
import dev.foresight.controller.prometheus.QueryResult;
import dev.foresight.policy.PolicySpec;
import dev.foresight.policy.PolicyState;
import dev.foresight.policy.Signal;
import dev.foresight.policy.WorkloadRef;
import dev.foresight.policy.forecast.LoadForecast;
import dev.foresight.policy.forecast.PredictionSpec;
import dev.foresight.policy.forecast.PredictiveState;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The seeder against a fake {@link PromQl}: daily history, gaps, failures and timeouts. */
class HistorySeederTest {

  private static final Instant NOW = Instant.parse("2026-11-23T12:02:30Z");
  private static final Duration DAY = Duration.ofDays(1);
  private static final Duration STEP = Duration.ofMinutes(5);

  private final ExecutorService pool = Executors.newFixedThreadPool(2);
  private final EngineDecisionMaker maker = new EngineDecisionMaker();
  private final List<SeedOutcome> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final FakePromQl prometheus = new FakePromQl();

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  /** Requests per second at {@code t}: 20 ± 15 over the day, peak at 06:00 UTC. */
  private static double daily(Instant t) {
    return 20 + 15 * Math.sin(2 * Math.PI * t.getEpochSecond() / DAY.toSeconds());
  }

  private static PolicySpec predicting() {
    return PolicySpec.builder()
        .target(Signal.QUEUE, 4)
        .maxReplicas(50)
        .prediction(PredictionSpec.builder().enabled(true).build())
        .build();
  }

  private static GovernedWorkload workload(String name, PolicySpec spec, String rateQuery) {
    Map<Signal, SignalQuery> signals = new java.util.EnumMap<>(Signal.class);
    signals.put(Signal.QUEUE, SignalQuery.of("queue_" + name));
    if (rateQuery != null) {
      signals.put(Signal.REQUEST_RATE, SignalQuery.of(rateQuery));
    }
    return new GovernedWorkload(
        new WorkloadRef("llm", name, "Deployment", name),
        spec,
        WorkloadQueries.of(signals),
        Optional.of(new GovernedWorkload.Replicas(1, 1)));
  }

  private HistorySeeder seeder(Duration lookback, Duration timeout) {
    return new HistorySeeder(
        new HistoryReader(prometheus),
        maker,
        lookback,
        STEP,
        timeout,
        InstantSource.fixed(NOW),
        pool,
        reported::add);
  }

  private PolicyState stateOf(WorkloadRef ref) {
    return maker.seed(ref, s -> s); // the identity change reads the state
  }

  @Test
  void aWeekOfDailyHistorySeedsAForecasterThatKnowsTheDay() throws Exception {
    GovernedWorkload w = workload("llama", predicting(), "rps_llama");
    prometheus.answer("rps_llama", HistorySeederTest::daily);

    List<SeedOutcome> outcomes =
        seeder(Duration.ofDays(7), Duration.ofSeconds(30)).seed(List.of(w));

    assertThat(outcomes)
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.result()).isEqualTo(SeedOutcome.Result.SEEDED);
              assertThat(o.points()).isEqualTo(2016);
              // 5-minute points resampled to the forecaster's 1-minute slots: (2016 - 1) * 5 + 1
              assertThat(o.samples()).isEqualTo(10_076);
            });
    assertThat(reported).containsExactlyElementsOf(outcomes);
    PredictiveState p = stateOf(w.ref()).predictive().orElseThrow();
    assertThat(p.load().requests().seasonal()).isTrue();
    assertThat(p.load().lastSampleAt()).contains(Instant.parse("2026-11-23T12:00:00Z"));
    // Six hours ahead the sinusoid is at its trough; only a seasonal model can know that.
    Duration ahead = Duration.ofHours(6);
    LoadForecast f = p.load().forecast(ahead).orElseThrow();
    assertThat(f.requests().point())
        .isCloseTo(
            daily(Instant.parse("2026-11-23T18:00:00Z")), org.assertj.core.data.Offset.offset(3.0));
  }

  /** Seeds of the gap property: random outages never turn into zero load. */
  static Stream<Long> gapSeeds() {
    return Stream.of(1L, 7L, 42L, 2026L);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("gapSeeds")
  void gapsAreSkippedNotReadAsZero(long seed) throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    // Up to five outages of up to six hours each, anywhere in the two days.
    List<Instant[]> outages = new ArrayList<>();
    for (int i = random.nextInt(1, 6); i > 0; i--) {
      Instant from = NOW.minus(Duration.ofMinutes(random.nextLong(0, 2 * 24 * 60)));
      outages.add(new Instant[] {from, from.plus(Duration.ofMinutes(random.nextLong(5, 6 * 60)))});
    }
    prometheus.answer(
        "rps",
        t -> {
          for (Instant[] o : outages) {
            if (!t.isBefore(o[0]) && t.isBefore(o[1])) {
              return Double.NaN; // the fake leaves NaN points out, as Prometheus does
            }
          }
          return 100;
        });
    GovernedWorkload w = workload("steady", predicting(), "rps");

    SeedOutcome o = seeder(Duration.ofDays(2), Duration.ofSeconds(30)).seed(List.of(w)).get(0);

    assertThat(o.result())
        .as("seed %d", seed)
        .isIn(SeedOutcome.Result.SEEDED, SeedOutcome.Result.EMPTY);
    if (o.result() == SeedOutcome.Result.SEEDED) {
      assertThat(o.points()).isLessThan(576).isPositive();
      LoadForecast f =
          stateOf(w.ref()).predictive().orElseThrow().load().forecast(STEP).orElseThrow();
      // Every observed point was 100: had a gap been read as 0, the level would sit far below.
      assertThat(f.requests().point())
          .as("seed %d", seed)
          .isCloseTo(100, org.assertj.core.data.Offset.offset(1.0));
    }
  }

  @Test
  void aFailedQueryLeavesTheStateFreshAndSaysWhy() throws Exception {
    prometheus.fail(
        "rps_broken", new PrometheusException(PrometheusException.Kind.UNAVAILABLE, "HTTP 503"));
    prometheus.answer("rps_ok", t -> 5);
    GovernedWorkload broken = workload("broken", predicting(), "rps_broken");
    GovernedWorkload ok = workload("ok", predicting(), "rps_ok");

    List<SeedOutcome> outcomes =
        seeder(Duration.ofDays(1), Duration.ofSeconds(30)).seed(List.of(broken, ok));

    assertThat(outcomes)
        .extracting(SeedOutcome::result)
        .containsExactly(SeedOutcome.Result.FAILED, SeedOutcome.Result.SEEDED);
    assertThat(outcomes.get(0).message()).contains("HTTP 503").contains("starts fresh");
    assertThat(stateOf(broken.ref())).isEqualTo(PolicyState.initial());
  }

  @Test
  void noPointsIsEmptyAndPredictionOffOrNoRateQueryIsNotRebuilt() throws Exception {
    prometheus.answer("rps_silent", t -> Double.NaN);
    GovernedWorkload silent = workload("silent", predicting(), "rps_silent");
    GovernedWorkload noRate = workload("norate", predicting(), null);
    GovernedWorkload reactive =
        workload(
            "reactive", PolicySpec.builder().target(Signal.QUEUE, 4).maxReplicas(5).build(), "rps");

    List<SeedOutcome> outcomes =
        seeder(Duration.ofDays(1), Duration.ofSeconds(30)).seed(List.of(silent, noRate, reactive));

    assertThat(outcomes)
        .extracting(SeedOutcome::result)
        .containsExactly(SeedOutcome.Result.EMPTY, SeedOutcome.Result.NO_QUERY);
    assertThat(stateOf(silent.ref())).isEqualTo(PolicyState.initial());
    assertThat(prometheus.queried).doesNotContain("rps");
  }

  @Test
  void aSlowWorkloadTimesOutWithoutHoldingUpTheOthersOrInstallingLate() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    prometheus.answer("rps_fast", t -> 5);
    prometheus.answer("rps_slow", t -> 5);
    prometheus.block("rps_slow", release);
    GovernedWorkload slow = workload("slow", predicting(), "rps_slow");
    GovernedWorkload fast = workload("fast", predicting(), "rps_fast");

    long started = System.nanoTime();
    List<SeedOutcome> outcomes =
        seeder(Duration.ofDays(1), Duration.ofMillis(500)).seed(List.of(slow, fast));
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(took).isLessThan(Duration.ofSeconds(10));
    assertThat(outcomes)
        .extracting(SeedOutcome::result)
        .containsExactly(SeedOutcome.Result.TIMED_OUT, SeedOutcome.Result.SEEDED);
    release.countDown(); // the slow answer arrives after the round ended
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(stateOf(slow.ref())).isEqualTo(PolicyState.initial());
    assertThat(reported)
        .extracting(SeedOutcome::result)
        .containsExactlyInAnyOrder(SeedOutcome.Result.TIMED_OUT, SeedOutcome.Result.SEEDED);
  }

  @Test
  void aForecasterThatSawMoreIsKeptAndLearnedLeadTimeSurvivesASeed() throws Exception {
    prometheus.answer("rps", HistorySeederTest::daily);
    GovernedWorkload w = workload("llama", predicting(), "rps");
    seeder(Duration.ofDays(2), Duration.ofSeconds(30)).seed(List.of(w));
    long seen = stateOf(w.ref()).predictive().orElseThrow().load().requests().samples();

    SeedOutcome shorter =
        seeder(Duration.ofDays(1), Duration.ofSeconds(30)).seed(List.of(w)).get(0);
    assertThat(shorter.result()).isEqualTo(SeedOutcome.Result.KEPT);
    assertThat(stateOf(w.ref()).predictive().orElseThrow().load().requests().samples())
        .isEqualTo(seen);

    maker.seed(
        w.ref(),
        s ->
            s.withPredictive(
                s.predictive().orElseThrow().observePodStartup(Duration.ofSeconds(42))));
    Duration learned = stateOf(w.ref()).predictive().orElseThrow().leadTime(false);
    SeedOutcome longer = seeder(Duration.ofDays(3), Duration.ofSeconds(30)).seed(List.of(w)).get(0);
    assertThat(longer.result()).isEqualTo(SeedOutcome.Result.SEEDED);
    PredictiveState p = stateOf(w.ref()).predictive().orElseThrow();
    assertThat(p.load().requests().samples()).isGreaterThan(seen);
    assertThat(p.leadTime(false)).isEqualTo(learned);
  }

  /** Answers range queries from a function of time; NaN points are left out, as Prometheus does. */
  private static final class FakePromQl implements PromQl {
    private final Map<String, java.util.function.ToDoubleFunction<Instant>> series =
        new ConcurrentHashMap<>();
    private final Map<String, PrometheusException> failures = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> blocks = new ConcurrentHashMap<>();
    final List<String> queried = new java.util.concurrent.CopyOnWriteArrayList<>();

    void answer(String query, java.util.function.ToDoubleFunction<Instant> value) {
      series.put(query, value);
    }

    void fail(String query, PrometheusException e) {
      failures.put(query, e);
    }

    void block(String query, CountDownLatch until) {
      blocks.put(query, until);
    }

    @Override
    public QueryResult instant(String query, Instant time) {
      throw new UnsupportedOperationException("history reads ranges only");
    }

    @Override
    public QueryResult range(String query, Instant start, Instant end, Duration step)
        throws PrometheusException {
      queried.add(query);
      CountDownLatch block = blocks.get(query);
      if (block != null) {
        try {
          block.await(); // ignores interruption, as a blocking socket read would
        } catch (InterruptedException e) {
          try {
            block.await();
          } catch (InterruptedException again) {
            Thread.currentThread().interrupt();
          }
        }
      }
      if (failures.containsKey(query)) {
        throw failures.get(query);
      }
      java.util.function.ToDoubleFunction<Instant> f = series.getOrDefault(query, t -> Double.NaN);
      List<QueryResult.Point> points = new ArrayList<>();
      for (Instant t = start; !t.isAfter(end); t = t.plus(step)) {
        double v = f.applyAsDouble(t);
        if (!Double.isNaN(v)) {
          points.add(new QueryResult.Point(t, v));
        }
      }
      return new QueryResult.Matrix(
          points.isEmpty() ? List.of() : List.of(new QueryResult.Series(Map.of(), points)));
    }
  }
}
