package dev.foresight.scaler;

import dev.foresight.scaler.proto.GetMetricsRequest;
import dev.foresight.scaler.proto.ScaledObjectRef;

/**
 * GetMetrics requests as KEDA sends them: the ScaledObjectRef and the metric name without prefix.
 */
final class GetMetrics {
  private GetMetrics() {}

  static GetMetricsRequest of(ScaledObjectRef ref) {
    return GetMetricsRequest.newBuilder()
        .setScaledObjectRef(ref)
        .setMetricName(
            "foresight-" + ref.getNamespace() + "-" + ref.getScalerMetadataOrThrow("policy"))
        .build();
  }
}
