package dev.foresight.metricsapi.security;

import dev.foresight.metricsapi.kube.KubeObjects;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AuthorizationV1Api;
import io.kubernetes.client.openapi.models.V1ResourceAttributes;
import io.kubernetes.client.openapi.models.V1SubjectAccessReview;
import io.kubernetes.client.openapi.models.V1SubjectAccessReviewSpec;
import io.kubernetes.client.openapi.models.V1SubjectAccessReviewStatus;
import java.util.Objects;

/**
 * Delegates authorization to Kubernetes with a {@code SubjectAccessReview} ({@code
 * authorization.k8s.io/v1}), so that RBAC decides who may read external metrics: resource {@code
 * <metric>}, group {@code external.metrics.k8s.io}, version {@code v1beta1}, verb {@code get}, the
 * namespace of the request, the user's name, groups and extra. Needs the ClusterRoleBinding to
 * {@code system:auth-delegator}. Wrap in {@link CachingAuthorizer}.
 */
public final class SubjectAccessReviewAuthorizer implements Authorizer {

  private final AuthorizationV1Api api;

  public SubjectAccessReviewAuthorizer(ApiClient client) {
    this.api = new AuthorizationV1Api(Objects.requireNonNull(client, "client"));
  }

  @Override
  public Verdict authorize(UserInfo user, String namespace, String metric)
      throws AuthorizationUnavailableException {
    V1SubjectAccessReviewSpec spec =
        new V1SubjectAccessReviewSpec()
            .user(user.name())
            .groups(user.groups())
            .resourceAttributes(
                new V1ResourceAttributes()
                    .group(KubeObjects.GROUP)
                    .version(KubeObjects.VERSION)
                    .resource(metric)
                    .namespace(namespace)
                    .verb("get"));
    if (!user.extra().isEmpty()) {
      spec.extra(user.extra());
    }
    V1SubjectAccessReview review =
        new V1SubjectAccessReview()
            .apiVersion("authorization.k8s.io/v1")
            .kind("SubjectAccessReview")
            .spec(spec);
    try {
      V1SubjectAccessReviewStatus status =
          api.createSubjectAccessReview(review).execute().getStatus();
      if (status == null) {
        throw new AuthorizationUnavailableException("SubjectAccessReview returned no status", null);
      }
      String reason = status.getReason() == null ? "" : status.getReason();
      boolean allowed = status.getAllowed() && !Boolean.TRUE.equals(status.getDenied());
      return new Verdict(allowed, reason);
    } catch (ApiException e) {
      throw new AuthorizationUnavailableException(
          "SubjectAccessReview failed: HTTP " + e.getCode(), e);
    }
  }
}
