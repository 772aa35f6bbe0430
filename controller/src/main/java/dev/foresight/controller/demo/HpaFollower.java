package dev.foresight.controller.demo;

/**
 * What the Kubernetes HPA does with Foresight's metric under an {@code AverageValue} target of 1:
 * the metric is the desired replica count, so {@code ratio = metric / (target · current)} and the
 * HPA scales to {@code ceil(metric / target)} unless the ratio is within its tolerance of 1
 * (default 0.1), in which case it keeps the current count. With no metric (no decision yet, or a
 * stale one) it keeps the current count too.
 */
public final class HpaFollower {
  /** The HPA controller's default {@code --horizontal-pod-autoscaler-tolerance}. */
  public static final double DEFAULT_TOLERANCE = 0.1;

  private HpaFollower() {}

  /**
   * @param current replicas the target has now
   * @param metric the external metric's value, NaN when there is none
   * @param tolerance the HPA's tolerance, 0 to below 1
   * @return the replica count the HPA sets
   */
  public static int next(int current, double metric, double tolerance) {
    if (Double.isNaN(metric) || metric < 0) {
      return current;
    }
    if (current > 0) {
      double ratio = metric / current;
      if (Math.abs(ratio - 1) <= tolerance) {
        return current;
      }
    }
    return (int) Math.ceil(metric);
  }
}
