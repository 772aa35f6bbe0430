package dev.foresight.policy.supply;

/**
 * A Kubernetes field could not be turned into a supply input. Names the field, the value found and
 * what was expected, so the controller can log one line that points at the object to fix.
 */
public final class InvalidSupplyInputException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String field;
  private final String value;
  private final String expected;

  /**
   * @param field the field path, e.g. {@code
   *     nodeclaim/gpu-a1b2c.status.allocatable[nvidia.com/gpu]}
   * @param value the value found, verbatim
   * @param expected what a valid value looks like
   */
  public InvalidSupplyInputException(String field, String value, String expected) {
    super(field + " = '" + value + "': expected " + expected);
    this.field = field;
    this.value = value;
    this.expected = expected;
  }

  /** The field path. */
  public String field() {
    return field;
  }

  /** The value found. */
  public String value() {
    return value;
  }

  /** What was expected. */
  public String expected() {
    return expected;
  }
}
