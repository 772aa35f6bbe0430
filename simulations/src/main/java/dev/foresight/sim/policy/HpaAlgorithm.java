package dev.foresight.sim.policy;

import java.util.OptionalInt;

/**
 * The replica arithmetic of the Kubernetes Horizontal Pod Autoscaler ({@code
 * pkg/controller/podautoscaler/replica_calculator.go}), for the metric types the baselines use.
 * Pure functions of plain values.
 */
public final class HpaAlgorithm {
  /** HPA's default tolerance ({@code --horizontal-pod-autoscaler-tolerance}). */
  public static final double DEFAULT_TOLERANCE = 0.1;

  private HpaAlgorithm() {}

  /**
   * A Pods metric (or a non-CPU Resource metric) with an average target, as {@code
   * calcPlainMetricReplicas} computes it:
   *
   * <pre>
   *   ratio = mean(podValues) / target
   *   |1 − ratio| ≤ tolerance            → currentReplicas
   *   otherwise                          → ceil(ratio · podsWithMetrics)
   * </pre>
   *
   * When some Running pods have no metric ({@code missingPods}), they are counted at the target on
   * a scale-down and at 0 on a scale-up, the ratio is recomputed over all pods, and the count holds
   * if that flips the direction or lands within the tolerance. Pending pods are not passed at all
   * (HPA ignores them).
   *
   * @param currentReplicas the target's current replica count
   * @param podValues the metric of each pod that has one
   * @param missingPods Running pods without a metric
   * @param target the average value per pod the HPA aims for
   * @param tolerance HPA tolerance
   * @return the proposed count, or empty when no pod has a metric (HPA then keeps the count)
   */
  public static OptionalInt plainMetricReplicas(
      int currentReplicas, double[] podValues, int missingPods, double target, double tolerance) {
    if (podValues.length == 0) {
      return OptionalInt.empty();
    }
    double sum = 0;
    for (double v : podValues) {
      sum += v;
    }
    double ratio = sum / podValues.length / target;
    if (missingPods == 0) {
      if (Math.abs(1.0 - ratio) <= tolerance) {
        return OptionalInt.of(currentReplicas);
      }
      return OptionalInt.of((int) Math.ceil(ratio * podValues.length));
    }
    double assumed = ratio < 1.0 ? target : 0;
    int pods = podValues.length + missingPods;
    double newRatio = (sum + assumed * missingPods) / pods / target;
    if (Math.abs(1.0 - newRatio) <= tolerance
        || (ratio < 1.0 && newRatio > 1.0)
        || (ratio > 1.0 && newRatio < 1.0)) {
      return OptionalInt.of(currentReplicas);
    }
    int proposed = (int) Math.ceil(newRatio * pods);
    if ((newRatio < 1.0 && proposed > currentReplicas)
        || (newRatio > 1.0 && proposed < currentReplicas)) {
      return OptionalInt.of(currentReplicas);
    }
    return OptionalInt.of(proposed);
  }

  /**
   * An External metric with an {@code AverageValue} target, as {@code
   * GetExternalPerPodMetricReplicas} computes it (KEDA's triggers reach the HPA this way):
   *
   * <pre>
   *   ratio = usage / (targetPerPod · currentReplicas)
   *   |1 − ratio| ≤ tolerance            → currentReplicas
   *   otherwise                          → ceil(usage / targetPerPod)
   * </pre>
   *
   * @param currentReplicas the target's current replica count
   * @param usage the metric's value (summed over its series)
   * @param targetPerPod the {@code averageValue} target
   * @param tolerance HPA tolerance
   */
  public static int externalPerPodReplicas(
      int currentReplicas, double usage, double targetPerPod, double tolerance) {
    double ratio = usage / (targetPerPod * currentReplicas);
    if (Math.abs(1.0 - ratio) > tolerance) {
      return (int) Math.ceil(usage / targetPerPod);
    }
    return currentReplicas;
  }
}
