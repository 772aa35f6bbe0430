package dev.foresight.policy.forecast;

/**
 * A sample given to a forecaster or estimator was unusable: the message names the field, the value
 * and what was expected. The state it was offered to is unchanged.
 */
public final class InvalidSampleException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String field;

  public InvalidSampleException(String field, Object value, String expected) {
    super(field + ": got '" + value + "', expected " + expected);
    this.field = field;
  }

  /** The field that was wrong, e.g. {@code requestRate}. */
  public String field() {
    return field;
  }
}
