package dev.foresight.metricsapi.kube;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes API objects the server writes, as JSON-mapped records whose property names and
 * optionality follow the Go types: {@code k8s.io/metrics/pkg/apis/external_metrics/v1beta1} ({@code
 * ExternalMetricValueList}, {@code ExternalMetricValue}) and {@code
 * k8s.io/apimachinery/pkg/apis/meta/v1} ({@code APIGroupList}, {@code APIGroup}, {@code
 * APIResourceList}, {@code Status}).
 */
public final class KubeObjects {

  /** API group served. */
  public static final String GROUP = "external.metrics.k8s.io";

  /** Version served. */
  public static final String VERSION = "v1beta1";

  /** {@code external.metrics.k8s.io/v1beta1}. */
  public static final String GROUP_VERSION = GROUP + "/" + VERSION;

  private KubeObjects() {}

  /** One value of an external metric for one label set. */
  @JsonPropertyOrder({"metricName", "metricLabels", "timestamp", "window", "value"})
  public record ExternalMetricValue(
      String metricName,
      Map<String, String> metricLabels,
      String timestamp,
      @JsonProperty("window") @JsonInclude(JsonInclude.Include.NON_NULL) Long windowSeconds,
      String value) {}

  /** The answer to {@code GET .../namespaces/{ns}/{metric}}; never sent with no items. */
  @JsonPropertyOrder({"kind", "apiVersion", "metadata", "items"})
  public record ExternalMetricValueList(
      String kind,
      String apiVersion,
      Map<String, Object> metadata,
      List<ExternalMetricValue> items) {
    public ExternalMetricValueList(List<ExternalMetricValue> items) {
      this("ExternalMetricValueList", GROUP_VERSION, Map.of(), List.copyOf(items));
    }
  }

  /** {@code metav1.GroupVersionForDiscovery}. */
  public record GroupVersionForDiscovery(String groupVersion, String version) {}

  /** {@code metav1.APIGroup}. */
  @JsonPropertyOrder({"kind", "apiVersion", "name", "versions", "preferredVersion"})
  public record ApiGroup(
      String kind,
      String apiVersion,
      String name,
      List<GroupVersionForDiscovery> versions,
      GroupVersionForDiscovery preferredVersion) {

    /** The one group this server serves. */
    public static ApiGroup externalMetrics() {
      GroupVersionForDiscovery v = new GroupVersionForDiscovery(GROUP_VERSION, VERSION);
      return new ApiGroup("APIGroup", "v1", GROUP, List.of(v), v);
    }
  }

  /** {@code metav1.APIGroupList}; its groups carry no kind/apiVersion of their own. */
  @JsonPropertyOrder({"kind", "apiVersion", "groups"})
  public record ApiGroupList(String kind, String apiVersion, List<GroupEntry> groups) {
    public static ApiGroupList externalMetrics() {
      GroupVersionForDiscovery v = new GroupVersionForDiscovery(GROUP_VERSION, VERSION);
      return new ApiGroupList("APIGroupList", "v1", List.of(new GroupEntry(GROUP, List.of(v), v)));
    }
  }

  /** An {@code APIGroup} inside an {@code APIGroupList}. */
  public record GroupEntry(
      String name,
      List<GroupVersionForDiscovery> versions,
      GroupVersionForDiscovery preferredVersion) {}

  /** {@code metav1.APIResource}. */
  @JsonPropertyOrder({"name", "singularName", "namespaced", "kind", "verbs"})
  public record ApiResource(
      String name, String singularName, boolean namespaced, String kind, List<String> verbs) {

    /** A namespaced external metric that can only be read. */
    public static ApiResource metric(String name) {
      return new ApiResource(name, "", true, "ExternalMetricValueList", List.of("get"));
    }
  }

  /** {@code metav1.APIResourceList}. */
  @JsonPropertyOrder({"kind", "apiVersion", "groupVersion", "resources"})
  public record ApiResourceList(
      String kind, String apiVersion, String groupVersion, List<ApiResource> resources) {
    public ApiResourceList(List<ApiResource> resources) {
      this("APIResourceList", "v1", GROUP_VERSION, List.copyOf(resources));
    }
  }

  /** {@code metav1.Status} for failures. */
  @JsonPropertyOrder({
    "kind",
    "apiVersion",
    "metadata",
    "status",
    "message",
    "reason",
    "details",
    "code"
  })
  public record Status(
      String kind,
      String apiVersion,
      Map<String, Object> metadata,
      String status,
      String message,
      String reason,
      @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, String> details,
      int code) {

    /** A failure with HTTP status {@code code} and Kubernetes reason {@code reason}. */
    public static Status failure(int code, String reason, String message) {
      return new Status("Status", "v1", Map.of(), "Failure", message, reason, null, code);
    }

    /** A 403 as kube-apiserver words it, with {@code details} naming the group and the resource. */
    public static Status forbidden(String user, String namespace, String metric, String why) {
      String message =
          metric
              + "."
              + GROUP
              + " is forbidden: User \""
              + user
              + "\" cannot get resource \""
              + metric
              + "\" in API group \""
              + GROUP
              + "\" in the namespace \""
              + namespace
              + "\""
              + (why == null || why.isEmpty() ? "" : ": " + why);
      return new Status(
          "Status",
          "v1",
          Map.of(),
          "Failure",
          message,
          "Forbidden",
          Map.of("group", GROUP, "kind", metric),
          403);
    }
  }
}
