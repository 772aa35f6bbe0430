package dev.foresight.scaler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How the scaler's gRPC server listens and secures itself. Build with {@link #builder()}; {@link
 * Builder#build()} reports every problem at once.
 *
 * <p>Security, and the KEDA trigger options that match it (KEDA reads {@code caCert}, {@code
 * tlsClientCert} and {@code tlsClientKey} as PEM contents from a TriggerAuthentication):
 *
 * <table>
 *   <caption>security modes</caption>
 *   <tr><th>{@link Security}</th><th>server needs</th><th>KEDA trigger</th></tr>
 *   <tr><td>PLAINTEXT</td><td>nothing</td><td>no TLS keys</td></tr>
 *   <tr><td>TLS</td><td>certChain, privateKey</td><td>{@code enableTLS: "true"} (CA in the
 *       operator's trust store) or {@code caCert} = the CA that signed certChain</td></tr>
 *   <tr><td>MUTUAL_TLS</td><td>certChain, privateKey, clientCa</td><td>{@code caCert} plus
 *       {@code tlsClientCert}/{@code tlsClientKey} signed by clientCa</td></tr>
 * </table>
 *
 * <p>The certificate, key and client CA files are re-read every {@code certRefresh} and take effect
 * for new connections without a restart (cert-manager rotating a mounted Secret).
 *
 * @param host address to bind, e.g. {@code 0.0.0.0}
 * @param port port to bind; 0 picks a free one
 * @param security plaintext, TLS or mutual TLS
 * @param certChain PEM certificate chain of the server (TLS and mutual TLS)
 * @param privateKey PEM PKCS#8 private key of the server (TLS and mutual TLS)
 * @param clientCa PEM CA certificates that sign accepted client certificates (mutual TLS)
 * @param certRefresh how often the certificate files are checked for changes
 * @param activityRepeat how often StreamIsActive repeats the current state unchanged
 * @param staleAfter a decision older than this is answered but counted as stale
 * @param shutdownGrace how long shutdown waits for calls in flight before cancelling them
 */
public record ScalerServerConfig(
    String host,
    int port,
    Security security,
    Optional<Path> certChain,
    Optional<Path> privateKey,
    Optional<Path> clientCa,
    Duration certRefresh,
    Duration activityRepeat,
    Duration staleAfter,
    Duration shutdownGrace) {

  /** Transport security. */
  public enum Security {
    PLAINTEXT,
    TLS,
    MUTUAL_TLS
  }

  public static final Duration DEFAULT_CERT_REFRESH = Duration.ofSeconds(60);
  public static final Duration DEFAULT_ACTIVITY_REPEAT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_STALE_AFTER = Duration.ofMinutes(2);
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);

  public ScalerServerConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(security, "security");
    Objects.requireNonNull(certChain, "certChain");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(clientCa, "clientCa");
    Objects.requireNonNull(certRefresh, "certRefresh");
    Objects.requireNonNull(activityRepeat, "activityRepeat");
    Objects.requireNonNull(staleAfter, "staleAfter");
    Objects.requireNonNull(shutdownGrace, "shutdownGrace");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Every problem with this configuration; empty when it is valid. */
  public List<Problem> problems() {
    List<Problem> problems = new ArrayList<>();
    if (host.isBlank()) {
      problems.add(new Problem("host", host, "an address to bind, e.g. 0.0.0.0"));
    }
    if (port < 0 || port > 65535) {
      problems.add(new Problem("port", String.valueOf(port), "0 to 65535 (0 picks a free port)"));
    }
    boolean tls = security != Security.PLAINTEXT;
    checkFile("certChain", certChain, tls, security, problems);
    checkFile("privateKey", privateKey, tls, security, problems);
    checkFile("clientCa", clientCa, security == Security.MUTUAL_TLS, security, problems);
    positive("certRefresh", certRefresh, problems);
    positive("activityRepeat", activityRepeat, problems);
    positive("staleAfter", staleAfter, problems);
    if (shutdownGrace.isNegative()) {
      problems.add(new Problem("shutdownGrace", shutdownGrace.toString(), "0 or more"));
    }
    return problems;
  }

  private static void checkFile(
      String key, Optional<Path> file, boolean needed, Security security, List<Problem> out) {
    if (needed && file.isEmpty()) {
      out.add(
          new Problem(key, Problem.MISSING, "a readable PEM file (security is " + security + ")"));
    } else if (!needed && file.isPresent()) {
      out.add(new Problem(key, file.get().toString(), "no value with security " + security));
    } else if (file.isPresent() && !Files.isReadable(file.get())) {
      out.add(new Problem(key, file.get().toString(), "a readable PEM file"));
    }
  }

  private static void positive(String key, Duration value, List<Problem> out) {
    if (value.isNegative() || value.isZero()) {
      out.add(new Problem(key, value.toString(), "a positive duration"));
    }
  }

  /** Collects the configuration; every field has a default except the TLS files. */
  public static final class Builder {
    private String host = "0.0.0.0";
    private int port = 9090;
    private Security security = Security.PLAINTEXT;
    private Path certChain;
    private Path privateKey;
    private Path clientCa;
    private Duration certRefresh = DEFAULT_CERT_REFRESH;
    private Duration activityRepeat = DEFAULT_ACTIVITY_REPEAT;
    private Duration staleAfter = DEFAULT_STALE_AFTER;
    private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;

    private Builder() {}

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder plaintext() {
      this.security = Security.PLAINTEXT;
      return this;
    }

    /** Server-side TLS with this certificate chain and key. */
    public Builder tls(Path certChain, Path privateKey) {
      this.security = Security.TLS;
      this.certChain = certChain;
      this.privateKey = privateKey;
      return this;
    }

    /** Mutual TLS: as {@link #tls}, and clients must present a certificate signed by clientCa. */
    public Builder mutualTls(Path certChain, Path privateKey, Path clientCa) {
      tls(certChain, privateKey);
      this.security = Security.MUTUAL_TLS;
      this.clientCa = clientCa;
      return this;
    }

    public Builder security(Security security) {
      this.security = security;
      return this;
    }

    public Builder certChain(Path certChain) {
      this.certChain = certChain;
      return this;
    }

    public Builder privateKey(Path privateKey) {
      this.privateKey = privateKey;
      return this;
    }

    public Builder clientCa(Path clientCa) {
      this.clientCa = clientCa;
      return this;
    }

    public Builder certRefresh(Duration certRefresh) {
      this.certRefresh = certRefresh;
      return this;
    }

    public Builder activityRepeat(Duration activityRepeat) {
      this.activityRepeat = activityRepeat;
      return this;
    }

    public Builder staleAfter(Duration staleAfter) {
      this.staleAfter = staleAfter;
      return this;
    }

    public Builder shutdownGrace(Duration shutdownGrace) {
      this.shutdownGrace = shutdownGrace;
      return this;
    }

    /**
     * The configuration.
     *
     * @throws IllegalArgumentException listing every problem, one per line
     */
    public ScalerServerConfig build() {
      ScalerServerConfig config =
          new ScalerServerConfig(
              Objects.requireNonNullElse(host, ""),
              port,
              Objects.requireNonNull(security, "security"),
              Optional.ofNullable(certChain),
              Optional.ofNullable(privateKey),
              Optional.ofNullable(clientCa),
              Objects.requireNonNull(certRefresh, "certRefresh"),
              Objects.requireNonNull(activityRepeat, "activityRepeat"),
              Objects.requireNonNull(staleAfter, "staleAfter"),
              Objects.requireNonNull(shutdownGrace, "shutdownGrace"));
      List<Problem> problems = config.problems();
      if (!problems.isEmpty()) {
        throw new InvalidConfigException(problems);
      }
      return config;
    }
  }

  /** The server configuration is invalid; the message lists every problem. */
  public static final class InvalidConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final transient List<Problem> problems;

    InvalidConfigException(List<Problem> problems) {
      super(
          "invalid external scaler configuration:\n"
              + problems.stream().map(p -> "  - " + p).collect(Collectors.joining("\n")));
      this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
      return problems;
    }
  }
}
