package dev.foresight.controller.cluster;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.models.V1APIResource;
import io.kubernetes.client.openapi.models.V1APIResourceList;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Karpenter's {@code karpenter.sh/v1} API, with NodeClaims and NodePools, is served. When
 * it is not (404, or the resources are missing), node supply falls back to Events only: one log
 * line and the {@code foresight_karpenter_observed} gauge at 0, never a crash.
 */
public final class KarpenterDiscovery {

  private static final Logger LOG = LoggerFactory.getLogger(KarpenterDiscovery.class);

  private KarpenterDiscovery() {}

  /** What the API server answered. */
  public enum Answer {
    SERVED,
    /** 404, or the group without NodeClaims and NodePools: Karpenter is not installed. */
    NOT_SERVED,
    /** No answer (an error, a timeout): ask again. */
    UNKNOWN
  }

  /**
   * Asks the API server ({@link KubernetesAccess#KARPENTER_DISCOVERY_PATH}); an answer slower than
   * {@code timeout} is {@link Answer#UNKNOWN} (zero: no bound), so a hung API server cannot hold
   * the start-up.
   */
  public static Answer ask(ApiClient client, Duration timeout) {
    try {
      Call call =
          new CustomObjectsApi(client)
              .getAPIResources(KubernetesAccess.KARPENTER_GROUP, "v1")
              .buildCall(null);
      call.timeout().timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
      Set<String> names = new HashSet<>();
      V1APIResourceList list =
          client.<V1APIResourceList>execute(call, V1APIResourceList.class).getData();
      for (V1APIResource r : list.getResources()) {
        names.add(r.getName());
      }
      if (names.contains("nodeclaims") && names.contains("nodepools")) {
        LOG.info("Karpenter karpenter.sh/v1 found: node supply reads NodeClaims and NodePools");
        return Answer.SERVED;
      }
      LOG.info(
          "karpenter.sh/v1 serves {} without nodeclaims and nodepools: node supply from Events"
              + " only",
          names);
      return Answer.NOT_SERVED;
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        LOG.info("Karpenter karpenter.sh/v1 not installed: node supply from Events only");
        return Answer.NOT_SERVED;
      }
      LOG.warn(
          "cannot discover karpenter.sh/v1 ({}): node supply from Events only until it answers",
          e.getCode() == 0 ? e.getMessage() : "HTTP " + e.getCode());
      return Answer.UNKNOWN;
    }
  }
}
