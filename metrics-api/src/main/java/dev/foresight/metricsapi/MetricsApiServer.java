package dev.foresight.metricsapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.foresight.metricsapi.ExternalMetricResolver.Answer;
import dev.foresight.metricsapi.kube.KubeObjects;
import dev.foresight.metricsapi.kube.KubeObjects.ApiGroup;
import dev.foresight.metricsapi.kube.KubeObjects.ApiGroupList;
import dev.foresight.metricsapi.kube.KubeObjects.ApiResource;
import dev.foresight.metricsapi.kube.KubeObjects.ApiResourceList;
import dev.foresight.metricsapi.kube.KubeObjects.Status;
import dev.foresight.metricsapi.kube.OpenApiDocuments;
import dev.foresight.metricsapi.security.AcceptAnyClientCertificate;
import dev.foresight.metricsapi.security.Authentication;
import dev.foresight.metricsapi.security.AuthorizationUnavailableException;
import dev.foresight.metricsapi.security.Authorizer;
import dev.foresight.metricsapi.security.ReloadingKeyManager;
import dev.foresight.metricsapi.security.RequestHeaderAuthenticator;
import dev.foresight.metricsapi.security.UserInfo;
import dev.foresight.metricsapi.selector.InvalidSelectorException;
import dev.foresight.metricsapi.selector.LabelSelector;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code external.metrics.k8s.io/v1beta1} server the Kubernetes aggregator forwards HPA's
 * requests to, on the JDK's {@code HttpsServer}.
 *
 * <p>Routes: {@code /healthz}, {@code /livez}, {@code /readyz} (no authentication, for kubelet
 * probes); everything else only for the authenticated aggregator: discovery ({@code /apis}, {@code
 * /apis/external.metrics.k8s.io}, {@code /apis/external.metrics.k8s.io/v1beta1}), {@code
 * /openapi/v2}, {@code /openapi/v3}, and {@code GET
 * /apis/external.metrics.k8s.io/v1beta1/namespaces/{ns}/{metric}?labelSelector=...}, which is also
 * authorized per user, namespace and metric.
 *
 * <p>Failures are Kubernetes {@code Status} objects: 400 BadRequest (malformed selector), 401
 * Unauthorized (not the aggregator), 403 Forbidden (RBAC denies), 404 NotFound (unknown metric or
 * no matching workload), 503 ServiceUnavailable (a matched workload has no value yet; HPA then
 * keeps the current count).
 *
 * <p>Why the JDK server rather than Netty: it needs no dependency, gives the client certificate
 * through {@code HttpsExchange.getSSLSession()}, and keeps the code small; the load generator
 * measures its latency at 2,000 requests/s over mTLS. Its one trap: the JVM must run with {@code
 * -Dsun.net.httpserver.nodelay=true} (see the static initializer).
 */
public final class MetricsApiServer implements AutoCloseable {

  /** Whether the JVM was started with {@code -Dsun.net.httpserver.nodelay=true}. */
  private static final boolean NODELAY_FROM_COMMAND_LINE =
      "true".equals(System.getProperty("sun.net.httpserver.nodelay"));

  static {
    // The JDK server writes the headers and the body of a response separately; with Nagle's
    // algorithm on, the body waits for the client's delayed ACK, ~40 ms per request (measured with
    // the load generator). The JDK reads this property once, when its first HTTP server class
    // loads: setting it here only helps when no other com.sun.net.httpserver server (for example
    // the Prometheus exporter) started earlier in this JVM, hence the warning in start().
    if (!NODELAY_FROM_COMMAND_LINE) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(MetricsApiServer.class);
  private static final String METRICS_PREFIX =
      "/apis/" + KubeObjects.GROUP_VERSION + "/namespaces/";

  private final HttpsServer server;
  private final ExecutorService workers;
  private final ScheduledExecutorService reloader;
  private final ServerStats stats;

  private MetricsApiServer(
      HttpsServer server,
      ExecutorService workers,
      ScheduledExecutorService reloader,
      ServerStats stats) {
    this.server = server;
    this.workers = workers;
    this.reloader = reloader;
    this.stats = stats;
  }

  /**
   * Starts serving.
   *
   * @param config listen address, thread count, reload interval
   * @param resolver answers metric requests from the decision store
   * @param keyManager the serving certificate
   * @param authenticator recognises the aggregator
   * @param authorizer decides per user, namespace and metric
   * @param periodic reload tasks (certificate files, request-header CA) run every reload interval
   * @param stats counters to update
   */
  public static MetricsApiServer start(
      MetricsApiServerConfig config,
      ExternalMetricResolver resolver,
      ReloadingKeyManager keyManager,
      RequestHeaderAuthenticator authenticator,
      Authorizer authorizer,
      List<Runnable> periodic,
      ServerStats stats)
      throws IOException {
    SSLContext tls;
    try {
      tls = SSLContext.getInstance("TLS");
      tls.init(
          new KeyManager[] {keyManager},
          new TrustManager[] {new AcceptAnyClientCertificate()},
          null);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS", e);
    }
    HttpsServer server = HttpsServer.create(config.listen(), config.backlog());
    server.setHttpsConfigurator(
        new HttpsConfigurator(tls) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters p = tls.getDefaultSSLParameters();
            p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            // Ask for a client certificate without requiring one: a request without one must get
            // a 401 Status, and health probes come without one.
            p.setWantClientAuth(true);
            params.setSSLParameters(p);
          }
        });
    ExecutorService workers = Executors.newFixedThreadPool(config.threads(), daemon("metrics-api"));
    server.setExecutor(workers);
    server.createContext("/", new Router(resolver, authenticator, authorizer, stats));
    ScheduledExecutorService reloader =
        Executors.newSingleThreadScheduledExecutor(daemon("metrics-api-reload"));
    long every = config.reloadInterval().toMillis();
    for (Runnable task : periodic) {
      reloader.scheduleWithFixedDelay(task, every, every, TimeUnit.MILLISECONDS);
    }
    server.start();
    if (!NODELAY_FROM_COMMAND_LINE) {
      LOG.warn(
          "start the JVM with -Dsun.net.httpserver.nodelay=true: without it, if another JDK HTTP"
              + " server started first in this JVM, every response waits ~40 ms for a delayed ACK");
    }
    LOG.info("external metrics API listening on {}", server.getAddress());
    return new MetricsApiServer(server, workers, reloader, stats);
  }

  /** The bound address (the port is real when 0 was asked for). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** The server's counters. */
  public ServerStats stats() {
    return stats;
  }

  @Override
  public void close() {
    reloader.shutdownNow();
    server.stop(0);
    workers.shutdownNow();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Dispatches requests; one instance serves all threads. */
  static final class Router implements HttpHandler {
    private static final byte[] OK = "ok".getBytes(StandardCharsets.US_ASCII);

    private final ExternalMetricResolver resolver;
    private final RequestHeaderAuthenticator authenticator;
    private final Authorizer authorizer;
    private final ServerStats stats;
    private final ObjectMapper json = new ObjectMapper();
    private final byte[] groupList;
    private final byte[] group;
    private final byte[] resourceList;
    private final OpenApiDocuments openApi;

    Router(
        ExternalMetricResolver resolver,
        RequestHeaderAuthenticator authenticator,
        Authorizer authorizer,
        ServerStats stats) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
      this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
      this.stats = Objects.requireNonNull(stats, "stats");
      List<String> names = resolver.catalog().names();
      try {
        this.groupList = json.writeValueAsBytes(ApiGroupList.externalMetrics());
        this.group = json.writeValueAsBytes(ApiGroup.externalMetrics());
        this.resourceList =
            json.writeValueAsBytes(
                new ApiResourceList(names.stream().map(ApiResource::metric).toList()));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      this.openApi = new OpenApiDocuments(json, names);
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
      try (ex) {
        String path = ex.getRequestURI().getRawPath();
        if (path.length() > 1 && path.endsWith("/")) {
          path = path.substring(0, path.length() - 1);
        }
        if (path.equals("/healthz") || path.equals("/livez") || path.equals("/readyz")) {
          send(ex, 200, "text/plain; charset=utf-8", OK);
          return;
        }
        Authentication auth =
            authenticator.authenticate(
                ((HttpsExchange) ex).getSSLSession(),
                ex.getRequestHeaders()::get,
                ex.getRequestHeaders().keySet());
        if (auth instanceof Authentication.Rejected rejected) {
          stats.recordUnauthenticated();
          LOG.debug("401 for {} from {}: {}", path, ex.getRemoteAddress(), rejected.reason());
          status(ex, Status.failure(401, "Unauthorized", "Unauthorized"));
          return;
        }
        UserInfo user = ((Authentication.Authenticated) auth).user();
        if (!ex.getRequestMethod().equals("GET")) {
          status(
              ex,
              Status.failure(
                  405,
                  "MethodNotAllowed",
                  "the server does not allow method " + ex.getRequestMethod() + " on " + path));
          return;
        }
        switch (path) {
          case "/apis" -> send(ex, 200, "application/json", groupList);
          case "/apis/" + KubeObjects.GROUP -> send(ex, 200, "application/json", group);
          case "/apis/" + KubeObjects.GROUP_VERSION ->
              send(ex, 200, "application/json", resourceList);
          case "/openapi/v2" -> send(ex, 200, "application/json", openApi.v2());
          case "/openapi/v3" -> send(ex, 200, "application/json", openApi.v3Index());
          case "/openapi/v3/" + OpenApiDocuments.V3_GROUP_VERSION_PATH ->
              send(ex, 200, "application/json", openApi.v3GroupVersion());
          default -> {
            if (path.startsWith(METRICS_PREFIX)) {
              metric(ex, user, path.substring(METRICS_PREFIX.length()));
            } else {
              notFound(ex);
            }
          }
        }
      } catch (RuntimeException e) {
        LOG.error("internal error serving {}", ex.getRequestURI(), e);
        status(ex, Status.failure(500, "InternalError", "Internal error occurred"));
      }
    }

    /** {@code rest} is {@code {namespace}/{metric}}. */
    private void metric(HttpExchange ex, UserInfo user, String rest) throws IOException {
      int slash = rest.indexOf('/');
      if (slash <= 0 || slash == rest.length() - 1 || rest.indexOf('/', slash + 1) >= 0) {
        notFound(ex);
        return;
      }
      String namespace;
      String metric;
      String selectorText;
      try {
        namespace = decode(rest.substring(0, slash));
        metric = decode(rest.substring(slash + 1));
        selectorText = queryParameter(ex, "labelSelector");
      } catch (MalformedEscapeException e) {
        status(ex, Status.failure(400, "BadRequest", e.getMessage()));
        return;
      }
      Authorizer.Verdict verdict;
      try {
        verdict = authorizer.authorize(user, namespace, metric);
      } catch (AuthorizationUnavailableException e) {
        LOG.warn("authorization unavailable for user {}: {}", user.name(), e.getMessage());
        status(
            ex, Status.failure(500, "InternalError", "Internal error occurred: " + e.getMessage()));
        return;
      }
      if (!verdict.allowed()) {
        stats.recordForbidden();
        status(ex, Status.forbidden(user.name(), namespace, metric, verdict.reason()));
        return;
      }
      LabelSelector selector;
      try {
        selector = LabelSelector.parse(selectorText);
      } catch (InvalidSelectorException e) {
        status(ex, Status.failure(400, "BadRequest", e.getMessage()));
        return;
      }
      Answer answer = resolver.resolve(namespace, metric, selector);
      if (answer instanceof Answer.Items items) {
        stats.recordServed();
        send(ex, 200, "application/json", json.writeValueAsBytes(items.list()));
      } else if (answer instanceof Answer.NotFound nf) {
        status(ex, Status.failure(404, "NotFound", nf.message()));
      } else {
        status(
            ex, Status.failure(503, "ServiceUnavailable", ((Answer.Unavailable) answer).message()));
      }
    }

    private void notFound(HttpExchange ex) throws IOException {
      status(
          ex, Status.failure(404, "NotFound", "the server could not find the requested resource"));
    }

    private void status(HttpExchange ex, Status s) throws IOException {
      send(ex, s.code(), "application/json", json.writeValueAsBytes(s));
    }

    private static void send(HttpExchange ex, int code, String type, byte[] body)
        throws IOException {
      ex.getResponseHeaders().set("Content-Type", type);
      ex.sendResponseHeaders(code, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }

    private static String queryParameter(HttpExchange ex, String name)
        throws MalformedEscapeException {
      String query = ex.getRequestURI().getRawQuery();
      if (query == null) {
        return null;
      }
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        String key = decode(eq < 0 ? pair : pair.substring(0, eq));
        if (key.equals(name)) {
          return eq < 0 ? "" : decode(pair.substring(eq + 1));
        }
      }
      return null;
    }

    /** Percent-decodes a path segment or query part; a broken escape is the client's error. */
    private static String decode(String s) throws MalformedEscapeException {
      try {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new MalformedEscapeException(s);
      }
    }
  }

  /** A path segment or query part whose percent-encoding is malformed, such as {@code %zz}. */
  private static final class MalformedEscapeException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedEscapeException(String raw) {
      super(
          "malformed percent-encoding in '"
              + (raw.length() > 200 ? raw.substring(0, 200) + "..." : raw)
              + "': expected %XX with two hex digits");
    }
  }
}
