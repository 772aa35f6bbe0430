package dev.foresight.metricsapi.security;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Authenticates the Kubernetes aggregator the way kube-apiserver's request-header authenticator
 * does: the TLS client certificate must chain to the request-header CA, carry the clientAuth
 * extended key usage when it has any, and have a common name among the allowed names; only then are
 * the user, group and extra headers read. A request without such a certificate is rejected whatever
 * headers it carries.
 *
 * <p>The TLS layer accepts any client certificate (like Go's {@code tls.RequestClientCert}) so that
 * a wrong certificate gets an HTTP 401 rather than a failed handshake; the chain is checked here,
 * once per TLS session and configuration, and the result kept on the session.
 */
public final class RequestHeaderAuthenticator {

  private static final String CLIENT_AUTH_EKU = "1.3.6.1.5.5.7.3.2";
  private static final String ANY_EKU = "2.5.29.37.0";
  private static final String SESSION_KEY = "dev.foresight.metricsapi.verified";

  private final Supplier<RequestHeaderConfig> config;

  /** {@code config} is read on each request, so a reloaded CA takes effect at once. */
  public RequestHeaderAuthenticator(Supplier<RequestHeaderConfig> config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * Authenticates a request from its TLS session and headers.
   *
   * @param session the TLS session of the connection
   * @param headers request header lookup, case-insensitive name to all values in order
   * @param headerNames every header name present, for the extra-header prefixes
   */
  public Authentication authenticate(
      SSLSession session,
      java.util.function.Function<String, List<String>> headers,
      Set<String> headerNames) {
    RequestHeaderConfig cfg = config.get();
    Authentication.Rejected certProblem = verifyCertificate(session, cfg);
    if (certProblem != null) {
      return certProblem;
    }
    String user = null;
    for (String h : cfg.usernameHeaders()) {
      List<String> v = headers.apply(h);
      if (v != null && !v.isEmpty() && !v.get(0).isEmpty()) {
        user = v.get(0);
        break;
      }
    }
    if (user == null) {
      return new Authentication.Rejected(
          "client certificate accepted but no user in " + cfg.usernameHeaders());
    }
    List<String> groups = new ArrayList<>();
    for (String h : cfg.groupHeaders()) {
      List<String> v = headers.apply(h);
      if (v != null) {
        groups.addAll(v);
      }
    }
    Map<String, List<String>> extra = new LinkedHashMap<>();
    for (String name : headerNames) {
      for (String prefix : cfg.extraHeaderPrefixes()) {
        if (name.length() > prefix.length()
            && name.regionMatches(true, 0, prefix, 0, prefix.length())) {
          String key =
              URLDecoder.decode(name.substring(prefix.length()), StandardCharsets.UTF_8)
                  .toLowerCase(Locale.ROOT);
          extra.computeIfAbsent(key, k -> new ArrayList<>()).addAll(headers.apply(name));
        }
      }
    }
    return new Authentication.Authenticated(new UserInfo(user, groups, extra));
  }

  /** Null when the certificate is acceptable under {@code cfg}, else why not. */
  private Authentication.Rejected verifyCertificate(SSLSession session, RequestHeaderConfig cfg) {
    Object cached = session.getValue(SESSION_KEY);
    if (cached instanceof Verdict v && v.config == cfg) {
      return v.rejection;
    }
    Authentication.Rejected rejection = check(session, cfg);
    session.putValue(SESSION_KEY, new Verdict(cfg, rejection));
    return rejection;
  }

  private static Authentication.Rejected check(SSLSession session, RequestHeaderConfig cfg) {
    Certificate[] peer;
    try {
      peer = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException none) {
      return new Authentication.Rejected("no client certificate");
    }
    if (peer.length == 0 || !(peer[0] instanceof X509Certificate leaf)) {
      return new Authentication.Rejected("no X.509 client certificate");
    }
    try {
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate c : peer) {
        X509Certificate x = (X509Certificate) c;
        if (!isTrustAnchor(x, cfg)) {
          chain.add(x);
        }
      }
      CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(chain);
      Set<TrustAnchor> anchors = new HashSet<>();
      for (X509Certificate ca : cfg.clientCa()) {
        anchors.add(new TrustAnchor(ca, null));
      }
      PKIXParameters params = new PKIXParameters(anchors);
      params.setRevocationEnabled(false);
      CertPathValidator.getInstance("PKIX").validate(path, params);
      List<String> eku = leaf.getExtendedKeyUsage();
      if (eku != null && !eku.contains(CLIENT_AUTH_EKU) && !eku.contains(ANY_EKU)) {
        return new Authentication.Rejected(
            "client certificate " + subject(leaf) + " is not for client authentication");
      }
    } catch (GeneralSecurityException e) {
      return new Authentication.Rejected(
          "client certificate " + subject(leaf) + " is not signed by the request-header CA");
    }
    if (!cfg.allowedNames().isEmpty()) {
      String cn = commonName(leaf);
      if (cn == null || !cfg.allowedNames().contains(cn)) {
        return new Authentication.Rejected(
            "client certificate common name '"
                + cn
                + "' is not in requestheader-allowed-names "
                + cfg.allowedNames());
      }
    }
    return null;
  }

  private static boolean isTrustAnchor(X509Certificate x, RequestHeaderConfig cfg) {
    for (X509Certificate ca : cfg.clientCa()) {
      if (Arrays.equals(ca.getSignature(), x.getSignature())) {
        return true;
      }
    }
    return false;
  }

  private static String subject(X509Certificate c) {
    return "'" + c.getSubjectX500Principal().getName() + "'";
  }

  /** The last CN of the subject, as Go's {@code pkix.Name.CommonName}. */
  static String commonName(X509Certificate c) {
    try {
      String cn = null;
      for (Rdn rdn : new LdapName(c.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          cn = rdn.getValue().toString();
        }
      }
      return cn;
    } catch (InvalidNameException e) {
      return null;
    }
  }

  private record Verdict(RequestHeaderConfig config, Authentication.Rejected rejection) {}
}
