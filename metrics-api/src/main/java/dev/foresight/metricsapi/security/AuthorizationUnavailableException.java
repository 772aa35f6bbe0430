package dev.foresight.metricsapi.security;

/** The authorization decision could not be made (API server unreachable or refusing). */
public final class AuthorizationUnavailableException extends Exception {

  public AuthorizationUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
