package dev.foresight.metricsapi.security;

/** The outcome of authenticating one request. */
public sealed interface Authentication {

  /** The aggregator was recognised and acts for {@code user}. */
  record Authenticated(UserInfo user) implements Authentication {}

  /** Not recognised; the reason goes to the log, never to the client. */
  record Rejected(String reason) implements Authentication {}
}
