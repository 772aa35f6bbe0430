package dev.foresight.scaler;

import dev.foresight.policy.InvalidPolicyException;
import dev.foresight.policy.PolicySpec;
import dev.foresight.policy.Signal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small inline-policy parser for tests of the port: {@code maxReplicas} (integer) and {@code
 * target.<signal>} (number). The production parser lives in the policy module.
 */
final class FakeInlinePolicyParser implements InlinePolicyParser {

  @Override
  public Result parse(Map<String, String> keys) {
    List<Problem> problems = new ArrayList<>();
    PolicySpec.Builder spec = PolicySpec.builder();
    new TreeMap<>(keys)
        .forEach(
            (key, value) -> {
              if (key.equals("maxReplicas")) {
                try {
                  spec.maxReplicas(Integer.parseInt(value));
                } catch (NumberFormatException e) {
                  problems.add(new Problem(key, value, "an integer"));
                }
              } else if (key.startsWith("target.")
                  && Signal.fromWireName(key.substring(7)).isPresent()) {
                try {
                  spec.target(
                      Signal.fromWireName(key.substring(7)).get(), Double.parseDouble(value));
                } catch (NumberFormatException e) {
                  problems.add(new Problem(key, value, "a number"));
                }
              } else {
                problems.add(new Problem(key, value, "maxReplicas or target.<signal>"));
              }
            });
    if (!problems.isEmpty()) {
      return Result.invalid(problems);
    }
    try {
      return Result.of(spec.build());
    } catch (InvalidPolicyException e) {
      return Result.invalid(
          e.problems().stream().map(p -> new Problem(p.field(), p.value(), p.expected())).toList());
    }
  }
}
