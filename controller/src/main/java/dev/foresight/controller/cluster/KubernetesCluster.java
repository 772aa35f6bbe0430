package dev.foresight.controller.cluster;

import com.google.gson.JsonObject;
import dev.foresight.controller.loop.GovernedWorkload;
import dev.foresight.policy.WorkloadRef;
import dev.foresight.policy.supply.ClusterSupply;
import dev.foresight.policy.supply.NodeClaimState;
import dev.foresight.policy.supply.NodePoolState;
import dev.foresight.policy.supply.PendingPod;
import dev.foresight.policy.supply.SupplyEvent;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.ApiResponse;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.CoreV1EventList;
import io.kubernetes.client.openapi.models.V1APIResource;
import io.kubernetes.client.openapi.models.V1APIResourceList;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.openapi.models.V1Scale;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import okhttp3.Call;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ClusterState} over client-java: an informer for ScalingPolicies (dynamic API), the scale
 * subresource of each target, the target's pods by the scale's selector, and for node supply
 * Karpenter NodeClaims and NodePools (only when discovered) and Events. Each read names its {@link
 * KubernetesAccess} entry.
 *
 * <p>Objects that cannot be interpreted are skipped and logged with the field named; a failing read
 * yields "unknown" (empty), never zero. A failed or timed-out NodePool or NodeClaim list turns that
 * supply snapshot into an Events-only one ({@code foresight_karpenter_observed} 0, counted in
 * {@link SupplyReadErrors}), never into "no capacity".
 *
 * <p>The client has no read timeout, because the informer's watches stay open for minutes with
 * nothing to say; each single read carries its own call timeout instead, so an API server that
 * stops answering frees the evaluation's thread after {@code readTimeout} rather than never.
 */
public final class KubernetesCluster implements ClusterState, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KubernetesCluster.class);

  /** The ScalingPolicy API version served by the CRD. */
  public static final String POLICY_VERSION = "v1alpha1";

  /** Bound of each single read when none is given. */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);

  private final ApiClient client;
  private final KarpenterPresence karpenter;
  private final Duration readTimeout;
  private final SupplyReadErrors readErrors;
  private final SharedInformerFactory factory;
  private final SharedIndexInformer<DynamicKubernetesObject> policyInformer;
  private final Map<WorkloadRef, List<V1Pod>> podsByWorkload = new ConcurrentHashMap<>();
  private final Set<String> reportedReady = ConcurrentHashMap.newKeySet();
  private final Map<String, String> pluralByKind = new ConcurrentHashMap<>();

  /**
   * Starts the policy informer.
   *
   * @param karpenter whether {@link KarpenterDiscovery} found {@code karpenter.sh/v1}
   */
  public KubernetesCluster(ApiClient client, boolean karpenter) {
    this(client, karpenter, DEFAULT_READ_TIMEOUT);
  }

  /**
   * Starts the policy informer.
   *
   * @param karpenter whether {@link KarpenterDiscovery} found {@code karpenter.sh/v1}
   * @param readTimeout bound of each single read (scale, pods, API resources, Events, NodePools,
   *     NodeClaims), whole call
   */
  public KubernetesCluster(ApiClient client, boolean karpenter, Duration readTimeout) {
    this(client, karpenter, readTimeout, new SupplyReadErrors(new PrometheusRegistry()));
  }

  /**
   * Starts the policy informer.
   *
   * @param karpenter whether {@link KarpenterDiscovery} found {@code karpenter.sh/v1}
   * @param readTimeout bound of each single read (scale, pods, API resources, Events, NodePools,
   *     NodeClaims), whole call
   * @param readErrors where failed node-supply reads are counted
   */
  public KubernetesCluster(
      ApiClient client, boolean karpenter, Duration readTimeout, SupplyReadErrors readErrors) {
    this(client, KarpenterPresence.fixed(karpenter), readTimeout, readErrors);
  }

  /**
   * Starts the policy informer.
   *
   * @param karpenter whether {@code karpenter.sh/v1} is served, asked again while unknown
   * @param readTimeout bound of each single read (scale, pods, API resources, Events, NodePools,
   *     NodeClaims), whole call
   * @param readErrors where failed node-supply reads are counted
   */
  KubernetesCluster(
      ApiClient client,
      KarpenterPresence karpenter,
      Duration readTimeout,
      SupplyReadErrors readErrors) {
    if (readTimeout.isNegative() || readTimeout.isZero()) {
      throw new IllegalArgumentException("readTimeout must be positive, was " + readTimeout);
    }
    this.client = client;
    this.karpenter = karpenter;
    this.readTimeout = readTimeout;
    this.readErrors = readErrors;
    this.factory = new SharedInformerFactory(client);
    DynamicKubernetesApi policies = // KubernetesAccess.SCALING_POLICIES
        new DynamicKubernetesApi(
            KubernetesAccess.FORESIGHT_GROUP, POLICY_VERSION, "scalingpolicies", client);
    this.policyInformer =
        factory.sharedIndexInformerFor(policies, DynamicKubernetesObject.class, 0);
    factory.startAllRegisteredInformers();
  }

  /** True once the policy informer has listed every ScalingPolicy. */
  public BooleanSupplier synced() {
    return policyInformer::hasSynced;
  }

  @Override
  public List<PolicyResource> policies() {
    List<PolicyResource> out = new ArrayList<>();
    for (DynamicKubernetesObject o : policyInformer.getIndexer().list()) {
      try {
        out.add(PolicyResource.of(o.getRaw()));
      } catch (InvalidObjectException e) {
        LOG.warn("skipping ScalingPolicy: {}", e.getMessage());
      }
    }
    return out;
  }

  /** The raw ScalingPolicy from the informer cache, e.g. for its current status. */
  public Optional<JsonObject> policyObject(WorkloadRef ref) {
    DynamicKubernetesObject o =
        policyInformer.getIndexer().getByKey(ref.namespace() + "/" + ref.policy());
    return Optional.ofNullable(o).map(DynamicKubernetesObject::getRaw);
  }

  @Override
  public Optional<GovernedWorkload.Replicas> replicas(PolicyResource policy) {
    WorkloadRef ref = policy.ref();
    String where = ref.targetKind() + "/" + ref.namespace() + "/" + ref.targetName();
    try {
      ScaleReading scale = scale(policy, where);
      List<V1Pod> pods = // KubernetesAccess.PODS
          this.<V1PodList>read(
                  new CoreV1Api(client)
                      .listNamespacedPod(ref.namespace())
                      .labelSelector(selectorString(scale.selector()))
                      .buildCall(null),
                  V1PodList.class)
              .getItems();
      podsByWorkload.put(ref, pods);
      int ready = 0;
      for (V1Pod p : pods) {
        if (!PodObjects.terminating(p) && PodTimeline.of(p).isReady()) {
          ready++;
        }
      }
      return Optional.of(new GovernedWorkload.Replicas(scale.specReplicas(), ready));
    } catch (ApiException e) {
      LOG.warn("{}: cannot read scale or pods: HTTP {}", where, e.getCode());
      return Optional.empty();
    } catch (InvalidObjectException e) {
      LOG.warn("{}: {}", where, e.getMessage());
      return Optional.empty();
    }
  }

  private ScaleReading scale(PolicyResource policy, String where) throws ApiException {
    WorkloadRef ref = policy.ref();
    String apiVersion = policy.targetApiVersion();
    V1Scale s;
    if (apiVersion.equals("apps/v1") && ref.targetKind().equals("Deployment")) {
      s = // KubernetesAccess.DEPLOYMENT_SCALE
          read(
              new AppsV1Api(client)
                  .readNamespacedDeploymentScale(ref.targetName(), ref.namespace())
                  .buildCall(null),
              V1Scale.class);
    } else if (apiVersion.equals("apps/v1") && ref.targetKind().equals("StatefulSet")) {
      s = // KubernetesAccess.STATEFULSET_SCALE
          read(
              new AppsV1Api(client)
                  .readNamespacedStatefulSetScale(ref.targetName(), ref.namespace())
                  .buildCall(null),
              V1Scale.class);
    } else {
      return customScale(policy, where);
    }
    return ScaleReading.of(
        where,
        s.getSpec() == null ? null : s.getSpec().getReplicas(),
        s.getStatus() == null ? null : s.getStatus().getReplicas(),
        s.getStatus() == null ? null : s.getStatus().getSelector());
  }

  /** Any other kind with a scale subresource: its plural from API discovery, then its Scale. */
  private ScaleReading customScale(PolicyResource policy, String where) throws ApiException {
    WorkloadRef ref = policy.ref();
    String[] gv = policy.targetApiVersion().split("/", 2);
    if (gv.length != 2) {
      throw new InvalidObjectException(
          where, "spec.targetRef.apiVersion", policy.targetApiVersion(), "group/version");
    }
    CustomObjectsApi api = new CustomObjectsApi(client);
    String key = policy.targetApiVersion() + "/" + ref.targetKind();
    String plural = pluralByKind.get(key);
    if (plural == null) {
      V1APIResourceList resources =
          read(api.getAPIResources(gv[0], gv[1]).buildCall(null), V1APIResourceList.class);
      for (V1APIResource r : resources.getResources()) {
        if (r.getKind().equals(ref.targetKind()) && !r.getName().contains("/")) {
          plural = r.getName();
        }
      }
      if (plural == null) {
        throw new InvalidObjectException(
            where, "spec.targetRef.kind", ref.targetKind(), "a kind served by " + key);
      }
      pluralByKind.put(key, plural);
    }
    Object raw =
        read(
            api.getNamespacedCustomObjectScale(
                    gv[0], gv[1], ref.namespace(), plural, ref.targetName())
                .buildCall(null),
            Object.class);
    JsonObject o = client.getJSON().getGson().toJsonTree(raw).getAsJsonObject();
    String spec = Fields.string(where, o, "spec.replicas");
    String status = Fields.string(where, o, "status.replicas");
    return ScaleReading.of(
        where,
        spec == null ? null : (int) Double.parseDouble(spec),
        status == null ? null : (int) Double.parseDouble(status),
        Fields.string(where, o, "status.selector"));
  }

  /** Executes one read bounded by the read timeout (a timeout is an ApiException with code 0). */
  private <T> T read(Call call, Class<T> type) throws ApiException {
    call.timeout().timeout(readTimeout.toMillis(), TimeUnit.MILLISECONDS);
    ApiResponse<T> response = client.execute(call, type);
    return response.getData();
  }

  private static String selectorString(Map<String, String> selector) {
    StringBuilder b = new StringBuilder();
    selector.forEach(
        (k, v) -> b.append(b.length() == 0 ? "" : ",").append(k).append('=').append(v));
    return b.toString();
  }

  @Override
  public List<Duration> startupDurations(WorkloadRef workload) {
    List<Duration> out = new ArrayList<>();
    for (V1Pod p : podsByWorkload.getOrDefault(workload, List.of())) {
      PodTimeline t = PodTimeline.of(p);
      String uid =
          p.getMetadata().getUid() == null
              ? t.namespace() + "/" + t.name()
              : p.getMetadata().getUid();
      Optional<Duration> d = t.startup();
      if (d.isPresent() && !d.get().isZero() && reportedReady.add(uid)) {
        out.add(d.get());
      }
    }
    return out;
  }

  /**
   * GPUs one replica of the target needs: the most any of its pods last read requests (0 when no
   * pod was seen yet, which leaves supply unconstrained).
   */
  public int gpusPerReplica(WorkloadRef workload) {
    int max = 0;
    for (V1Pod p : podsByWorkload.getOrDefault(workload, List.of())) {
      try {
        max = Math.max(max, PodObjects.gpus(p));
      } catch (InvalidObjectException e) {
        LOG.warn("{}", e.getMessage());
      }
    }
    return max;
  }

  @Override
  public boolean karpenterObserved() {
    return karpenter.lastServed();
  }

  @Override
  public ClusterSupply supply(Instant at) {
    List<PendingPod> pending = new ArrayList<>();
    Map<String, Integer> gpusByNode = new HashMap<>();
    podsByWorkload.forEach(
        (ref, pods) -> {
          for (V1Pod p : pods) {
            try {
              PodObjects.pendingPod(p, ref).ifPresent(pending::add);
              String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
              if (node != null && !PodObjects.terminating(p)) {
                gpusByNode.merge(node, PodObjects.gpus(p), Integer::sum);
              }
            } catch (InvalidObjectException | IllegalArgumentException e) {
              LOG.warn("skipping pod: {}", e.getMessage());
            }
          }
        });
    List<SupplyEvent> events = new ArrayList<>();
    try {
      for (CoreV1Event e : // KubernetesAccess.EVENTS_READ
          this.<CoreV1EventList>read(
                  new CoreV1Api(client).listEventForAllNamespaces().buildCall(null),
                  CoreV1EventList.class)
              .getItems()) {
        try {
          SupplyEvents.of(e).ifPresent(events::add);
        } catch (IllegalArgumentException ex) {
          LOG.warn("skipping Event: {}", ex.getMessage());
        }
      }
    } catch (ApiException e) {
      readErrors.failed("events", e);
      LOG.warn(
          "cannot list Events ({})", e.getCode() == 0 ? e.getMessage() : "HTTP " + e.getCode());
    }
    if (!karpenter.served(at)) {
      return ClusterSupply.withoutKarpenter(at, pending, events);
    }
    List<JsonObject> poolObjects;
    List<JsonObject> claimObjects;
    String reading = "nodepools";
    try {
      poolObjects = list("nodepools"); // KubernetesAccess.NODE_POOLS
      reading = "nodeclaims";
      claimObjects = list("nodeclaims"); // KubernetesAccess.NODE_CLAIMS
    } catch (ApiException e) {
      // Half a Karpenter picture (pools without claims, or neither) would read as pods nobody
      // covers and headroom nobody uses; without it supply is what Events say, which never caps.
      readErrors.failed(reading, e);
      LOG.warn(
          "cannot list {}.karpenter.sh ({}): node supply from Events only until a read succeeds",
          reading,
          e.getCode() == 0 ? e.getMessage() : "HTTP " + e.getCode());
      return ClusterSupply.withoutKarpenter(at, pending, events);
    }
    List<NodePoolState> pools = new ArrayList<>();
    for (JsonObject np : poolObjects) {
      try {
        pools.add(KarpenterObjects.nodePool(np));
      } catch (InvalidObjectException e) {
        LOG.warn("skipping NodePool: {}", e.getMessage());
      }
    }
    List<NodeClaimState> claims = new ArrayList<>();
    for (JsonObject nc : claimObjects) {
      try {
        claims.add(
            KarpenterObjects.nodeClaim(
                nc, gpusByNode.getOrDefault(KarpenterObjects.nodeName(nc), 0)));
      } catch (InvalidObjectException e) {
        LOG.warn("skipping NodeClaim: {}", e.getMessage());
      }
    }
    return new ClusterSupply(at, true, pools, claims, pending, events);
  }

  /**
   * Every object of a cluster-scoped Karpenter resource, bounded by the read timeout like every
   * other single read.
   */
  private List<JsonObject> list(String plural) throws ApiException {
    JsonObject list =
        read(
            new CustomObjectsApi(client)
                .listClusterCustomObject(KubernetesAccess.KARPENTER_GROUP, "v1", plural)
                .buildCall(null),
            JsonObject.class);
    List<JsonObject> out = new ArrayList<>();
    if (list.has("items") && list.get("items").isJsonArray()) {
      list.getAsJsonArray("items").forEach(item -> out.add(item.getAsJsonObject()));
    }
    return out;
  }

  @Override
  public void close() {
    factory.stopAllRegisteredInformers();
  }
}
