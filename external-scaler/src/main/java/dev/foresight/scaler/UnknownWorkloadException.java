package dev.foresight.scaler;

/** A ScaledObject names a Foresight policy that the decision store does not know. */
public final class UnknownWorkloadException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String namespace;
  private final String policy;

  public UnknownWorkloadException(String namespace, String policy) {
    super(
        "no Foresight policy '"
            + policy
            + "' in namespace '"
            + namespace
            + "': create the ScalingPolicy, or check the trigger's 'policy' key");
    this.namespace = namespace;
    this.policy = policy;
  }

  public String namespace() {
    return namespace;
  }

  public String policy() {
    return policy;
  }
}
