package dev.foresight.policy.supply;

import java.util.Locale;

/**
 * The {@code status} of a Kubernetes condition: {@code "True"}, {@code "False"} or {@code
 * "Unknown"}.
 */
public enum ConditionStatus {
  TRUE,
  FALSE,
  UNKNOWN;

  /**
   * Parses a condition status as the API server writes it.
   *
   * @param field the field path, for the error
   * @param value {@code True}, {@code False} or {@code Unknown} (case-insensitive)
   * @throws InvalidSupplyInputException when the value is none of them
   */
  public static ConditionStatus parse(String field, String value) {
    if (value != null) {
      switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "true":
          return TRUE;
        case "false":
          return FALSE;
        case "unknown":
          return UNKNOWN;
        default:
          break;
      }
    }
    throw new InvalidSupplyInputException(field, String.valueOf(value), "True, False or Unknown");
  }
}
