package dev.foresight.metricsapi;

import dev.foresight.metricsapi.security.Authorizer;
import dev.foresight.metricsapi.security.CachingAuthorizer;
import dev.foresight.metricsapi.security.ConfigMapRequestHeaderConfig;
import dev.foresight.metricsapi.security.FileRequestHeaderConfig;
import dev.foresight.metricsapi.security.FileServingCertificate;
import dev.foresight.metricsapi.security.ReloadingKeyManager;
import dev.foresight.metricsapi.security.RequestHeaderAuthenticator;
import dev.foresight.metricsapi.security.RequestHeaderConfigSource;
import dev.foresight.metricsapi.security.SelfSignedCertificates;
import dev.foresight.metricsapi.security.SubjectAccessReviewAuthorizer;
import dev.foresight.policy.DecisionStore;
import io.kubernetes.client.openapi.ApiClient;
import java.io.IOException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the external metrics API from {@link MetricsApiSettings}: what the controller calls.
 *
 * <pre>{@code
 * MetricsApi api = MetricsApi.start(settings, decisionStore, Optional.of(apiClient), Clock.systemUTC());
 * gauge.set(api.ownership().ownedGauge());   // 0 when KEDA owns the APIService
 * ...
 * api.close();
 * }</pre>
 */
public final class MetricsApi implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MetricsApi.class);

  private final MetricsApiServer server;
  private final ApiServiceOwnership ownership;
  private final ReloadingKeyManager keyManager;

  private MetricsApi(
      MetricsApiServer server, ApiServiceOwnership ownership, ReloadingKeyManager keyManager) {
    this.server = server;
    this.ownership = ownership;
    this.keyManager = keyManager;
  }

  /**
   * Starts the server.
   *
   * @param kube Kubernetes client; needed for the ConfigMap, delegated authorization and the
   *     APIService check
   * @throws IOException when certificates or the request-header CA cannot be loaded
   * @throws IllegalArgumentException when a setting needs Kubernetes and {@code kube} is empty
   */
  public static MetricsApi start(
      MetricsApiSettings settings,
      DecisionStore store,
      Optional<ApiClient> kube,
      InstantSource clock)
      throws IOException {
    List<Runnable> periodic = new ArrayList<>();
    ReloadingKeyManager keyManager;
    if (settings.tlsCertFile().isPresent()) {
      FileServingCertificate files =
          FileServingCertificate.load(settings.tlsCertFile().get(), settings.tlsKeyFile().get());
      periodic.add(files::reloadIfChanged);
      keyManager = files.keyManager();
    } else {
      keyManager =
          new ReloadingKeyManager(
              SelfSignedCertificates.generate(settings.serviceDnsNames(), clock.instant()));
      LOG.warn(
          "no serving certificate given: serving a self-signed one for {}; the APIService then"
              + " needs insecureSkipTLSVerify or this certificate as caBundle",
          settings.serviceDnsNames().get(0));
    }

    RequestHeaderConfigSource requestHeader;
    if (settings.requestHeaderCaFile().isPresent()) {
      requestHeader =
          FileRequestHeaderConfig.load(
              settings.requestHeaderCaFile().get(), settings.requestHeaderAllowedNames());
    } else {
      requestHeader =
          ConfigMapRequestHeaderConfig.load(
              kube.orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "requestheader-client-ca-file: not given, and no Kubernetes client to"
                              + " read ConfigMap kube-system/extension-apiserver-authentication")));
    }
    periodic.add(requestHeader::refresh);

    Authorizer authorizer;
    if (settings.delegatedAuthorization()) {
      authorizer =
          new CachingAuthorizer(
              new SubjectAccessReviewAuthorizer(
                  kube.orElseThrow(
                      () ->
                          new IllegalArgumentException(
                              "delegated authorization: on, but no Kubernetes client; turn it"
                                  + " off or give a client"))),
              settings.authorizationAllowedTtl(),
              settings.authorizationDeniedTtl(),
              clock,
              10_000);
    } else {
      authorizer = Authorizer.allowAll();
      LOG.warn("delegated authorization is off: every request the aggregator forwards is allowed");
    }

    ApiServiceOwnership ownership =
        kube.map(
                c ->
                    ApiServiceOwnership.check(
                        c, settings.serviceNamespace(), settings.serviceName()))
            .orElse(
                new ApiServiceOwnership(
                    ApiServiceOwnership.State.UNKNOWN, "no Kubernetes client to read it"));

    ServerStats stats = new ServerStats();
    MetricsApiServer server =
        MetricsApiServer.start(
            settings.server(),
            new ExternalMetricResolver(
                store, MetricCatalog.standard(), clock, settings.server().staleAfter(), stats),
            keyManager,
            new RequestHeaderAuthenticator(requestHeader),
            authorizer,
            periodic,
            stats);
    return new MetricsApi(server, ownership, keyManager);
  }

  /** Who owns APIService {@code v1beta1.external.metrics.k8s.io}, as found at start-up. */
  public ApiServiceOwnership ownership() {
    return ownership;
  }

  /** The server's counters (stale values served, 401s, 403s). */
  public ServerStats stats() {
    return server.stats();
  }

  /** The bound address. */
  public java.net.InetSocketAddress address() {
    return server.address();
  }

  /** The certificate being served (for a self-signed one: to put into the APIService caBundle). */
  public java.security.cert.X509Certificate servingCertificate() {
    return keyManager.current().leaf();
  }

  @Override
  public void close() {
    server.close();
  }
}
