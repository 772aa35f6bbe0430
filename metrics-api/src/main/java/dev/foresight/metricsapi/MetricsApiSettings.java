package dev.foresight.metricsapi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the controller configures for the external metrics API, parsed once from its flags.
 *
 * @param server listen address, threads, reload interval, staleness limit
 * @param tlsCertFile serving certificate chain (PEM); with {@code tlsKeyFile}, or neither for a
 *     self-signed certificate made at start-up
 * @param tlsKeyFile serving private key (PEM)
 * @param requestHeaderCaFile CA of the aggregator's client certificate; when empty it is read from
 *     ConfigMap {@code kube-system/extension-apiserver-authentication}
 * @param requestHeaderAllowedNames allowed client certificate common names when the CA comes from a
 *     file (the ConfigMap carries its own); empty allows any name the CA signed
 * @param delegatedAuthorization whether to ask Kubernetes with SubjectAccessReviews; off for
 *     clusters that do not grant {@code system:auth-delegator}
 * @param authorizationAllowedTtl how long an allowed verdict is cached
 * @param authorizationDeniedTtl how long a denied verdict is cached
 * @param serviceNamespace namespace of this server's Service (the APIService should point to it)
 * @param serviceName name of this server's Service
 */
public record MetricsApiSettings(
    MetricsApiServerConfig server,
    Optional<Path> tlsCertFile,
    Optional<Path> tlsKeyFile,
    Optional<Path> requestHeaderCaFile,
    Set<String> requestHeaderAllowedNames,
    boolean delegatedAuthorization,
    Duration authorizationAllowedTtl,
    Duration authorizationDeniedTtl,
    String serviceNamespace,
    String serviceName) {

  public MetricsApiSettings {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(tlsCertFile, "tlsCertFile");
    Objects.requireNonNull(tlsKeyFile, "tlsKeyFile");
    Objects.requireNonNull(requestHeaderCaFile, "requestHeaderCaFile");
    requestHeaderAllowedNames = Set.copyOf(requestHeaderAllowedNames);
    Objects.requireNonNull(authorizationAllowedTtl, "authorizationAllowedTtl");
    Objects.requireNonNull(authorizationDeniedTtl, "authorizationDeniedTtl");
    Objects.requireNonNull(serviceNamespace, "serviceNamespace");
    Objects.requireNonNull(serviceName, "serviceName");
    List<String> problems = new ArrayList<>();
    if (tlsCertFile.isPresent() != tlsKeyFile.isPresent()) {
      problems.add(
          "tls-cert-file and tls-private-key-file: expected both or neither, got "
              + (tlsCertFile.isPresent() ? "only the certificate" : "only the key"));
    }
    if (authorizationAllowedTtl.isNegative() || authorizationDeniedTtl.isNegative()) {
      problems.add("authorization cache TTLs: expected zero or more, got negative");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /**
   * Defaults for Service {@code foresight-metrics-api} in {@code namespace}: self-signed
   * certificate, request-header CA from the ConfigMap, delegated authorization cached 10 s.
   */
  public static MetricsApiSettings defaults(String namespace) {
    return new MetricsApiSettings(
        MetricsApiServerConfig.defaults(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Set.of("front-proxy-client"),
        true,
        Duration.ofSeconds(10),
        Duration.ofSeconds(10),
        namespace,
        "foresight-metrics-api");
  }

  /** The DNS names the aggregator may use for the Service. */
  public List<String> serviceDnsNames() {
    return List.of(
        serviceName + "." + serviceNamespace + ".svc",
        serviceName + "." + serviceNamespace + ".svc.cluster.local",
        serviceName + "." + serviceNamespace,
        serviceName);
  }
}
