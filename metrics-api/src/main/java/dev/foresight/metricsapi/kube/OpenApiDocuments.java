package dev.foresight.metricsapi.kube;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The OpenAPI documents kube-apiserver's aggregator fetches from an aggregated server and merges
 * into the cluster's: {@code /openapi/v2} (Swagger 2.0), {@code /openapi/v3} (the index of group
 * versions, each with a {@code serverRelativeURL} carrying a content hash) and {@code
 * /openapi/v3/apis/external.metrics.k8s.io/v1beta1} (OpenAPI 3.0). They describe the one read
 * operation and the {@code ExternalMetricValueList} schema.
 */
public final class OpenApiDocuments {

  /** Path of the group-version document under {@code /openapi/v3/}. */
  public static final String V3_GROUP_VERSION_PATH = "apis/" + KubeObjects.GROUP_VERSION;

  private static final String LIST_SCHEMA =
      "io.k8s.metrics.pkg.apis.external_metrics.v1beta1.ExternalMetricValueList";
  private static final String VALUE_SCHEMA =
      "io.k8s.metrics.pkg.apis.external_metrics.v1beta1.ExternalMetricValue";
  private static final String METRIC_PATH =
      "/apis/" + KubeObjects.GROUP_VERSION + "/namespaces/{namespace}/{metric}";

  private final byte[] v2;
  private final byte[] v3Index;
  private final byte[] v3GroupVersion;

  /** Builds the documents for {@code metrics}. */
  public OpenApiDocuments(ObjectMapper json, List<String> metrics) {
    try {
      this.v2 = json.writeValueAsBytes(swagger(json, metrics));
      this.v3GroupVersion = json.writeValueAsBytes(openApi3(json, metrics));
      ObjectNode index = json.createObjectNode();
      index
          .putObject("paths")
          .putObject(V3_GROUP_VERSION_PATH)
          .put(
              "serverRelativeURL",
              "/openapi/v3/" + V3_GROUP_VERSION_PATH + "?hash=" + sha512(v3GroupVersion));
      this.v3Index = json.writeValueAsBytes(index);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code /openapi/v2}. */
  public byte[] v2() {
    return v2.clone();
  }

  /** {@code /openapi/v3}. */
  public byte[] v3Index() {
    return v3Index.clone();
  }

  /** {@code /openapi/v3/apis/external.metrics.k8s.io/v1beta1}. */
  public byte[] v3GroupVersion() {
    return v3GroupVersion.clone();
  }

  private static ObjectNode swagger(ObjectMapper json, List<String> metrics) {
    ObjectNode doc = json.createObjectNode();
    doc.put("swagger", "2.0");
    info(doc);
    ObjectNode get = operation(doc.putObject("paths").putObject(METRIC_PATH), metrics);
    parameters(get, false);
    get.putObject("responses")
        .putObject("200")
        .put("description", "OK")
        .putObject("schema")
        .put("$ref", "#/definitions/" + LIST_SCHEMA);
    schemas(doc.putObject("definitions"), "#/definitions/");
    return doc;
  }

  private static ObjectNode openApi3(ObjectMapper json, List<String> metrics) {
    ObjectNode doc = json.createObjectNode();
    doc.put("openapi", "3.0.0");
    info(doc);
    ObjectNode get = operation(doc.putObject("paths").putObject(METRIC_PATH), metrics);
    parameters(get, true);
    get.putObject("responses")
        .putObject("200")
        .put("description", "OK")
        .putObject("content")
        .putObject("application/json")
        .putObject("schema")
        .put("$ref", "#/components/schemas/" + LIST_SCHEMA);
    schemas(doc.putObject("components").putObject("schemas"), "#/components/schemas/");
    return doc;
  }

  private static void info(ObjectNode doc) {
    doc.putObject("info").put("title", "Foresight external metrics").put("version", "v1beta1");
  }

  private static ObjectNode operation(ObjectNode path, List<String> metrics) {
    ObjectNode get = path.putObject("get");
    get.put("description", "read the value of an external metric for the selected workloads");
    get.put("operationId", "readExternalMetricValueList");
    get.putArray("produces").add("application/json");
    get.putObject("x-kubernetes-group-version-kind")
        .put("group", KubeObjects.GROUP)
        .put("version", KubeObjects.VERSION)
        .put("kind", "ExternalMetricValueList");
    get.put("x-foresight-metrics", String.join(",", metrics));
    return get;
  }

  private static void parameters(ObjectNode get, boolean v3) {
    ArrayNode params = get.putArray("parameters");
    for (String name : List.of("namespace", "metric")) {
      ObjectNode p = params.addObject().put("name", name).put("in", "path").put("required", true);
      type(p, v3, "string");
    }
    ObjectNode sel = params.addObject().put("name", "labelSelector").put("in", "query");
    sel.put("description", "Kubernetes label selector over the workload labels policy, deployment");
    type(sel, v3, "string");
  }

  private static void type(ObjectNode param, boolean v3, String type) {
    if (v3) {
      param.putObject("schema").put("type", type);
    } else {
      param.put("type", type);
    }
  }

  private static void schemas(ObjectNode defs, String refPrefix) {
    ObjectNode list = defs.putObject(LIST_SCHEMA);
    list.put("description", "a list of values for a given metric for some set of labels");
    list.putArray("required").add("items");
    ObjectNode lp = list.putObject("properties");
    lp.putObject("kind").put("type", "string");
    lp.putObject("apiVersion").put("type", "string");
    lp.putObject("metadata").put("type", "object");
    lp.putObject("items")
        .put("type", "array")
        .putObject("items")
        .put("$ref", refPrefix + VALUE_SCHEMA);
    list.putArray("x-kubernetes-group-version-kind")
        .addObject()
        .put("group", KubeObjects.GROUP)
        .put("version", KubeObjects.VERSION)
        .put("kind", "ExternalMetricValueList");

    ObjectNode value = defs.putObject(VALUE_SCHEMA);
    value.put("description", "a metric value for an external metric");
    value.putArray("required").add("metricName").add("metricLabels").add("timestamp").add("value");
    ObjectNode vp = value.putObject("properties");
    vp.putObject("metricName").put("type", "string");
    vp.putObject("metricLabels")
        .put("type", "object")
        .putObject("additionalProperties")
        .put("type", "string");
    vp.putObject("timestamp").put("type", "string").put("format", "date-time");
    vp.putObject("window").put("type", "integer").put("format", "int64");
    vp.putObject("value").put("type", "string").put("description", "a Kubernetes quantity");
  }

  private static String sha512(byte[] bytes) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-512").digest(bytes))
          .toUpperCase(java.util.Locale.ROOT);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
