package dev.foresight.metricsapi.security;

/** Decides whether a user may read one external metric in one namespace. */
public interface Authorizer {

  /**
   * Whether {@code user} may {@code get} resource {@code metric} in group {@code
   * external.metrics.k8s.io} in {@code namespace}.
   *
   * @throws AuthorizationUnavailableException when the decision cannot be made now
   */
  Verdict authorize(UserInfo user, String namespace, String metric)
      throws AuthorizationUnavailableException;

  /**
   * An authorization decision.
   *
   * @param allowed whether access is allowed
   * @param reason why, as the authorizer put it (may be empty)
   */
  record Verdict(boolean allowed, String reason) {}

  /** Allows everyone: for clusters that do not grant {@code system:auth-delegator}. */
  static Authorizer allowAll() {
    return (user, namespace, metric) -> new Verdict(true, "delegated authorization is off");
  }
}
