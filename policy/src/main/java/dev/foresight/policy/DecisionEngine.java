package dev.foresight.policy;

import dev.foresight.policy.behavior.RateLimits;
import dev.foresight.policy.behavior.Stabilization;
import dev.foresight.policy.capacity.CapacityObservation;
import dev.foresight.policy.forecast.LoadSample;
import dev.foresight.policy.forecast.PredictionSpec;
import dev.foresight.policy.forecast.PredictiveState;
import dev.foresight.policy.guard.GpuAssessment;
import dev.foresight.policy.guard.GpuGuardRails;
import dev.foresight.policy.signal.Activity;
import dev.foresight.policy.signal.Numbers;
import dev.foresight.policy.signal.SignalAssessment;
import dev.foresight.policy.signal.SignalCombination;
import dev.foresight.policy.signal.SignalProposals;
import dev.foresight.policy.supply.NodeSupply;
import dev.foresight.policy.supply.SupplyConstraint;
import dev.foresight.policy.supply.SupplyOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Turns one observation of one workload into a decision. Pure and deterministic: no I/O, no clock
 * (time is {@link Observation#at()}), no mutable fields; the policy's memory comes in as a {@link
 * PolicyState} and goes out with the {@link Decision} in an {@link Evaluation}.
 *
 * <pre>{@code
 * PolicyState state = PolicyState.initial();
 * Evaluation e = DecisionEngine.decide(spec, observation, state);
 * scaleTo(e.decision().desiredReplicas());
 * state = e.state(); // pass to the next decide() for this workload
 * }</pre>
 *
 * <p>The steps, in order:
 *
 * <ol>
 *   <li><b>Learning</b> (only with {@link PolicySpec#prediction()} enabled, acting or observe-only;
 *       the learners live in {@link PolicyState#predictive()} and start afresh when the prediction
 *       settings change). Start-ups reported in the observation teach the lead-time learner ({@link
 *       dev.foresight.policy.coldstart.LeadTimeEstimator}: p90 of recent pod start-ups, plus p90 of
 *       node provisionings when a new replica needs a new node). A fresh request rate (with the
 *       token rates, 0 when absent or stale), in requests and tokens per second, is one load sample
 *       of the forecaster ({@link dev.foresight.policy.forecast.LoadForecaster}); the same load
 *       teaches the capacity learner ({@link dev.foresight.policy.capacity.CapacityEstimator}) when
 *       the SLO was met ({@link Observation#slo()}, or judged from the latency targets) and the
 *       queue reading is fresh (the learner itself requires it short).
 *   <li><b>Prediction.</b> {@code lead = podStartup (+ nodeProvisioning when new nodes are
 *       needed)}, in seconds; new nodes are needed when {@link NodeSupply#needsNewNodes} says so
 *       for the replicas added, and are assumed needed without a {@link NodeSupply}. {@code
 *       predicted = max over request, prompt-token and generation-token rates of ceil(upper bound
 *       of the forecast at now + lead / capacity per replica)} ({@link Prediction}). {@code keep} =
 *       the same for the highest forecast within {@code lead + scaleDownMargin}. No prediction
 *       before the first load sample or when the last one is older than three sample intervals. In
 *       observe-only mode the prediction is computed and put in the decision with {@code acting =
 *       false}, and nothing below uses it.
 *   <li><b>Proposals.</b> Each targeted signal proposes a count or says why it cannot ({@link
 *       SignalProposals}: queue, running and rates {@code ceil(total / targetPerReplica)} with
 *       HPA's AverageValue tolerance; KV-cache {@code ceil(usage / target × ready)}; latency and
 *       TTFT {@code ceil(p95 / target × ready)} only above target).
 *   <li><b>Combination</b> as HPA: {@code recommended = max(usable proposals)}. No usable signal:
 *       hold the current count ({@link Reason#HOLD_NO_USABLE_SIGNAL}). Some signal unusable and the
 *       usable ones ask for fewer replicas than now: hold ({@link Reason#HOLD_PARTIAL_SIGNALS}, as
 *       Kubernetes PR #99514 restored for HPA). Holds record no recommendation, as in HPA. Latency
 *       below target defers; if only deferring latency is usable the count holds.
 *   <li><b>Zero.</b> At zero replicas with {@code minReplicas = 0}: anything waiting, running or
 *       arriving (fresh) wakes the workload to {@code min(max, max(1, recommended))} at once,
 *       bypassing stabilization and rate policies ({@link Reason#WAKE_FROM_ZERO}); otherwise it
 *       stays at zero. Above zero, it goes to zero only when {@code minReplicas = 0}, every
 *       targeted signal is usable and asks for 0, and queue, running and request rate have been
 *       delivered, fresh and exactly 0 on every observation for {@code idleBeforeScaleToZero}
 *       ({@link Reason#SCALE_TO_ZERO}; this bypasses stabilization and rate policies, as KEDA's
 *       cooldown does). Until then the floor is 1.
 *   <li><b>Guard-rails</b> ({@link GpuGuardRails}). With {@code U} unhealthy replicas (GPU with new
 *       XID errors or above the temperature limit) and {@code need} the load's count without the
 *       tolerance band: {@code recommended = max(recommended, need + U)}, so unhealthy replicas do
 *       not count as capacity: a scale-down keeps them on top of what is needed, and a replacement
 *       is added. Mean GPU utilization below {@code lowUtilizationPercent} with an empty queue on
 *       every observation for {@code max(60 s, scale-down window)} waives the tolerance band
 *       downwards ({@code recommended = max(needWithoutTolerance, need + U)}), when every signal is
 *       usable. Any GPU with free framebuffer below {@code minFramebufferFreeFraction} vetoes a
 *       scale-down ({@code recommended = current}). GPU utilization never raises the count.
 *   <li><b>Pre-scaling</b> (acting prediction only): {@code recommended = max(recommended,
 *       predicted)}; then, when that is below the current count, {@code recommended =
 *       max(recommended, min(current, keep))}: a replica the forecast needs again before a new one
 *       could be ready is not removed. The reason is {@link Reason#PREDICTIVE_SCALE_UP} when this
 *       scales up beyond the reactive recommendation, {@link Reason#HOLD_PREDICTED_LOAD} when it
 *       holds back a scale-down (unless a behavior rule or bound explains the result). A maximum
 *       never lowers, so the prediction can only raise the count above what the reactive signals
 *       need. Scale to zero also waits for {@code keep = 0}.
 *   <li><b>Stabilization</b> ({@link Stabilization}; on the very first decision the current count
 *       counts as a recommendation, as HPA seeds a new autoscaler's window), then <b>rate policies
 *       and bounds</b> ({@link RateLimits}), exactly as HPA's {@code
 *       normalizeDesiredReplicasWithBehaviors}; the count is clamped to {@code [max(minReplicas,
 *       1), maxReplicas]}. With an acting prediction and a scale-down window of 0, the scale-down
 *       window used is {@code lead + scaleDownMargin} ({@link
 *       PredictiveState#derivedScaleDownWindow}).
 *   <li><b>Node supply</b> (when the observation carries a {@link NodeSupply}): {@link
 *       SupplyConstraint} on the clamped count with the standing ask kept in {@link
 *       PolicyState#standingAsk()}: growth is held while every pending pod is covered by an
 *       in-flight node and the need has not grown ({@link Reason#HOLD_NODE_SUPPLY_IN_FLIGHT}), or
 *       capped at {@code max(current, backable)} ({@link Reason#NODE_SUPPLY_CAPPED}), both with
 *       {@link Limit#NODE_SUPPLY}. It never returns less than {@code min(count, current)}; the
 *       result is clamped to the bounds once more ({@code minReplicas} wins over supply).
 * </ol>
 *
 * <p>A hold on partial signals gives way only to an acting prediction above the current count: the
 * recommendation is then {@code max(current, predicted)} through the steps above. Holds with no
 * usable signal, waking from zero and staying at zero keep their reactive rules: the prediction is
 * computed and reported there but does not act, and node supply does not apply (a hold never grows;
 * a wake always asks for at least one replica).
 *
 * <p>{@link Decision#active()} is what KEDA's IsActive answers: true when the desired count is
 * above 0 or anything is waiting, running or arriving, and never false on missing or stale data.
 */
public final class DecisionEngine {

  /** The shortest time low GPU utilization must last before it may permit a scale-down. */
  public static final Duration MIN_LOW_UTILIZATION_SUSTAIN = Duration.ofSeconds(60);

  private DecisionEngine() {}

  /**
   * Decides the replica count for {@code observation} under {@code spec}, given the memory of
   * earlier decisions in {@code state}.
   *
   * @param spec a valid policy spec ({@link PolicySpec#problems()} empty)
   * @param observation the workload now
   * @param state the state returned by the previous decision, or {@link PolicyState#initial()}
   * @return the decision and the state for the next call
   */
  public static Evaluation decide(PolicySpec spec, Observation observation, PolicyState state) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(observation, "observation");
    Objects.requireNonNull(state, "state");
    Instant now = observation.at();
    int current = observation.currentReplicas();

    // Learning and prediction.
    PredictionSpec predictionSpec = spec.prediction();
    Optional<PredictiveState> predictive = Optional.empty();
    Optional<Prediction> prediction = Optional.empty();
    int keep = 0;
    Duration scaleDownWindow = spec.scaleDown().stabilizationWindow();
    Optional<NodeSupply> supply = observation.supply();
    if (predictionSpec.enabled()) {
      PredictiveState learned = learn(spec, observation, state.predictive());
      predictive = Optional.of(learned);
      // Does one more replica need a new node? Without supply data, assume so: a longer lead time
      // only makes the forecast look further ahead.
      boolean nodeForOne = supply.map(s -> s.needsNewNodes(1)).orElse(true);
      prediction = learned.predict(predictionSpec, now, nodeForOne);
      if (!nodeForOne
          && prediction.isPresent()
          && supply.get().needsNewNodes(prediction.get().replicas() - current)) {
        prediction = learned.predict(predictionSpec, now, true);
      }
      if (!predictionSpec.observeOnly()) {
        keep = learned.replicasNeededWithin(predictionSpec, now, nodeForOne).orElse(0);
        if (scaleDownWindow.isZero()) {
          scaleDownWindow = learned.derivedScaleDownWindow(predictionSpec, nodeForOne);
        }
      }
    }

    PolicyState memory = state.prunedFor(spec, now, scaleDownWindow);
    if (predictive.isPresent()) {
      memory = memory.withPredictive(predictive.get());
    }
    if (state.lastSeenActive().isEmpty()
        && state.recommendations().isEmpty()
        && scaleDownWindow.compareTo(Duration.ZERO) > 0) {
      // First decision for this workload: as HPA's maybeInitScaleDownStabilizationWindow, count
      // the current count as a recommendation, so that a restart with empty memory does not
      // scale down before a whole window of evidence.
      memory = memory.withRecommendation(now, current);
    }

    List<SignalAssessment> assessed = SignalProposals.assess(spec, observation);
    List<Proposal> proposals = new ArrayList<>(assessed.size());
    for (SignalAssessment a : assessed) {
      proposals.add(a.proposal());
    }
    SignalCombination signals = SignalCombination.of(assessed);
    Activity activity = Activity.of(observation.signals(), spec.maxSignalAge());
    GpuAssessment gpus = GpuGuardRails.assess(spec.guardRails(), observation.gpus());

    Instant lastSeenActive = activity == Activity.IDLE ? memory.lastSeenActive().orElse(now) : now;
    Duration idleFor = nonNegative(Duration.between(lastSeenActive, now));
    boolean lowUtilizationNow = lowUtilization(spec, observation, gpus);
    Optional<Instant> lowSince =
        lowUtilizationNow
            ? Optional.of(memory.lowUtilizationSince().orElse(now))
            : Optional.empty();
    memory = memory.withActivity(Optional.of(lastSeenActive), lowSince);

    Context ctx =
        new Context(
            spec,
            observation,
            proposals,
            signals,
            activity,
            gpus,
            idleFor,
            memory,
            prediction,
            keep,
            scaleDownWindow);

    if (current == 0 && spec.minReplicas() == 0) {
      return atZero(ctx);
    }
    if (signals.usable() == 0) {
      return hold(
          ctx,
          Reason.HOLD_NO_USABLE_SIGNAL,
          spec.targets().isEmpty() ? "no signal has a target" : "no usable signal");
    }
    int signalsAsk = signals.hasOpinion() ? signals.recommended() : current;
    boolean forecastAsksMore =
        prediction.filter(p -> p.acting() && p.replicas() > current).isPresent();
    if (!signals.unusable().isEmpty() && signalsAsk < current && forecastAsksMore) {
      // The usable signals alone would hold the count; a fresh forecast asking for more is not
      // missing data, so it may still raise the count (never lower it: the floor is current).
      signalsAsk = current;
    } else if (!signals.unusable().isEmpty() && signalsAsk < current) {
      return hold(
          ctx,
          Reason.HOLD_PARTIAL_SIGNALS,
          "usable signals ask for "
              + signalsAsk
              + " < "
              + current
              + " but not every signal is usable");
    }
    if (scaleToZeroAllowed(ctx)) {
      return scaleToZero(ctx);
    }
    Duration lowFor =
        lowSince.map(since -> nonNegative(Duration.between(since, now))).orElse(Duration.ZERO);
    return normal(ctx, signalsAsk, lowUtilizationNow && sustained(spec, lowFor), lowFor);
  }

  /** Everything one decision works from. */
  private record Context(
      PolicySpec spec,
      Observation observation,
      List<Proposal> proposals,
      SignalCombination signals,
      Activity activity,
      GpuAssessment gpus,
      Duration idleFor,
      PolicyState memory,
      Optional<Prediction> prediction,
      int keep,
      Duration scaleDownWindow) {

    int current() {
      return observation.currentReplicas();
    }

    Optional<Signal> winningSignal() {
      return signals.winner().map(a -> a.proposal().signal());
    }

    Evaluation evaluation(
        int recommended,
        int desired,
        Optional<Limit> limit,
        List<GuardRailEffect> effects,
        Reason reason,
        String message,
        PolicyState state) {
      // Outside the supply rule, a standing ask survives only while pods still wait for nodes.
      Optional<NodeSupply> supply = observation.supply();
      boolean pending = supply.isPresent() && supply.get().pendingPods() > 0;
      return settled(
          recommended,
          desired,
          limit,
          effects,
          reason,
          message,
          state.withStandingAsk(pending ? memory.standingAsk() : OptionalInt.empty()));
    }

    /** The evaluation, with {@code state}'s standing ask already set by the supply rule. */
    Evaluation settled(
        int recommended,
        int desired,
        Optional<Limit> limit,
        List<GuardRailEffect> effects,
        Reason reason,
        String message,
        PolicyState state) {
      boolean active = desired > 0 || activity != Activity.IDLE;
      Decision decision =
          new Decision(
              observation.at(),
              current(),
              observation.readyReplicas(),
              recommended,
              desired,
              proposals,
              winningSignal(),
              limit,
              effects,
              prediction,
              reason,
              message,
              active);
      return new Evaluation(decision, state);
    }
  }

  private static Evaluation atZero(Context ctx) {
    PolicySpec spec = ctx.spec();
    Instant now = ctx.observation().at();
    if (ctx.activity() == Activity.ACTIVE) {
      int asked = ctx.signals().recommended();
      int desired = Math.min(spec.maxReplicas(), Math.max(1, asked));
      Optional<Limit> limit =
          asked > spec.maxReplicas() ? Optional.of(Limit.MAX_REPLICAS) : Optional.empty();
      String message =
          "wake from zero 0 → "
              + desired
              + ": work is waiting, running or arriving"
              + winnerText(ctx)
              + (limit.isPresent() ? "; capped at maxReplicas " + spec.maxReplicas() : "")
              + unusableText(ctx);
      PolicyState next = ctx.memory().withRecommendation(now, asked).withAsk(now, 0, desired);
      return ctx.evaluation(
          asked,
          desired,
          limit,
          ctx.gpus().unhealthyEffects(),
          Reason.WAKE_FROM_ZERO,
          message,
          next);
    }
    if (ctx.activity() == Activity.IDLE) {
      return ctx.evaluation(
          0,
          0,
          Optional.empty(),
          List.of(),
          Reason.IDLE_AT_ZERO,
          "idle at zero: queue, running and request rate are 0" + unusableText(ctx),
          ctx.memory());
    }
    return ctx.evaluation(
        0,
        0,
        Optional.empty(),
        List.of(),
        Reason.HOLD_NO_USABLE_SIGNAL,
        "hold at zero: nothing fresh shows work waiting, running or arriving, but queue, running"
            + " and request rate are not all delivered, fresh and 0, so the workload is reported"
            + " active"
            + unusableText(ctx),
        ctx.memory());
  }

  private static Evaluation hold(Context ctx, Reason reason, String why) {
    PolicySpec spec = ctx.spec();
    int current = ctx.current();
    int lower = Math.max(spec.minReplicas(), 1);
    int desired = Math.min(spec.maxReplicas(), Math.max(lower, current));
    Optional<Limit> limit = Optional.empty();
    StringBuilder message = new StringBuilder();
    if (desired == current) {
      message.append("hold ").append(current).append(": ").append(why);
    } else {
      limit = Optional.of(desired > current ? Limit.MIN_REPLICAS : Limit.MAX_REPLICAS);
      reason = desired > current ? Reason.BOUNDED_MIN : Reason.BOUNDED_MAX;
      message
          .append(current)
          .append(" → ")
          .append(desired)
          .append(": ")
          .append(why)
          .append(", count held but ")
          .append(desired > current ? "raised to minReplicas " : "capped at maxReplicas ")
          .append(desired);
    }
    message.append(winnerText(ctx)).append(unusableText(ctx));
    PolicyState next = ctx.memory().withAsk(ctx.observation().at(), current, desired);
    return ctx.evaluation(
        current, desired, limit, ctx.gpus().unhealthyEffects(), reason, message.toString(), next);
  }

  private static boolean scaleToZeroAllowed(Context ctx) {
    return ctx.spec().minReplicas() == 0
        && ctx.activity() == Activity.IDLE
        && ctx.signals().unusable().isEmpty()
        && ctx.signals().recommended() == 0
        && ctx.keep() == 0
        && ctx.idleFor().compareTo(ctx.spec().idleBeforeScaleToZero()) >= 0;
  }

  private static Evaluation scaleToZero(Context ctx) {
    Instant now = ctx.observation().at();
    int current = ctx.current();
    PolicyState next = ctx.memory().withRecommendation(now, 0).withAsk(now, current, 0);
    return ctx.evaluation(
        0,
        0,
        Optional.empty(),
        ctx.gpus().unhealthyEffects(),
        Reason.SCALE_TO_ZERO,
        "scale to zero "
            + current
            + " → 0: queue, running and request rate 0 for "
            + seconds(ctx.idleFor())
            + " (idleBeforeScaleToZero "
            + seconds(ctx.spec().idleBeforeScaleToZero())
            + ") and every signal asks for 0",
        next);
  }

  private static Evaluation normal(
      Context ctx, int signalsAsk, boolean lowUtilizationSustained, Duration lowFor) {
    PolicySpec spec = ctx.spec();
    SignalCombination signals = ctx.signals();
    GpuAssessment gpus = ctx.gpus();
    Instant now = ctx.observation().at();
    int current = ctx.current();
    int lower = Math.max(spec.minReplicas(), 1);
    int upper = spec.maxReplicas();
    StringBuilder story = new StringBuilder(256);

    // Guard-rails on the recommendation.
    List<GuardRailEffect> effects = new ArrayList<>(gpus.unhealthyEffects());
    int recommended = signalsAsk;
    int unhealthy = gpus.unhealthyReplicas();
    boolean compensated = false;
    if (unhealthy > 0 && signals.hasOpinion()) {
      int withReplacements = saturatedAdd(signals.need(), unhealthy);
      story
          .append("; ")
          .append(unhealthy)
          .append(" unhealthy replica(s) ")
          .append(gpus.unhealthyPods())
          .append(" not counted as capacity: need ")
          .append(signals.need())
          .append(" + ")
          .append(unhealthy)
          .append(" = ")
          .append(withReplacements);
      if (withReplacements > recommended) {
        if (recommended < current) {
          effects.add(
              GpuGuardRails.capScaleDown(
                  gpus.unhealthyEffects().get(0).rail(), recommended, signals.need(), unhealthy));
        }
        compensated = withReplacements > current;
        recommended = withReplacements;
      }
    }
    if (lowUtilizationSustained && signals.hasOpinion() && signals.unusable().isEmpty()) {
      int permitted =
          Math.max(
              signals.needWithoutTolerance(),
              unhealthy > 0 ? saturatedAdd(signals.need(), unhealthy) : 0);
      if (permitted < recommended) {
        GuardRailEffect permit =
            GpuGuardRails.permitScaleDown(
                spec.guardRails(),
                gpus.meanUtilization().orElse(Double.NaN),
                seconds(lowFor),
                recommended,
                permitted);
        effects.add(permit);
        story.append("; ").append(permit.message());
        recommended = permitted;
      }
    }
    boolean vetoed = false;
    if (!gpus.lowHeadroom().isEmpty() && recommended < current) {
      GuardRailEffect veto =
          GpuGuardRails.vetoScaleDown(spec.guardRails(), gpus.lowHeadroom(), current, recommended);
      effects.add(veto);
      story.append("; ").append(veto.message());
      recommended = current;
      vetoed = true;
    }

    // Pre-scaling: the prediction only ever raises the recommendation.
    int reactive = recommended;
    Optional<Prediction> acting = ctx.prediction().filter(Prediction::acting);
    boolean predictiveRaise = false;
    if (acting.isPresent() && acting.get().replicas() > recommended) {
      recommended = acting.get().replicas();
      predictiveRaise = true;
      story.append("; prediction: ").append(acting.get().arithmetic());
    } else if (ctx.prediction().isPresent() && !ctx.prediction().get().acting()) {
      story.append("; prediction (observe-only) asks ").append(ctx.prediction().get().replicas());
    }
    boolean keepRaise = false;
    if (ctx.keep() > recommended && recommended < current) {
      int held = Math.min(current, ctx.keep());
      story
          .append("; the forecast needs ")
          .append(ctx.keep())
          .append(" replicas within lead time + margin, so the scale-down stops at ")
          .append(held);
      recommended = held;
      keepRaise = true;
    }

    // Behavior: stabilization, then rate policies and bounds.
    Stabilization.Stabilized stabilized =
        Stabilization.stabilize(
            spec.scaleUp().stabilizationWindow(),
            ctx.scaleDownWindow(),
            ctx.memory().recommendations(),
            now,
            current,
            recommended);
    stabilized
        .limit()
        .ifPresent(
            l ->
                story
                    .append(l == Limit.SCALE_UP_STABILIZATION ? "; scale-up" : "; scale-down")
                    .append(" stabilization window ")
                    .append(
                        seconds(
                            l == Limit.SCALE_UP_STABILIZATION
                                ? spec.scaleUp().stabilizationWindow()
                                : ctx.scaleDownWindow()))
                    .append(
                        l == Limit.SCALE_DOWN_STABILIZATION
                                && !ctx.scaleDownWindow()
                                    .equals(spec.scaleDown().stabilizationWindow())
                            ? " (lead time + margin)"
                            : "")
                    .append(l == Limit.SCALE_UP_STABILIZATION ? ": lowest" : ": highest")
                    .append(" recent recommendation ")
                    .append(stabilized.windowValue())
                    .append(" → ")
                    .append(stabilized.replicas()));
    RateLimits.Limited rated =
        RateLimits.apply(
            spec.scaleUp(),
            spec.scaleDown(),
            ctx.memory(),
            now,
            current,
            stabilized.replicas(),
            lower,
            upper);
    if (!rated.detail().isEmpty()) {
      story.append("; ").append(rated.detail());
    }
    int clamped = Math.min(upper, Math.max(lower, rated.replicas()));
    int desired = clamped;

    Optional<Limit> limit;
    if (clamped != rated.replicas()) {
      limit = Optional.of(clamped > rated.replicas() ? Limit.MIN_REPLICAS : Limit.MAX_REPLICAS);
      story
          .append("; ")
          .append(clamped > rated.replicas() ? "raised to the minimum " : "capped at maxReplicas ")
          .append(clamped);
    } else if (rated.limit().isPresent()) {
      limit = rated.limit();
    } else {
      limit = stabilized.limit();
    }
    if (limit.isPresent()
        && limit.get() == Limit.MIN_REPLICAS
        && spec.minReplicas() == 0
        && desired == 1) {
      story.append("; ").append(whyNotZero(ctx));
    }

    // Node supply, last: it only ever holds back growth.
    Optional<Reason> supplyReason = Optional.empty();
    OptionalInt standingAsk = OptionalInt.empty();
    if (ctx.observation().supply().isPresent()) {
      SupplyOutcome outcome =
          SupplyConstraint.apply(
              clamped, current, ctx.observation().supply().get(), ctx.memory().standingAsk());
      standingAsk = outcome.standingAsk();
      int supplied = Math.min(upper, Math.max(lower, outcome.replicas()));
      if (outcome.constrained() && supplied != clamped) {
        desired = supplied;
        limit = outcome.limit();
        supplyReason = outcome.reason();
        story.append("; node supply ").append(outcome.message());
        if (supplied != outcome.replicas()) {
          story.append("; raised to the minimum ").append(supplied);
        }
      }
    }

    Reason reason;
    if (supplyReason.isPresent()) {
      reason = supplyReason.get();
    } else if (limit.isPresent() && limit.get() != Limit.SCALE_UP_STABILIZATION) {
      reason =
          switch (limit.get()) {
            case MIN_REPLICAS -> Reason.BOUNDED_MIN;
            case MAX_REPLICAS -> Reason.BOUNDED_MAX;
            case SCALE_DOWN_STABILIZATION -> Reason.HOLD_STABILIZATION;
            default -> Reason.RATE_LIMITED;
          };
    } else if (predictiveRaise && desired > current && desired > reactive) {
      reason = Reason.PREDICTIVE_SCALE_UP;
    } else if ((keepRaise || predictiveRaise) && desired > reactive && desired <= current) {
      reason = Reason.HOLD_PREDICTED_LOAD;
    } else if (vetoed && desired == current) {
      reason = Reason.HOLD_GUARD_RAIL;
    } else if (compensated && desired > current) {
      reason = Reason.GUARD_RAIL_COMPENSATION;
    } else if (desired > current) {
      reason = Reason.SCALE_UP;
    } else if (desired < current) {
      reason = Reason.SCALE_DOWN;
    } else if (signals.heldByTolerance()) {
      reason = Reason.WITHIN_TOLERANCE;
      if (limit.isEmpty()) {
        limit = Optional.of(Limit.TOLERANCE);
      }
    } else {
      reason = Reason.STEADY;
    }

    String head =
        desired > current
            ? "scale up " + current + " → " + desired
            : desired < current ? "scale down " + current + " → " + desired : "hold " + current;
    String opinion =
        signals.hasOpinion()
            ? winnerText(ctx)
            : ": latency below target defers and no other signal asks for a count, so the count"
                + " holds";
    String message = head + opinion + story + unusableText(ctx);
    PolicyState next =
        ctx.memory()
            .withRecommendation(now, recommended)
            .withAsk(now, current, desired)
            .withStandingAsk(standingAsk);
    return ctx.settled(recommended, desired, limit, effects, reason, message, next);
  }

  /**
   * The learners after this observation: start-ups, one load sample, and the capacity seen with the
   * SLO met or missed. Starts afresh when the prediction settings differ from the ones learned
   * under.
   */
  private static PredictiveState learn(
      PolicySpec spec, Observation observation, Optional<PredictiveState> previous) {
    PredictionSpec ps = spec.prediction();
    PredictiveState p =
        previous
            .filter(
                s ->
                    s.leadTime().settings().equals(ps.leadTimeSettings())
                        && s.capacity().settings().equals(ps.capacitySettings())
                        && s.load().settings().equals(ps.forecasterSettings()))
            .orElseGet(() -> PredictiveState.initial(ps));
    for (Duration startup : observation.podStartups()) {
      p = p.observePodStartup(startup);
    }
    for (Duration provisioning : observation.nodeProvisionings()) {
      p = p.observeNodeProvisioning(provisioning);
    }
    Optional<LoadSample> load = load(spec, observation);
    Optional<Instant> last = p.load().lastSampleAt();
    if (load.isEmpty() || (last.isPresent() && observation.at().isBefore(last.get()))) {
      // Nothing fresh to learn from, or an observation out of order: never learn backwards.
      return p;
    }
    p = p.observeLoad(observation.at(), load.get());
    Optional<Reading> queue = fresh(spec, observation, Signal.QUEUE);
    Optional<Boolean> sloMet = sloMet(spec, observation);
    if (sloMet.isPresent() && queue.isPresent() && queue.get().value() >= 0) {
      // Misses are learned too: they are what may lower the estimate below the prior. The KV-cache
      // reading lets the learner tell a busy replica from an idle one when nothing queues.
      double kvCache =
          fresh(spec, observation, Signal.KV_CACHE)
              .map(Reading::value)
              .filter(v -> v >= 0 && v <= 1)
              .orElse(Double.NaN);
      p =
          p.observeCapacity(
              new CapacityObservation(
                  observation.readyReplicas(),
                  load.get(),
                  sloMet.get(),
                  queue.get().value(),
                  kvCache));
    }
    return p;
  }

  /** The load sample of this observation: a fresh request rate, with fresh token rates or 0. */
  private static Optional<LoadSample> load(PolicySpec spec, Observation observation) {
    Optional<Reading> requests = fresh(spec, observation, Signal.REQUEST_RATE);
    if (requests.isEmpty() || !(requests.get().value() >= 0)) {
      return Optional.empty();
    }
    return Optional.of(
        new LoadSample(
            requests.get().value(),
            rateOrZero(spec, observation, Signal.PROMPT_TOKEN_RATE),
            rateOrZero(spec, observation, Signal.GENERATION_TOKEN_RATE)));
  }

  private static double rateOrZero(PolicySpec spec, Observation observation, Signal signal) {
    return fresh(spec, observation, signal).map(Reading::value).filter(v -> v >= 0).orElse(0.0);
  }

  /** The reading of {@code signal} when delivered, finite and at most maxSignalAge old. */
  private static Optional<Reading> fresh(PolicySpec spec, Observation observation, Signal signal) {
    Reading r = observation.signals().asMap().get(signal);
    if (r == null || !Double.isFinite(r.value()) || r.age().compareTo(spec.maxSignalAge()) > 0) {
      return Optional.empty();
    }
    return Optional.of(r);
  }

  /**
   * Whether the SLO was met, when known: as reported, or, when not reported, judged by the TTFT and
   * latency p95 targets of the policy (met when every one is fresh and at or below its target,
   * missed when a fresh one is above it); empty when the policy has no such target or a reading is
   * missing or stale.
   */
  private static Optional<Boolean> sloMet(PolicySpec spec, Observation observation) {
    if (observation.slo() != SloStatus.UNKNOWN) {
      return Optional.of(observation.slo() == SloStatus.MET);
    }
    boolean judged = false;
    for (Signal latency : List.of(Signal.TTFT_P95, Signal.LATENCY_P95)) {
      Double target = spec.targets().get(latency);
      if (target == null) {
        continue;
      }
      Optional<Reading> r = fresh(spec, observation, latency);
      if (r.isEmpty()) {
        return Optional.empty();
      }
      if (r.get().value() > target) {
        return Optional.of(false);
      }
      judged = true;
    }
    return judged ? Optional.of(true) : Optional.empty();
  }

  private static String whyNotZero(Context ctx) {
    if (ctx.activity() != Activity.IDLE) {
      return "scale to zero needs queue, running and request rate delivered, fresh and 0";
    }
    if (!ctx.signals().unusable().isEmpty()) {
      return "scale to zero needs every signal usable";
    }
    if (ctx.signals().recommended() > 0) {
      return "scale to zero needs every signal to ask for 0";
    }
    return "idle for "
        + seconds(ctx.idleFor())
        + " of idleBeforeScaleToZero "
        + seconds(ctx.spec().idleBeforeScaleToZero());
  }

  private static boolean lowUtilization(
      PolicySpec spec, Observation observation, GpuAssessment gpus) {
    double threshold = spec.guardRails().lowUtilizationPercent();
    if (!(threshold > 0) || gpus.meanUtilization().isEmpty()) {
      return false;
    }
    if (!(gpus.meanUtilization().getAsDouble() < threshold)) {
      return false;
    }
    Reading queue = observation.signals().asMap().get(Signal.QUEUE);
    return queue != null && queue.value() == 0.0 && queue.age().compareTo(spec.maxSignalAge()) <= 0;
  }

  private static boolean sustained(PolicySpec spec, Duration lowFor) {
    Duration window = spec.scaleDown().stabilizationWindow();
    Duration needed =
        window.compareTo(MIN_LOW_UTILIZATION_SUSTAIN) > 0 ? window : MIN_LOW_UTILIZATION_SUSTAIN;
    return lowFor.compareTo(needed) >= 0;
  }

  private static String winnerText(Context ctx) {
    return ctx.signals()
        .winner()
        .map(
            w ->
                ": "
                    + w.proposal().signal().wireName()
                    + " asks "
                    + w.proposal().replicas()
                    + " ("
                    + w.proposal().arithmetic()
                    + ")")
        .orElse("");
  }

  private static String unusableText(Context ctx) {
    String text = ctx.signals().unusableText();
    return text.isEmpty() ? "" : "; unusable: " + text;
  }

  private static String seconds(Duration d) {
    return Numbers.text(d.toNanos() / 1e9) + "s";
  }

  private static Duration nonNegative(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }

  private static int saturatedAdd(int a, int b) {
    long sum = (long) a + b;
    return sum > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) sum;
  }
}
