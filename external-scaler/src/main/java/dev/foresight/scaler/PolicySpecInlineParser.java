package dev.foresight.scaler;

import dev.foresight.policy.InvalidPolicyException;
import dev.foresight.policy.PolicySpecParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Inline policies parsed by the policy module's {@link PolicySpecParser}: the same keys as a
 * ScalingPolicy resource, flat ({@code minReplicas}, {@code maxReplicas}, {@code target.queue},
 * {@code target.ttft_p95}, {@code scaleDown.stabilizationWindowSeconds}, ...).
 *
 * <p>A key that is neither a policy key nor one of the scaler's or KEDA's own is reported here with
 * the full list of keys a trigger accepts, which says more to a ScaledObject author than a
 * reference to the parser.
 */
final class PolicySpecInlineParser implements InlinePolicyParser {

  static final PolicySpecInlineParser INSTANCE = new PolicySpecInlineParser();

  private static final String ACCEPTED =
      "a trigger key: "
          + String.join(", ", new TreeSet<>(ScalerMetadata.OWN_KEYS))
          + ", a KEDA connection key, or an inline policy key: "
          + String.join(
              ", ",
              PolicySpecParser.KNOWN_KEYS.stream().filter(k -> !k.startsWith("target.")).toList())
          + ", target.<signal> (keys are case-sensitive)";

  private PolicySpecInlineParser() {}

  @Override
  public Result parse(Map<String, String> keys) {
    List<Problem> problems = new ArrayList<>();
    Set<String> unknown = new TreeSet<>();
    for (String key : keys.keySet()) {
      if (!PolicySpecParser.KNOWN_KEYS.contains(key) && !key.startsWith("target.")) {
        unknown.add(key);
      }
    }
    unknown.forEach(key -> problems.add(new Problem(key, keys.get(key), ACCEPTED)));
    try {
      Result parsed = Result.of(PolicySpecParser.parse(keys, unknown::contains));
      return problems.isEmpty() ? parsed : Result.invalid(problems);
    } catch (InvalidPolicyException e) {
      e.problems().forEach(p -> problems.add(new Problem(p.field(), p.value(), p.expected())));
      return Result.invalid(problems);
    }
  }
}
