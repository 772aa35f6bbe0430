package dev.foresight.controller.prometheus;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * PromQL over the Prometheus HTTP API with the JDK {@link HttpClient} and Jackson.
 *
 * <pre>{@code
 * PrometheusClient prometheus = new PrometheusClient(PrometheusClient.Settings.of(uri));
 * QueryResult r = prometheus.instant("sum(vllm:num_requests_waiting)", Instant.now());
 * }</pre>
 *
 * <p>Queries are sent as form-encoded POSTs, so that long selectors never hit URL limits. A failed
 * attempt is retried when its {@link PrometheusException.Kind#retryable() kind} allows, after
 * {@code backoff * 2^(attempt-1)} scaled by a random factor in [0.5, 1.0] (jitter keeps many
 * workloads from retrying in lockstep). The bearer token file is read on every request, so that a
 * rotated token is picked up without a restart.
 */
public final class PrometheusClient implements PromQl {

  /**
   * How to reach Prometheus.
   *
   * @param baseUrl base URL, e.g. {@code http://prometheus:9090} or one with a path prefix
   * @param tokenFile file holding a bearer token, if any
   * @param caFile PEM CA certificates trusted for https, if any (else the JDK's trust store)
   * @param timeout timeout of one attempt
   * @param retries attempts after the first
   * @param backoff delay before the first retry
   */
  public record Settings(
      URI baseUrl,
      Optional<Path> tokenFile,
      Optional<Path> caFile,
      Duration timeout,
      int retries,
      Duration backoff) {
    public Settings {
      Objects.requireNonNull(baseUrl, "baseUrl");
      Objects.requireNonNull(tokenFile, "tokenFile");
      Objects.requireNonNull(caFile, "caFile");
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(backoff, "backoff");
      if (retries < 0) {
        throw new IllegalArgumentException("retries must not be negative: " + retries);
      }
    }

    /** {@code baseUrl} with a 2 s timeout, 2 retries from 200 ms, no token, the JDK trust store. */
    public static Settings of(URI baseUrl) {
      return new Settings(
          baseUrl,
          Optional.empty(),
          Optional.empty(),
          Duration.ofSeconds(2),
          2,
          Duration.ofMillis(200));
    }
  }

  private final Settings settings;
  private final HttpClient http;
  private final ResponseParser parser = new ResponseParser(new ObjectMapper());
  private final String base;

  /**
   * @throws IllegalArgumentException when the CA file cannot be read as PEM certificates
   */
  public PrometheusClient(Settings settings) {
    this.settings = settings;
    String b = settings.baseUrl().toString();
    this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            // Prometheus speaks HTTP/1.1 in cleartext; skipping the h2c upgrade attempt saves work.
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(settings.timeout())
            .followRedirects(HttpClient.Redirect.NORMAL);
    settings.caFile().ifPresent(ca -> builder.sslContext(trusting(ca)));
    this.http = builder.build();
  }

  @Override
  public QueryResult instant(String query, Instant time) throws PrometheusException {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("query", query);
    form.put("time", seconds(time));
    return post("/api/v1/query", form);
  }

  @Override
  public QueryResult range(String query, Instant start, Instant end, Duration step)
      throws PrometheusException {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("query", query);
    form.put("start", seconds(start));
    form.put("end", seconds(end));
    form.put("step", seconds(step));
    return post("/api/v1/query_range", form);
  }

  private QueryResult post(String path, Map<String, String> form) throws PrometheusException {
    // Prometheus evaluates no longer than the timeout we give it; it answers 503 "timeout" then.
    form.put("timeout", seconds(settings.timeout()));
    String body =
        form.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    PrometheusException last = null;
    for (int attempt = 0; attempt <= settings.retries(); attempt++) {
      if (attempt > 0) {
        sleepBeforeRetry(attempt);
      }
      try {
        return attempt(path, body);
      } catch (PrometheusException e) {
        last = e;
        if (!e.kind().retryable()) {
          throw e;
        }
      }
    }
    throw last;
  }

  private QueryResult attempt(String path, String body) throws PrometheusException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(settings.timeout())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    Optional<String> token = token();
    token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new PrometheusException(
          PrometheusException.Kind.TIMEOUT, "no answer within " + settings.timeout(), e);
    } catch (IOException e) {
      throw new PrometheusException(PrometheusException.Kind.UNREACHABLE, base + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PrometheusException(PrometheusException.Kind.INTERRUPTED, "interrupted", e);
    }
    int status = response.statusCode();
    if (status == 200) {
      return parser.parse(response.body());
    }
    String error = "HTTP " + status + " " + parser.errorOf(response.body());
    PrometheusException.Kind kind;
    if (status == 400 || status == 422) {
      kind = PrometheusException.Kind.BAD_QUERY;
    } else if (status == 401 || status == 403) {
      kind = PrometheusException.Kind.UNAUTHORIZED;
    } else if (status == 429 || status >= 500) {
      kind = PrometheusException.Kind.UNAVAILABLE;
    } else {
      kind = PrometheusException.Kind.BAD_RESPONSE;
    }
    throw new PrometheusException(kind, error);
  }

  private Optional<String> token() throws PrometheusException {
    if (settings.tokenFile().isEmpty()) {
      return Optional.empty();
    }
    try {
      String t = Files.readString(settings.tokenFile().get()).trim();
      return t.isEmpty() ? Optional.empty() : Optional.of(t);
    } catch (IOException e) {
      throw new PrometheusException(
          PrometheusException.Kind.UNAUTHORIZED,
          "cannot read token file " + settings.tokenFile().get(),
          e);
    }
  }

  private void sleepBeforeRetry(int attempt) throws PrometheusException {
    long base = settings.backoff().toMillis() << Math.min(attempt - 1, 20);
    long delay = (long) (base * (0.5 + 0.5 * ThreadLocalRandom.current().nextDouble()));
    try {
      Thread.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PrometheusException(PrometheusException.Kind.INTERRUPTED, "interrupted", e);
    }
  }

  /** Seconds since the epoch with millisecond precision, as the API accepts them. */
  static String seconds(Instant t) {
    return BigDecimal.valueOf(t.toEpochMilli())
        .movePointLeft(3)
        .stripTrailingZeros()
        .toPlainString();
  }

  static String seconds(Duration d) {
    return BigDecimal.valueOf(d.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString();
  }

  private static SSLContext trusting(Path caFile) {
    try (InputStream in = Files.newInputStream(caFile)) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trust.setCertificateEntry("ca-" + i++, c);
      }
      if (i == 0) {
        throw new IllegalArgumentException("no certificate in CA file " + caFile);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      return ssl;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot use CA file " + caFile + ": " + e.getMessage(), e);
    }
  }
}
