package dev.foresight.policy;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Identity of one governed workload: the namespace and the name of the Foresight policy that
 * governs it, plus the scale target the policy points at.
 *
 * <p>Both servers address workloads through this value: KEDA through a ScaledObject's namespace and
 * trigger metadata, HPA through a namespace in the URL and a label selector over {@link #labels()}.
 *
 * @param namespace Kubernetes namespace of the policy and its target
 * @param policy name of the Foresight policy
 * @param targetKind kind of the scale target, for example {@code Deployment}
 * @param targetName name of the scale target
 */
public record WorkloadRef(String namespace, String policy, String targetKind, String targetName) {

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  public WorkloadRef {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(targetKind, "targetKind");
    Objects.requireNonNull(targetName, "targetName");
    if (namespace.length() > 63 || !DNS_LABEL.matcher(namespace).matches()) {
      throw new IllegalArgumentException(
          "namespace '" + namespace + "' is not a DNS-1123 label (lower case, digits, '-')");
    }
    if (policy.length() > 253 || !DNS_SUBDOMAIN.matcher(policy).matches()) {
      throw new IllegalArgumentException(
          "policy name '" + policy + "' is not a DNS-1123 subdomain");
    }
    if (targetKind.isEmpty() || targetName.isEmpty()) {
      throw new IllegalArgumentException("target kind and name must not be empty");
    }
  }

  /** A workload whose policy is named after its Deployment, the common case. */
  public static WorkloadRef deployment(String namespace, String name) {
    return new WorkloadRef(namespace, name, "Deployment", name);
  }

  /**
   * Labels a label selector is matched against: {@code policy=<policy>} and {@code <targetKind in
   * lower case>=<targetName>} (for example {@code deployment=vllm-llama}).
   */
  public Map<String, String> labels() {
    return Map.of("policy", policy, targetKind.toLowerCase(java.util.Locale.ROOT), targetName);
  }

  /** {@code namespace/policy}, the form used in logs and metric labels. */
  @Override
  public String toString() {
    return namespace + "/" + policy;
  }
}
