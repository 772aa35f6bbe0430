package dev.foresight.controller.prometheus;

import java.util.Objects;

/**
 * A Prometheus request failed. The {@link Kind} says how, so that callers count and react by type,
 * never by message text.
 */
public final class PrometheusException extends Exception {

  private static final long serialVersionUID = 1L;

  /** How a request failed. */
  public enum Kind {
    /** No answer within the request timeout. */
    TIMEOUT(true),
    /** Connection refused, reset, TLS handshake failure or another I/O error. */
    UNREACHABLE(true),
    /** HTTP 429 or 5xx: Prometheus is overloaded or unavailable. */
    UNAVAILABLE(true),
    /**
     * HTTP 400 or 422: the query is wrong ({@code bad_data}, {@code execution}); retrying cannot
     * help.
     */
    BAD_QUERY(false),
    /** HTTP 401 or 403: the token is missing, wrong or not allowed. */
    UNAUTHORIZED(false),
    /** The body is not the API's JSON, or another unexpected status. */
    BAD_RESPONSE(false),
    /** The thread was interrupted while waiting. */
    INTERRUPTED(false);

    private final boolean retryable;

    Kind(boolean retryable) {
      this.retryable = retryable;
    }

    /** Whether another attempt may succeed. */
    public boolean retryable() {
      return retryable;
    }
  }

  private final Kind kind;

  public PrometheusException(Kind kind, String message, Throwable cause) {
    super(kind + ": " + message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public PrometheusException(Kind kind, String message) {
    this(kind, message, null);
  }

  public Kind kind() {
    return kind;
  }
}
