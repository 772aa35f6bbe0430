package dev.foresight.policy.signal;

import dev.foresight.policy.Proposal;
import dev.foresight.policy.Signal;

/**
 * P95 latency and P95 time to first token: HPA's ratio rule, but only upwards.
 *
 * <pre>
 *   ratio    = observedP95 / targetP95                              dimensionless (both seconds)
 *   need     = ceil(ratio × base)                                   replicas
 *   replicas = max(current, need)   if ratio &gt; 1 + tolerance and current ≤ ready  (scale up)
 *              current              if ratio &gt; 1 + tolerance and current &gt; ready  (starting)
 *              current              if 1 − tolerance ≤ ratio ≤ 1 + tolerance
 *              defers (asks for 0)  if ratio &lt; 1 − tolerance
 * </pre>
 *
 * where {@code base} is the ready replicas (the current count when none is ready). Latency does not
 * fall in proportion to replicas: it has a floor set by the model (prefill and decode time), so a
 * low latency says nothing about how many replicas could go. Below the band the rule therefore
 * defers to the capacity signals (queue, KV-cache, running, rates): latency never scales below what
 * they need, and a latency-only policy holds its count. Near the target it holds, since removing a
 * replica would push it over; there it reports a need of 0, because a latency that does not fall as
 * replicas are added would otherwise ask for replacements of unhealthy replicas again and again
 * ({@code need + U} grows with the count). Example: TTFT p95 1.2 s with target 0.8 s on 4 ready:
 * ratio 1.5, need ceil(6) = 6.
 *
 * <p>While replicas are still starting ({@code current > ready}) the rule asks for no more than the
 * current count, with a need of 0: the pressure is already being answered. A p95 is measured over a
 * window of requests that queued behind the old fleet, so it stays high until the new replicas are
 * Ready and have drained the backlog; asking {@code ceil(ratio × ready)} again on every evaluation
 * meanwhile compounds one overload into several rounds of scale-up (each counted on a fleet that is
 * already growing). Once every replica is Ready a latency still above target asks again, as HPA
 * would. The capacity signals (queue, running, KV cache, rates) are not held: load that grows while
 * replicas start still scales up through them. Example: TTFT p95 3 s with target 1 s, 6 current of
 * which 4 ready: {@code ceil(3 × 4) = 12} is not asked for; keep 6.
 */
final class LatencyRule implements SignalRule {

  static final LatencyRule INSTANCE = new LatencyRule();

  private LatencyRule() {}

  @Override
  public SignalAssessment assess(Signal signal, double value, double target, Scale scale) {
    double ratio = value / target;
    int base = scale.base();
    int need = Numbers.ceilReplicas(ratio * base);
    String ratioNumber = Numbers.text(ratio);
    String ratioText =
        Numbers.text(value)
            + SignalRule.valueWords(signal)
            + " / "
            + Numbers.text(target)
            + " s target = ratio "
            + ratioNumber;
    if (ratio > 1.0 + scale.tolerance()) {
      int starting = scale.current() - scale.ready();
      if (starting > 0 && need > scale.current()) {
        return new SignalAssessment(
            new Proposal(
                signal,
                Proposal.Status.USED,
                value,
                target,
                scale.current(),
                ratioText
                    + "; ceil("
                    + ratioNumber
                    + " × "
                    + base
                    + " ready) = "
                    + need
                    + ", but "
                    + starting
                    + " replica(s) still starting answer it: keep "
                    + scale.current()),
            SignalAssessment.Kind.CHANGE,
            0);
      }
      int replicas = Math.max(scale.current(), need);
      String text = ratioText + "; ceil(" + ratioNumber + " × " + base + " ready) = " + need;
      if (replicas != need) {
        text += "; below the current count: keep " + scale.current();
      }
      return new SignalAssessment(
          new Proposal(signal, Proposal.Status.USED, value, target, replicas, text),
          SignalAssessment.Kind.CHANGE,
          need);
    }
    if (ratio >= 1.0 - scale.tolerance()) {
      return new SignalAssessment(
          new Proposal(
              signal,
              Proposal.Status.USED,
              value,
              target,
              scale.current(),
              ratioText
                  + ", within tolerance "
                  + Numbers.text(scale.tolerance())
                  + ": keep "
                  + scale.current()),
          SignalAssessment.Kind.TOLERANCE_HOLD,
          0);
    }
    return defers(signal, value, target, ratioText + ", below target: no latency pressure");
  }

  /** A latency proposal that asks for nothing and leaves the count to the capacity signals. */
  static SignalAssessment defers(Signal signal, double value, double target, String why) {
    return new SignalAssessment(
        new Proposal(
            signal, Proposal.Status.USED, value, target, 0, why + ", defers to the other signals"),
        SignalAssessment.Kind.DEFERS,
        0);
  }
}
