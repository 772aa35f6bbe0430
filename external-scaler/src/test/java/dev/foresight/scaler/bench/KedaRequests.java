package dev.foresight.scaler.bench;

import dev.foresight.scaler.proto.GetMetricsRequest;
import dev.foresight.scaler.proto.ScaledObjectRef;
import java.util.List;

/**
 * What KEDA sends for a set of ScaledObjects that name a declared policy: the {@link
 * ScaledObjectRef} of IsActive and StreamIsActive, and the GetMetrics request for the same object.
 *
 * @param refs one reference per ScaledObject
 * @param getMetrics the GetMetrics request of {@code refs[i]}, at the same index
 */
public record KedaRequests(ScaledObjectRef[] refs, GetMetricsRequest[] getMetrics) {

  /** ScaledObjects named after the policies {@code names} in {@code namespace}. */
  public static KedaRequests forPolicies(String namespace, List<String> names) {
    ScaledObjectRef[] refs = new ScaledObjectRef[names.size()];
    GetMetricsRequest[] requests = new GetMetricsRequest[names.size()];
    for (int i = 0; i < refs.length; i++) {
      String name = names.get(i);
      refs[i] =
          ScaledObjectRef.newBuilder()
              .setNamespace(namespace)
              .setName(name)
              .putScalerMetadata("scalerAddress", "foresight.foresight-system:9090")
              .putScalerMetadata("policy", name)
              .build();
      requests[i] =
          GetMetricsRequest.newBuilder()
              .setScaledObjectRef(refs[i])
              .setMetricName("foresight-" + namespace + "-" + name)
              .build();
    }
    return new KedaRequests(refs, requests);
  }

  /** How many ScaledObjects there are. */
  public int size() {
    return refs.length;
  }
}
