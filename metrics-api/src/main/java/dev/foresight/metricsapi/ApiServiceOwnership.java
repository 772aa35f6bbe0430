package dev.foresight.metricsapi;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.ApiregistrationV1Api;
import io.kubernetes.client.openapi.models.ApiregistrationV1ServiceReference;
import io.kubernetes.client.openapi.models.V1APIService;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who serves {@code external.metrics.k8s.io/v1beta1} in this cluster, read from APIService {@code
 * v1beta1.external.metrics.k8s.io}. Only one APIService can own the group version; KEDA usually
 * does. When it points elsewhere, Foresight's metrics are not reachable through HPA and the cluster
 * should use Foresight through KEDA's external scaler instead. This is only observed and reported:
 * the APIService is never written.
 *
 * @param state what was found
 * @param target {@code namespace/name} of the Service the APIService points to, or a note
 */
public record ApiServiceOwnership(State state, String target) {

  /** Name of the APIService. */
  public static final String API_SERVICE = "v1beta1.external.metrics.k8s.io";

  private static final Logger LOG = LoggerFactory.getLogger(ApiServiceOwnership.class);

  /** What the APIService says. */
  public enum State {
    /** It points to this server's Service. */
    OURS,
    /** It points to another Service (for example KEDA's metrics server). */
    ELSEWHERE,
    /** There is no such APIService: HPA cannot read external metrics at all. */
    ABSENT,
    /** It could not be read (no permission, API server unreachable). */
    UNKNOWN
  }

  public ApiServiceOwnership {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(target, "target");
  }

  /** 1 when this server owns the APIService, else 0: the gauge the controller publishes. */
  public int ownedGauge() {
    return state == State.OURS ? 1 : 0;
  }

  /**
   * Reads the APIService and compares it with this server's Service, logging once what it found.
   */
  public static ApiServiceOwnership check(
      ApiClient client, String ourNamespace, String ourService) {
    ApiServiceOwnership result;
    try {
      V1APIService api = new ApiregistrationV1Api(client).readAPIService(API_SERVICE).execute();
      ApiregistrationV1ServiceReference svc =
          api.getSpec() == null ? null : api.getSpec().getService();
      if (svc == null) {
        result = new ApiServiceOwnership(State.ELSEWHERE, "served locally by kube-apiserver");
      } else {
        String target = svc.getNamespace() + "/" + svc.getName();
        boolean ours = ourNamespace.equals(svc.getNamespace()) && ourService.equals(svc.getName());
        result = new ApiServiceOwnership(ours ? State.OURS : State.ELSEWHERE, target);
      }
    } catch (ApiException e) {
      result =
          e.getCode() == 404
              ? new ApiServiceOwnership(State.ABSENT, "no APIService " + API_SERVICE)
              : new ApiServiceOwnership(
                  State.UNKNOWN, "cannot read APIService " + API_SERVICE + ": HTTP " + e.getCode());
    }
    switch (result.state) {
      case OURS -> LOG.info("APIService {} points to this server ({})", API_SERVICE, result.target);
      case ELSEWHERE ->
          LOG.warn(
              "APIService {} points to {}, not to {}/{}: HPA reads external metrics from there (KEDA?)."
                  + " Foresight leaves it unchanged; use Foresight through KEDA's external scaler, or"
                  + " re-point the APIService yourself.",
              API_SERVICE,
              result.target,
              ourNamespace,
              ourService);
      default -> LOG.warn("APIService {}: {}", API_SERVICE, result.target);
    }
    return result;
  }
}
