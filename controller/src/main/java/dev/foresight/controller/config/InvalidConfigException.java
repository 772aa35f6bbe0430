package dev.foresight.controller.config;

import java.util.List;
import java.util.stream.Collectors;

/** Configuration failed validation; the message lists every problem, one per line. */
public final class InvalidConfigException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final transient List<Problem> problems;

  public InvalidConfigException(String what, List<Problem> problems) {
    super(
        what
            + " ("
            + problems.size()
            + (problems.size() == 1 ? " problem" : " problems")
            + "):\n"
            + problems.stream().map(p -> "  - " + p).collect(Collectors.joining("\n")));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("an invalid configuration has at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
