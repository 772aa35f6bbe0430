package dev.foresight.metricsapi.selector;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One requirement of a label selector, such as {@code policy in (a,b)}.
 *
 * @param key the label key
 * @param operator the operator
 * @param values the values: one for {@code =}, {@code !=}, {@code >} and {@code <}, at least one
 *     for {@code in}/{@code notin}, none for existence tests
 */
public record Requirement(String key, Operator operator, List<String> values) {

  /** The operators of Kubernetes' label selector string syntax. */
  public enum Operator {
    /** {@code key=value} or {@code key==value}: the label exists and equals the value. */
    EQUALS,
    /** {@code key!=value}: the label is absent or differs from the value. */
    NOT_EQUALS,
    /** {@code key in (v1,v2)}: the label exists and is one of the values. */
    IN,
    /** {@code key notin (v1,v2)}: the label is absent or none of the values. */
    NOT_IN,
    /** {@code key}: the label exists. */
    EXISTS,
    /** {@code !key}: the label does not exist. */
    DOES_NOT_EXIST,
    /** {@code key>n}: the label exists, is an integer and is greater than n. */
    GREATER_THAN,
    /** {@code key<n}: the label exists, is an integer and is less than n. */
    LESS_THAN
  }

  public Requirement {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(operator, "operator");
    values = List.copyOf(values);
  }

  /** Whether {@code labels} satisfy this requirement, with Kubernetes' semantics. */
  public boolean matches(Map<String, String> labels) {
    String actual = labels.get(key);
    switch (operator) {
      case EQUALS:
      case IN:
        return actual != null && values.contains(actual);
      case NOT_EQUALS:
      case NOT_IN:
        return actual == null || !values.contains(actual);
      case EXISTS:
        return actual != null;
      case DOES_NOT_EXIST:
        return actual == null;
      case GREATER_THAN:
      case LESS_THAN:
        if (actual == null) {
          return false;
        }
        long have;
        try {
          have = Long.parseLong(actual);
        } catch (NumberFormatException notANumber) {
          return false;
        }
        long bound = Long.parseLong(values.get(0));
        return operator == Operator.GREATER_THAN ? have > bound : have < bound;
      default:
        throw new AssertionError(operator);
    }
  }
}
