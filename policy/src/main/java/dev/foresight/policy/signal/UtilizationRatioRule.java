package dev.foresight.policy.signal;

import dev.foresight.policy.Proposal;
import dev.foresight.policy.Signal;

/**
 * A per-replica mean with a target level: KV-cache usage. This is HPA's ratio rule ({@code
 * GetResourceReplicas} / {@code calcPlainMetricReplicas}).
 *
 * <pre>
 *   ratio    = meanUsage / target                                  dimensionless
 *   need     = ceil(ratio × base)                                  replicas
 *   replicas = current             if |1 − ratio| ≤ tolerance
 *              max(current, need)  if ratio &gt; 1 + tolerance
 *              min(current, need)  if ratio &lt; 1 − tolerance
 * </pre>
 *
 * where {@code base} is the ready replicas (the current count when none is ready yet). As in HPA, a
 * result that would move against the ratio's direction (possible when fewer replicas are ready than
 * desired) keeps the current count. Units: usage and target are fractions of the cache (0-1).
 * Example: usage 0.9 with target 0.75 on 4 ready: ratio 1.2, need ceil(4.8) = 5.
 */
final class UtilizationRatioRule implements SignalRule {

  static final UtilizationRatioRule INSTANCE = new UtilizationRatioRule();

  private UtilizationRatioRule() {}

  @Override
  public SignalAssessment assess(Signal signal, double value, double target, Scale scale) {
    double ratio = value / target;
    int base = scale.base();
    int need = Numbers.ceilReplicas(ratio * base);
    String ratioNumber = Numbers.text(ratio);
    String text =
        Numbers.text(value)
            + " "
            + SignalRule.valueWords(signal)
            + " / "
            + Numbers.text(target)
            + " target = ratio "
            + ratioNumber
            + "; ceil("
            + ratioNumber
            + " × "
            + base
            + " ready) = "
            + need;
    if (Math.abs(1.0 - ratio) <= scale.tolerance()) {
      return new SignalAssessment(
          new Proposal(
              signal,
              Proposal.Status.USED,
              value,
              target,
              scale.current(),
              text
                  + "; within tolerance "
                  + Numbers.text(scale.tolerance())
                  + ": keep "
                  + scale.current()),
          SignalAssessment.Kind.TOLERANCE_HOLD,
          need);
    }
    int replicas = ratio > 1 ? Math.max(scale.current(), need) : Math.min(scale.current(), need);
    if (replicas != need) {
      text += "; against the ratio's direction: keep " + scale.current();
    }
    return new SignalAssessment(
        new Proposal(signal, Proposal.Status.USED, value, target, replicas, text),
        SignalAssessment.Kind.CHANGE,
        need);
  }
}
