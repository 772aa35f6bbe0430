package dev.foresight.controller.cluster;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.foresight.policy.WorkloadRef;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1EventSource;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import io.kubernetes.client.util.PatchUtils;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's writes on a ScalingPolicy: its {@code status} as a JSON merge patch of the status
 * subresource ({@link KubernetesAccess#SCALING_POLICY_STATUS}) and Events ({@link
 * KubernetesAccess#EVENTS_WRITE}). A failed write is logged and retried on the next decision; it
 * never affects the decision itself.
 */
public final class PolicyWriter {

  private static final Logger LOG = LoggerFactory.getLogger(PolicyWriter.class);

  /** {@code source.component} of the Events. */
  public static final String COMPONENT = "foresight";

  private final ApiClient client;
  private final String instance;

  /**
   * @param instance this replica's identity ({@code reportingInstance} of its Events)
   */
  public PolicyWriter(ApiClient client, String instance) {
    this.client = client;
    this.instance = instance;
  }

  /** Merge-patches {@code status}; true when the API server accepted it. */
  public boolean writeStatus(WorkloadRef ref, Map<String, Object> status) {
    try {
      PatchUtils.patch(
          Object.class,
          () ->
              new CustomObjectsApi(client)
                  .patchNamespacedCustomObjectStatus(
                      KubernetesAccess.FORESIGHT_GROUP,
                      KubernetesCluster.POLICY_VERSION,
                      ref.namespace(),
                      "scalingpolicies",
                      ref.policy(),
                      Map.of("status", status))
                  .buildCall(null),
          V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
          client);
      return true;
    } catch (ApiException e) {
      LOG.warn("{}: status write failed: HTTP {}", ref, e.getCode());
      return false;
    }
  }

  /** Creates one Event on the ScalingPolicy; true when created. */
  public boolean event(PolicyEvents.PolicyEvent e, String policyUid, Instant at) {
    WorkloadRef ref = e.policy();
    CoreV1Event body =
        new CoreV1Event()
            .metadata(
                new V1ObjectMeta()
                    .namespace(ref.namespace())
                    .name(ref.policy() + "." + UUID.randomUUID().toString().substring(0, 8)))
            .involvedObject(
                new V1ObjectReference()
                    .apiVersion(
                        KubernetesAccess.FORESIGHT_GROUP + "/" + KubernetesCluster.POLICY_VERSION)
                    .kind("ScalingPolicy")
                    .namespace(ref.namespace())
                    .name(ref.policy())
                    .uid(policyUid))
            .type(e.type())
            .reason(e.reason())
            .message(e.message())
            .count(1)
            .firstTimestamp(at.atOffset(ZoneOffset.UTC))
            .lastTimestamp(at.atOffset(ZoneOffset.UTC))
            .source(new V1EventSource().component(COMPONENT))
            .reportingComponent(COMPONENT)
            .reportingInstance(instance);
    try {
      new CoreV1Api(client).createNamespacedEvent(ref.namespace(), body).execute();
      return true;
    } catch (ApiException ex) {
      LOG.warn("{}: Event {} not created: HTTP {}", ref, e.reason(), ex.getCode());
      return false;
    }
  }

  /** The conditions currently on a ScalingPolicy (from the informer cache), by type. */
  public static Map<String, PolicyStatus.StatusCondition> conditions(Optional<JsonObject> policy) {
    Map<String, PolicyStatus.StatusCondition> out = new HashMap<>();
    if (policy.isEmpty()) {
      return out;
    }
    JsonElement list = Fields.at(policy.get(), "status.conditions");
    if (list == null || !list.isJsonArray()) {
      return out;
    }
    for (JsonElement c : list.getAsJsonArray()) {
      JsonObject o = c.getAsJsonObject();
      String type = Fields.string("scalingpolicy", o, "type");
      Instant since = Fields.time("scalingpolicy", o, "lastTransitionTime");
      if (type != null && since != null) {
        out.put(
            type,
            new PolicyStatus.StatusCondition(
                type,
                Fields.string("scalingpolicy", o, "status"),
                Fields.string("scalingpolicy", o, "reason"),
                Fields.string("scalingpolicy", o, "message"),
                since));
      }
    }
    return out;
  }
}
