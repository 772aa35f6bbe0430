package dev.foresight.policy.signal;

import dev.foresight.policy.Proposal;
import dev.foresight.policy.Signal;

/**
 * Totals with a per-replica target: queue (waiting requests), running requests and the rate
 * signals. This is HPA's {@code AverageValue} target on an external metric ({@code
 * GetExternalPerPodMetricReplicas}).
 *
 * <pre>
 *   need     = ceil(total / targetPerReplica)                      replicas
 *   ratio    = total / (targetPerReplica × current)                dimensionless
 *   replicas = current   if current > 0 and |1 − ratio| ≤ tolerance
 *              need      otherwise
 * </pre>
 *
 * Units: total and target share the signal's unit (requests, or per second), so need is a replica
 * count. Example: 37 waiting with a target of 4 per replica on 9 replicas: ratio = 37 / 36 = 1.03,
 * within 0.1, so 9 stay; on 5 replicas ratio = 1.85 and need = ceil(9.25) = 10.
 */
final class AverageValueRule implements SignalRule {

  static final AverageValueRule INSTANCE = new AverageValueRule();

  private AverageValueRule() {}

  @Override
  public SignalAssessment assess(Signal signal, double value, double target, Scale scale) {
    int need = Numbers.ceilReplicas(value / target);
    String valueText = Numbers.text(value);
    String targetText = Numbers.text(target);
    String words = SignalRule.valueWords(signal);
    StringBuilder text = new StringBuilder(160);
    if (scale.current() > 0) {
      double ratio = value / (target * scale.current());
      if (Math.abs(1.0 - ratio) <= scale.tolerance()) {
        text.append(valueText)
            .append(' ')
            .append(words)
            .append(" / (")
            .append(targetText)
            .append(" × ")
            .append(scale.current())
            .append(" replicas) = ")
            .append(Numbers.text(ratio))
            .append(", within tolerance ")
            .append(Numbers.text(scale.tolerance()))
            .append(": keep ")
            .append(scale.current())
            .append(" (untolerated ");
        appendNeed(text, valueText, words, targetText, need).append(')');
        return new SignalAssessment(
            used(signal, value, target, scale.current(), text.toString()),
            SignalAssessment.Kind.TOLERANCE_HOLD,
            need);
      }
    }
    appendNeed(text, valueText, words, targetText, need);
    if (scale.current() == 0) {
      text.append(" (from zero replicas)");
    }
    return new SignalAssessment(
        used(signal, value, target, need, text.toString()), SignalAssessment.Kind.CHANGE, need);
  }

  /** Appends {@code ceil(<value> <words> / <target> per replica) = <need>}. */
  private static StringBuilder appendNeed(
      StringBuilder text, String valueText, String words, String targetText, int need) {
    return text.append("ceil(")
        .append(valueText)
        .append(' ')
        .append(words)
        .append(" / ")
        .append(targetText)
        .append(" per replica) = ")
        .append(need);
  }

  private static Proposal used(
      Signal signal, double value, double target, int replicas, String text) {
    return new Proposal(signal, Proposal.Status.USED, value, target, replicas, text);
  }
}
