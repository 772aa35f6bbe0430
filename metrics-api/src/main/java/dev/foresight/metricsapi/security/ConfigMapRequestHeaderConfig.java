package dev.foresight.metricsapi.security;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request-header configuration kube-apiserver publishes in ConfigMap {@code
 * kube-system/extension-apiserver-authentication}: {@code requestheader-client-ca-file} (PEM),
 * {@code requestheader-allowed-names}, {@code requestheader-username-headers}, {@code
 * requestheader-group-headers} and {@code requestheader-extra-headers-prefix} (each a JSON array of
 * strings). Reading it needs the RoleBinding to {@code extension-apiserver-authentication-reader}.
 */
public final class ConfigMapRequestHeaderConfig implements RequestHeaderConfigSource {

  /** Namespace of the ConfigMap. */
  public static final String NAMESPACE = "kube-system";

  /** Name of the ConfigMap. */
  public static final String NAME = "extension-apiserver-authentication";

  private static final Logger LOG = LoggerFactory.getLogger(ConfigMapRequestHeaderConfig.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CoreV1Api api;
  private volatile RequestHeaderConfig current;
  private volatile Map<String, String> lastData;

  private ConfigMapRequestHeaderConfig(CoreV1Api api) {
    this.api = api;
  }

  /**
   * Reads the ConfigMap now.
   *
   * @throws IOException when it cannot be read or lacks a valid {@code
   *     requestheader-client-ca-file}
   */
  public static ConfigMapRequestHeaderConfig load(ApiClient client) throws IOException {
    ConfigMapRequestHeaderConfig c =
        new ConfigMapRequestHeaderConfig(new CoreV1Api(Objects.requireNonNull(client, "client")));
    c.read();
    return c;
  }

  @Override
  public RequestHeaderConfig get() {
    return current;
  }

  @Override
  public boolean refresh() {
    try {
      return read();
    } catch (IOException e) {
      LOG.warn("cannot refresh {}/{}: {}", NAMESPACE, NAME, e.getMessage());
      return false;
    }
  }

  private boolean read() throws IOException {
    V1ConfigMap cm;
    try {
      cm = api.readNamespacedConfigMap(NAME, NAMESPACE).execute();
    } catch (ApiException e) {
      throw new IOException(
          "cannot read ConfigMap " + NAMESPACE + "/" + NAME + ": HTTP " + e.getCode(), e);
    }
    Map<String, String> data = cm.getData() == null ? Map.of() : cm.getData();
    if (data.equals(lastData)) {
      return false;
    }
    current = parse(data);
    lastData = Map.copyOf(data);
    return true;
  }

  /** Parses the ConfigMap's data; every problem names the key. */
  static RequestHeaderConfig parse(Map<String, String> data) throws IOException {
    String ca = data.get("requestheader-client-ca-file");
    if (ca == null || ca.isBlank()) {
      throw new IOException(
          "ConfigMap "
              + NAMESPACE
              + "/"
              + NAME
              + ": key 'requestheader-client-ca-file' is missing; is the aggregation layer"
              + " configured (--requestheader-client-ca-file)?");
    }
    return new RequestHeaderConfig(
        Pem.certificates(ca, NAMESPACE + "/" + NAME + "[requestheader-client-ca-file]"),
        new LinkedHashSet<>(list(data, "requestheader-allowed-names", List.of())),
        list(data, "requestheader-username-headers", List.of("X-Remote-User")),
        list(data, "requestheader-group-headers", List.of("X-Remote-Group")),
        list(data, "requestheader-extra-headers-prefix", List.of("X-Remote-Extra-")));
  }

  private static List<String> list(Map<String, String> data, String key, List<String> absent)
      throws IOException {
    String raw = data.get(key);
    if (raw == null || raw.isBlank()) {
      return absent;
    }
    try {
      return JSON.readValue(raw, new TypeReference<List<String>>() {});
    } catch (IOException e) {
      throw new IOException(
          "ConfigMap "
              + NAMESPACE
              + "/"
              + NAME
              + ": key '"
              + key
              + "' = '"
              + raw
              + "': expected a JSON array of strings",
          e);
    }
  }
}
