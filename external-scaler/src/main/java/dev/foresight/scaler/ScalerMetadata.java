package dev.foresight.scaler;

import dev.foresight.policy.PolicySpec;
import dev.foresight.policy.WorkloadRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A ScaledObject trigger's metadata ({@code ScaledObjectRef.scalerMetadata}), parsed and validated.
 *
 * <p>A trigger either references a Foresight policy by name or carries an inline policy:
 *
 * <pre>{@code
 * # reference: the ScalingPolicy "vllm-llama" in the ScaledObject's namespace
 * metadata:
 *   scalerAddress: foresight.foresight-system:9090
 *   policy: vllm-llama
 *
 * # inline: the policy keys are parsed into a PolicySpec and handed to the controller
 * metadata:
 *   scalerAddress: foresight.foresight-system:9090
 *   targetName: vllm-llama          # default: the ScaledObject's name
 *   targetKind: Deployment          # default: Deployment
 *   ...inline policy keys...
 * }</pre>
 *
 * <p>KEDA passes the whole trigger metadata, so its own connection keys ({@link #KEDA_KEYS}) are
 * accepted and ignored. A key ending in {@code FromEnv} arrives with KEDA's resolved value and is
 * read as the key without the suffix. Every other key is an inline policy key. All problems are
 * reported together in one {@link InvalidMetadataException}.
 *
 * @param namespace namespace of the ScaledObject, and of the policy it governs by
 * @param scaledObject name of the ScaledObject
 * @param source the policy reference or the inline policy
 */
public record ScalerMetadata(String namespace, String scaledObject, Source source) {

  /** Key naming the Foresight policy that governs the workload. */
  public static final String POLICY = "policy";

  /** Key of an inline policy's scale-target kind (default {@code Deployment}). */
  public static final String TARGET_KIND = "targetKind";

  /** Key of an inline policy's scale-target name (default: the ScaledObject's name). */
  public static final String TARGET_NAME = "targetName";

  /** The keys this scaler reads itself. */
  public static final Set<String> OWN_KEYS = Set.of(POLICY, TARGET_KIND, TARGET_NAME);

  /** KEDA's own connection keys for {@code external} and {@code external-push} triggers. */
  public static final Set<String> KEDA_KEYS =
      Set.of(
          "scalerAddress",
          "enableTLS",
          "unsafeSsl",
          "caCert",
          "tlsCertFile",
          "tlsClientCert",
          "tlsClientKey");

  private static final String FROM_ENV = "FromEnv";
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern KIND = Pattern.compile("[A-Z][A-Za-z0-9]{0,62}");

  public ScalerMetadata {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(scaledObject, "scaledObject");
    Objects.requireNonNull(source, "source");
  }

  /** Which policy governs the workload. */
  public sealed interface Source permits PolicyReference, InlinePolicy {}

  /**
   * A reference to a Foresight policy in the ScaledObject's namespace.
   *
   * @param policy name of the policy resource
   */
  public record PolicyReference(String policy) implements Source {
    public PolicyReference {
      Objects.requireNonNull(policy, "policy");
    }
  }

  /**
   * A policy written in the trigger metadata, governing the workload named after the ScaledObject.
   *
   * @param workload the workload: policy name = ScaledObject name, target from {@code
   *     targetKind}/{@code targetName}
   * @param spec the parsed spec
   */
  public record InlinePolicy(WorkloadRef workload, PolicySpec spec) implements Source {
    public InlinePolicy {
      Objects.requireNonNull(workload, "workload");
      Objects.requireNonNull(spec, "spec");
    }
  }

  /**
   * Parses {@code metadata} of the ScaledObject {@code namespace/name}.
   *
   * @param inlineParser parses the inline policy keys; {@link InlinePolicyParser#NONE} rejects them
   * @throws InvalidMetadataException listing every problem, when anything is invalid
   */
  public static ScalerMetadata parse(
      String namespace,
      String name,
      Map<String, String> metadata,
      InlinePolicyParser inlineParser) {
    List<Problem> problems = new ArrayList<>();
    if (namespace.isEmpty() || namespace.length() > 63 || !DNS_LABEL.matcher(namespace).matches()) {
      problems.add(new Problem("scaledObjectRef.namespace", namespace, "a DNS-1123 label"));
    }
    if (name.isEmpty() || name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
      problems.add(new Problem("scaledObjectRef.name", name, "a DNS-1123 subdomain"));
    }

    Map<String, String> keys = normalize(metadata, problems);
    String policy = keys.remove(POLICY);
    String targetKind = keys.remove(TARGET_KIND);
    String targetName = keys.remove(TARGET_NAME);
    KEDA_KEYS.forEach(keys::remove);
    Map<String, String> inlineKeys = keys; // what is left

    String label = namespace + "/" + name;
    if (policy != null) {
      if (policy.isEmpty() || policy.length() > 253 || !DNS_SUBDOMAIN.matcher(policy).matches()) {
        problems.add(
            new Problem(
                POLICY, policy, "the name of a Foresight ScalingPolicy (a DNS-1123 subdomain)"));
      }
      if (!inlineKeys.isEmpty()) {
        problems.add(
            new Problem(
                POLICY,
                policy,
                "either 'policy' or inline policy keys, not both (inline keys found: "
                    + String.join(", ", inlineKeys.keySet())
                    + ")"));
      }
      for (String key : new String[] {TARGET_KIND, TARGET_NAME}) {
        String value = key.equals(TARGET_KIND) ? targetKind : targetName;
        if (value != null) {
          problems.add(
              new Problem(
                  key,
                  value,
                  "no value: a referenced policy names its own target (remove '" + key + "')"));
        }
      }
      throwIfAny(label, problems);
      return new ScalerMetadata(namespace, name, new PolicyReference(policy));
    }

    if (inlineKeys.isEmpty()) {
      problems.add(
          new Problem(
              POLICY,
              Problem.MISSING,
              "the name of a Foresight ScalingPolicy in namespace '"
                  + namespace
                  + "', or inline policy keys"));
      throwIfAny(label, problems);
    }
    String kind = targetKind == null ? "Deployment" : targetKind;
    String target = targetName == null ? name : targetName;
    if (!KIND.matcher(kind).matches()) {
      problems.add(
          new Problem(TARGET_KIND, kind, "a Kubernetes kind such as Deployment or StatefulSet"));
    }
    if (target.isEmpty() || target.length() > 253 || !DNS_SUBDOMAIN.matcher(target).matches()) {
      problems.add(new Problem(TARGET_NAME, target, "a DNS-1123 subdomain"));
    }
    InlinePolicyParser.Result parsed = inlineParser.parse(Map.copyOf(inlineKeys));
    problems.addAll(parsed.problems());
    throwIfAny(label, problems);
    return new ScalerMetadata(
        namespace,
        name,
        new InlinePolicy(new WorkloadRef(namespace, name, kind, target), parsed.spec()));
  }

  /**
   * Folds {@code xFromEnv} keys onto {@code x} (KEDA has already resolved their value) and sorts
   * the keys so that problems come out in a stable order.
   */
  private static Map<String, String> normalize(Map<String, String> metadata, List<Problem> out) {
    Map<String, String> keys = new TreeMap<>();
    new TreeMap<>(metadata)
        .forEach(
            (key, value) -> {
              String plain =
                  key.endsWith(FROM_ENV) && key.length() > FROM_ENV.length()
                      ? key.substring(0, key.length() - FROM_ENV.length())
                      : key;
              if (keys.containsKey(plain)) {
                out.add(
                    new Problem(
                        key, value, "only one of '" + plain + "' and '" + plain + FROM_ENV + "'"));
              } else {
                keys.put(plain, value.trim());
              }
            });
    return keys;
  }

  private static void throwIfAny(String scaledObject, List<Problem> problems) {
    if (!problems.isEmpty()) {
      throw new InvalidMetadataException(scaledObject, problems);
    }
  }
}
