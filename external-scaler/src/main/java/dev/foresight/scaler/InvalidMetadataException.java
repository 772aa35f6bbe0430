package dev.foresight.scaler;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A ScaledObject trigger's metadata is invalid. The message lists every problem, one per line, so
 * that one round trip through KEDA shows the user everything to fix.
 */
public final class InvalidMetadataException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final transient List<Problem> problems;

  public InvalidMetadataException(String scaledObject, List<Problem> problems) {
    super(
        "invalid Foresight trigger metadata on ScaledObject "
            + scaledObject
            + " ("
            + problems.size()
            + (problems.size() == 1 ? " problem" : " problems")
            + "):\n"
            + problems.stream().map(p -> "  - " + p).collect(Collectors.joining("\n")));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("an invalid-metadata error needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
