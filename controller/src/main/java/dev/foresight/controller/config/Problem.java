package dev.foresight.controller.config;

import java.util.Objects;

/**
 * One configuration problem: where it is, what was found and what was expected.
 *
 * @param field the flag, environment variable or file path of the value, e.g. {@code --loop-period}
 *     or {@code policies[2].signals.queue.query}
 * @param value the value found, as text ({@code <missing>} when absent)
 * @param expected what a valid value looks like
 */
public record Problem(String field, String value, String expected) {

  public Problem {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(expected, "expected");
  }

  @Override
  public String toString() {
    return field + ": got '" + value + "', expected " + expected;
  }
}
