package dev.foresight.policy;

import java.util.List;
import java.util.stream.Collectors;

/** A policy spec failed validation; the message lists every problem, one per line. */
public final class InvalidPolicyException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final transient List<Problem> problems;

  public InvalidPolicyException(List<Problem> problems) {
    super(
        "invalid policy ("
            + problems.size()
            + (problems.size() == 1 ? " problem" : " problems")
            + "):\n"
            + problems.stream().map(p -> "  - " + p).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }

  /**
   * One problem: the field, the value found and what was expected.
   *
   * @param field path of the field, e.g. {@code behavior.scaleDown.policies[0].periodSeconds}
   * @param value the value found, as text
   * @param expected what a valid value looks like
   */
  public record Problem(String field, String value, String expected) {
    @Override
    public String toString() {
      return field + ": got '" + value + "', expected " + expected;
    }
  }
}
