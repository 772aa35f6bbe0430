package dev.foresight.metricsapi.security;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How to recognise the aggregator, as kube-apiserver publishes it in ConfigMap {@code
 * kube-system/extension-apiserver-authentication}.
 *
 * @param clientCa CA certificates that sign the aggregator's client certificate ({@code
 *     requestheader-client-ca-file}); never empty
 * @param allowedNames common names the client certificate may have ({@code
 *     requestheader-allowed-names}); empty allows any certificate the CA signed
 * @param usernameHeaders headers carrying the user name, first non-empty wins ({@code
 *     requestheader-username-headers}, usually {@code X-Remote-User})
 * @param groupHeaders headers carrying groups, one per header line ({@code
 *     requestheader-group-headers}, usually {@code X-Remote-Group})
 * @param extraHeaderPrefixes prefixes of headers carrying extra attributes ({@code
 *     requestheader-extra-headers-prefix}, usually {@code X-Remote-Extra-})
 */
public record RequestHeaderConfig(
    List<X509Certificate> clientCa,
    Set<String> allowedNames,
    List<String> usernameHeaders,
    List<String> groupHeaders,
    List<String> extraHeaderPrefixes) {

  public RequestHeaderConfig {
    clientCa = List.copyOf(clientCa);
    if (clientCa.isEmpty()) {
      throw new IllegalArgumentException(
          "requestheader-client-ca-file: expected at least one CA certificate, found none");
    }
    allowedNames = Set.copyOf(allowedNames);
    usernameHeaders = List.copyOf(usernameHeaders);
    groupHeaders = List.copyOf(groupHeaders);
    extraHeaderPrefixes = List.copyOf(extraHeaderPrefixes);
    Objects.requireNonNull(usernameHeaders, "usernameHeaders");
  }

  /** The usual headers, {@code X-Remote-User}, {@code X-Remote-Group}, {@code X-Remote-Extra-}. */
  public static RequestHeaderConfig withDefaultHeaders(
      List<X509Certificate> clientCa, Set<String> allowedNames) {
    return new RequestHeaderConfig(
        clientCa,
        allowedNames,
        List.of("X-Remote-User"),
        List.of("X-Remote-Group"),
        List.of("X-Remote-Extra-"));
  }
}
