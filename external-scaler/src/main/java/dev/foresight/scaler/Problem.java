package dev.foresight.scaler;

import java.util.Objects;

/**
 * One problem with a piece of input: where it is, the value found and what was expected.
 *
 * @param key the metadata key or configuration field, e.g. {@code policy} or {@code port}
 * @param value the value found, as text ({@code <missing>} when absent)
 * @param expected what a valid value looks like
 */
public record Problem(String key, String value, String expected) {

  /** Placeholder value for a key that is absent. */
  public static final String MISSING = "<missing>";

  public Problem {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(expected, "expected");
  }

  @Override
  public String toString() {
    return key + ": got '" + value + "', expected " + expected;
  }
}
