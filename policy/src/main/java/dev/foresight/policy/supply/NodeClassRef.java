package dev.foresight.policy.supply;

import java.util.Objects;

/**
 * A NodeClaim's {@code spec.nodeClassRef} (karpenter.sh/v1): the provider-specific node class it
 * was made from, e.g. {@code karpenter.k8s.aws / EC2NodeClass / gpu}. Carried for reports and
 * metric labels; the supply arithmetic does not depend on it.
 *
 * @param group API group of the node class
 * @param kind kind of the node class
 * @param name name of the node class
 */
public record NodeClassRef(String group, String kind, String name) {

  public NodeClassRef {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
  }

  /** {@code group/kind/name}. */
  @Override
  public String toString() {
    return group + "/" + kind + "/" + name;
  }
}
