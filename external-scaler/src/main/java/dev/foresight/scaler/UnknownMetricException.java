package dev.foresight.scaler;

/** KEDA asked for a metric this scaler does not serve for the ScaledObject. */
public final class UnknownMetricException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public UnknownMetricException(String asked, String served) {
    super(
        "metric '"
            + asked
            + "' is not served for this ScaledObject; its metric is '"
            + served
            + "' (call GetMetricSpec again)");
  }
}
