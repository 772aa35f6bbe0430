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
    String words = SignalRule.valueWords(signal);
    String needText =
        "ceil("
            + Numbers.text(value)
            + " "
            + words
            + " / "
            + Numbers.text(target)
            + " per replica) = "
            + need;
    if (scale.current() == 0) {
      return new SignalAssessment(
          used(signal, value, target, need, needText + " (from zero replicas)"),
          SignalAssessment.Kind.CHANGE,
          need);
    }
    double ratio = value / (target * scale.current());
    if (Math.abs(1.0 - ratio) <= scale.tolerance()) {
      String text =
          Numbers.text(value)
              + " "
              + words
              + " / ("
              + Numbers.text(target)
              + " × "
              + scale.current()
              + " replicas) = "
              + Numbers.text(ratio)
              + ", within tolerance "
              + Numbers.text(scale.tolerance())
              + ": keep "
              + scale.current()
              + " (untolerated "
              + needText
              + ")";
      return new SignalAssessment(
          used(signal, value, target, scale.current(), text),
          SignalAssessment.Kind.TOLERANCE_HOLD,
          need);
    }
    return new SignalAssessment(
        used(signal, value, target, need, needText), SignalAssessment.Kind.CHANGE, need);
  }

  private static Proposal used(
      Signal signal, double value, double target, int replicas, String text) {
    return new Proposal(signal, Proposal.Status.USED, value, target, replicas, text);
  }
}
