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
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okio.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's writes on a ScalingPolicy: its {@code status} as a JSON merge patch of the status
 * subresource ({@link KubernetesAccess#SCALING_POLICY_STATUS}) and Events ({@link
 * KubernetesAccess#EVENTS_WRITE}). A failed write is logged and retried on the next decision; it
 * never affects the decision itself.
 *
 * <p>Each write is cut off after {@code writeTimeout} (the client itself has none, for the
 * informer's watches): the writes run one after another on the publisher's thread, and a write the
 * API server never answers would otherwise stop every later one and pile up the decisions waiting
 * behind it.
 */
public final class PolicyWriter {

  private static final Logger LOG = LoggerFactory.getLogger(PolicyWriter.class);

  /** {@code source.component} of the Events. */
  public static final String COMPONENT = "foresight";

  private final ApiClient client;
  private final String instance;
  private final Duration writeTimeout;

  /**
   * @param instance this replica's identity ({@code reportingInstance} of its Events)
   */
  public PolicyWriter(ApiClient client, String instance) {
    this(client, instance, KubernetesCluster.DEFAULT_READ_TIMEOUT);
  }

  /**
   * @param instance this replica's identity ({@code reportingInstance} of its Events)
   * @param writeTimeout bound of each write, whole call
   */
  public PolicyWriter(ApiClient client, String instance, Duration writeTimeout) {
    if (writeTimeout.isNegative() || writeTimeout.isZero()) {
      throw new IllegalArgumentException("writeTimeout must be positive, was " + writeTimeout);
    }
    this.client = client;
    this.instance = instance;
    this.writeTimeout = writeTimeout;
  }

  /** Merge-patches {@code status}; true when the API server accepted it. */
  public boolean writeStatus(WorkloadRef ref, Map<String, Object> status) {
    try {
      Request generated =
          new CustomObjectsApi(client)
              .patchNamespacedCustomObjectStatus(
                  KubernetesAccess.FORESIGHT_GROUP,
                  KubernetesCluster.POLICY_VERSION,
                  ref.namespace(),
                  "scalingpolicies",
                  ref.policy(),
                  Map.of("status", status))
              .buildCall(null)
              .request();
      // The generated call offers JSON Patch first; the same body goes as a merge patch, as
      // PatchUtils does it, but on a call of our own so that it can carry the timeout.
      Buffer body = new Buffer();
      generated.body().writeTo(body);
      Request mergePatch =
          generated
              .newBuilder()
              .patch(
                  RequestBody.create(
                      body.readByteArray(), MediaType.get(V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH)))
              .build();
      client.execute(timed(client.getHttpClient().newCall(mergePatch)), Object.class);
      return true;
    } catch (IOException e) {
      LOG.warn("{}: status write failed: {}", ref, e.toString());
      return false;
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
      client.execute(
          timed(new CoreV1Api(client).createNamespacedEvent(ref.namespace(), body).buildCall(null)),
          CoreV1Event.class);
      return true;
    } catch (ApiException ex) {
      LOG.warn("{}: Event {} not created: HTTP {}", ref, e.reason(), ex.getCode());
      return false;
    }
  }

  private Call timed(Call call) {
    call.timeout().timeout(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
    return call;
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
