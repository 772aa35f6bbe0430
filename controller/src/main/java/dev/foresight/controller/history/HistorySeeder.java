package dev.foresight.controller.history;

import dev.foresight.controller.config.Durations;
import dev.foresight.controller.loop.EngineDecisionMaker;
import dev.foresight.controller.loop.GovernedWorkload;
import dev.foresight.controller.metrics.SignalQuery;
import dev.foresight.controller.prometheus.History;
import dev.foresight.controller.prometheus.HistoryReader;
import dev.foresight.controller.prometheus.PrometheusException;
import dev.foresight.policy.PolicyState;
import dev.foresight.policy.Signal;
import dev.foresight.policy.forecast.LoadForecaster;
import dev.foresight.policy.forecast.PredictionSpec;
import dev.foresight.policy.forecast.PredictiveState;
import dev.foresight.policy.forecast.TimedLoad;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Rebuilds workloads' load forecasters from Prometheus range queries, so that a restart or a new
 * leader does not forget the daily pattern.
 *
 * <p>For every workload whose policy has prediction enabled, the request rate (and the prompt and
 * generation token rates, when the policy reads them) is read with the workload's own queries over
 * {@code lookback} at {@code step}, resampled to the forecaster's interval ({@link
 * HistorySamples}), and replayed through {@link PredictiveState#rebuild}. The result is installed
 * through {@link EngineDecisionMaker#seed}: the rebuilt forecaster replaces the running one only
 * when it has seen more samples (a replica that has been deciding for days keeps its own), and the
 * capacity and lead-time learners already learned are kept.
 *
 * <p>Workloads are rebuilt in parallel on {@code pool}; a round ends after {@code timeout} at the
 * latest, and a workload not done by then keeps its state and is reported {@code TIMED_OUT}. A
 * failed or empty history leaves the state as it was. The loop never waits for any of this.
 */
public final class HistorySeeder {

  private final HistoryReader reader;
  private final EngineDecisionMaker maker;
  private final Duration lookback;
  private final Duration step;
  private final Duration timeout;
  private final InstantSource clock;
  private final ExecutorService pool;
  private final Consumer<SeedOutcome> report;

  /**
   * @param pool runs the workloads' range queries; bounded, it bounds the load on Prometheus
   * @param report receives every outcome, once per workload and round, when the round ends
   */
  public HistorySeeder(
      HistoryReader reader,
      EngineDecisionMaker maker,
      Duration lookback,
      Duration step,
      Duration timeout,
      InstantSource clock,
      ExecutorService pool,
      Consumer<SeedOutcome> report) {
    this.reader = reader;
    this.maker = maker;
    this.lookback = lookback;
    this.step = step;
    this.timeout = timeout;
    this.clock = clock;
    this.pool = pool;
    this.report = report;
  }

  /** Whether {@code w} is rebuilt at all: only a policy with prediction enabled forecasts. */
  public static boolean wanted(GovernedWorkload w) {
    return w.spec().prediction().enabled();
  }

  /**
   * Rebuilds every wanted workload of {@code workloads} in parallel and waits at most the timeout.
   *
   * @return one outcome per wanted workload, in the given order
   */
  public List<SeedOutcome> seed(Collection<GovernedWorkload> workloads)
      throws InterruptedException {
    List<GovernedWorkload> wanted = workloads.stream().filter(HistorySeeder::wanted).toList();
    if (wanted.isEmpty()) {
      return List.of();
    }
    // Set when the round is over: a query that returns after the timeout installs nothing.
    AtomicBoolean over = new AtomicBoolean();
    List<Callable<SeedOutcome>> tasks = new ArrayList<>();
    for (GovernedWorkload w : wanted) {
      tasks.add(() -> rebuild(w, over));
    }
    List<Future<SeedOutcome>> futures;
    try {
      futures = pool.invokeAll(tasks, timeout.toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      over.set(true);
    }
    List<SeedOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < wanted.size(); i++) {
      GovernedWorkload w = wanted.get(i);
      SeedOutcome o;
      try {
        o = futures.get(i).get();
      } catch (CancellationException e) {
        o =
            outcome(
                w,
                SeedOutcome.Result.TIMED_OUT,
                0,
                0,
                "not rebuilt within "
                    + Durations.format(timeout)
                    + "; the forecaster starts fresh");
      } catch (ExecutionException e) {
        o = outcome(w, SeedOutcome.Result.FAILED, 0, 0, String.valueOf(e.getCause()));
      }
      report.accept(o);
      outcomes.add(o);
    }
    return outcomes;
  }

  private SeedOutcome rebuild(GovernedWorkload w, AtomicBoolean over) {
    Optional<SignalQuery> requestQuery = query(w, Signal.REQUEST_RATE);
    if (requestQuery.isEmpty()) {
      return outcome(w, SeedOutcome.Result.NO_QUERY, 0, 0, "the policy reads no request_rate");
    }
    Instant end = clock.instant();
    History requests;
    Optional<History> prompt;
    Optional<History> generation;
    try {
      requests = reader.read(requestQuery.get(), end, lookback, step);
      prompt = read(w, Signal.PROMPT_TOKEN_RATE, end);
      generation = read(w, Signal.GENERATION_TOKEN_RATE, end);
    } catch (PrometheusException e) {
      return outcome(
          w, SeedOutcome.Result.FAILED, 0, 0, e.getMessage() + "; the forecaster starts fresh");
    }
    int points = requests.present();
    PredictionSpec spec = w.spec().prediction();
    List<TimedLoad> samples =
        HistorySamples.of(requests, prompt, generation, spec.sampleInterval());
    if (samples.isEmpty()) {
      return outcome(
          w,
          SeedOutcome.Result.EMPTY,
          points,
          0,
          "no request_rate point in the last "
              + Durations.format(lookback)
              + "; the forecaster starts fresh");
    }
    PredictiveState rebuilt = PredictiveState.rebuild(spec, samples);
    if (over.get()) {
      return outcome(w, SeedOutcome.Result.TIMED_OUT, points, samples.size(), "too late");
    }
    boolean[] replaced = new boolean[1];
    maker.seed(w.ref(), state -> install(state, spec, rebuilt, replaced));
    return replaced[0]
        ? outcome(
            w,
            SeedOutcome.Result.SEEDED,
            points,
            samples.size(),
            "forecaster rebuilt from " + points + " points over " + Durations.format(lookback))
        : outcome(
            w,
            SeedOutcome.Result.KEPT,
            points,
            samples.size(),
            "the running forecaster has seen at least as many samples");
  }

  /**
   * {@code state} with the rebuilt forecaster, unless its own forecaster (for the same settings)
   * has seen at least as many samples. Learned capacity and lead time are kept.
   */
  private static PolicyState install(
      PolicyState state, PredictionSpec spec, PredictiveState rebuilt, boolean[] replaced) {
    Optional<PredictiveState> running =
        state.predictive().filter(p -> p.load().settings().equals(spec.forecasterSettings()));
    if (running.isPresent() && samples(running.get().load()) >= samples(rebuilt.load())) {
      replaced[0] = false;
      return state;
    }
    replaced[0] = true;
    PredictiveState next =
        running
            .filter(
                p ->
                    p.capacity().settings().equals(spec.capacitySettings())
                        && p.leadTime().settings().equals(spec.leadTimeSettings()))
            .map(p -> new PredictiveState(rebuilt.load(), p.capacity(), p.leadTime()))
            .orElse(rebuilt);
    return state.withPredictive(next);
  }

  private static long samples(LoadForecaster f) {
    return f.requests().samples();
  }

  private Optional<History> read(GovernedWorkload w, Signal signal, Instant end)
      throws PrometheusException {
    Optional<SignalQuery> q = query(w, signal);
    if (q.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(reader.read(q.get(), end, lookback, step));
  }

  private static Optional<SignalQuery> query(GovernedWorkload w, Signal signal) {
    return Optional.ofNullable(w.queries().signals().get(signal));
  }

  private SeedOutcome outcome(
      GovernedWorkload w, SeedOutcome.Result result, int points, int samples, String message) {
    return new SeedOutcome(w.ref(), result, points, samples, clock.instant(), message);
  }
}
