package dev.foresight.controller.audit;

import dev.foresight.controller.prometheus.PrometheusException;
import java.util.Locale;

/** What went wrong in an evaluation; the {@code type} label of {@code foresight_errors_total}. */
public enum ErrorType {
  PROMETHEUS_TIMEOUT,
  PROMETHEUS_UNREACHABLE,
  PROMETHEUS_UNAVAILABLE,
  PROMETHEUS_BAD_QUERY,
  PROMETHEUS_UNAUTHORIZED,
  PROMETHEUS_BAD_RESPONSE,
  PROMETHEUS_INTERRUPTED,
  /** A signal query returned several series where one was expected. */
  SIGNAL_AMBIGUOUS,
  /** The evaluation took longer than its timeout; the count held. */
  EVALUATION_TIMEOUT,
  /** The evaluation threw; the count held. */
  EVALUATION_FAILED,
  /** The current replica count is unknown, so no decision could be made. */
  REPLICAS_UNKNOWN,
  /** The cluster did not answer for a replica count it answered before; the count held. */
  REPLICAS_UNREADABLE;

  /** The error type of a failed Prometheus request. */
  public static ErrorType of(PrometheusException.Kind kind) {
    return valueOf("PROMETHEUS_" + kind.name());
  }

  /** The label value, e.g. {@code prometheus_timeout}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
