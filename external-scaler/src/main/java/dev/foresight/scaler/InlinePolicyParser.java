package dev.foresight.scaler;

import dev.foresight.policy.PolicySpec;
import java.util.List;
import java.util.Map;

/**
 * Parses the inline-policy keys of a trigger's metadata (targets, bounds, SLOs) into a {@link
 * PolicySpec}. The keys are handed over exactly as written; every problem is reported at once.
 */
public interface InlinePolicyParser {

  /**
   * The spec the keys describe, or every problem with them.
   *
   * @param keys the inline-policy keys and their values, never empty
   */
  Result parse(Map<String, String> keys);

  /** The outcome: a spec, or at least one problem. */
  record Result(PolicySpec spec, List<Problem> problems) {
    public Result {
      problems = List.copyOf(problems);
      if ((spec == null) == problems.isEmpty()) {
        throw new IllegalArgumentException("exactly one of spec and problems must be given");
      }
    }

    public static Result of(PolicySpec spec) {
      return new Result(spec, List.of());
    }

    public static Result invalid(List<Problem> problems) {
      return new Result(null, problems);
    }
  }

  /** A parser that accepts no inline keys: every key is reported as unknown. */
  InlinePolicyParser NONE =
      keys ->
          Result.invalid(
              keys.entrySet().stream()
                  .sorted(Map.Entry.comparingByKey())
                  .map(
                      e ->
                          new Problem(
                              e.getKey(),
                              e.getValue(),
                              "one of "
                                  + ScalerMetadata.OWN_KEYS
                                  + " or a KEDA connection key (inline policies are not enabled)"))
                  .toList());
}
