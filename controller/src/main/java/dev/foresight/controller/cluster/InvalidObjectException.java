package dev.foresight.controller.cluster;

/**
 * A Kubernetes object has a field the controller cannot interpret. The object is skipped (and
 * counted); nothing else about the snapshot is lost.
 */
public final class InvalidObjectException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String object;
  private final String field;
  private final String value;
  private final String expected;

  public InvalidObjectException(String object, String field, String value, String expected) {
    super(object + ": " + field + " is '" + value + "', expected " + expected);
    this.object = object;
    this.field = field;
    this.value = value;
    this.expected = expected;
  }

  /** {@code kind/namespace/name} of the object. */
  public String object() {
    return object;
  }

  /** The field's path within the object. */
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
