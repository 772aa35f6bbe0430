package dev.foresight.controller.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A CRD version's {@code openAPIV3Schema} checked in-process the way the API server checks an
 * object, as far as JSON Schema can:
 *
 * <ul>
 *   <li>OpenAPI v3.0 schemas use draft-4 semantics ({@code exclusiveMaximum: true} beside {@code
 *       maximum}), so they are validated as draft 4;
 *   <li>{@code x-kubernetes-int-or-string} becomes "integer or string" (a float is rejected);
 *   <li>an object with declared properties rejects unknown fields, as {@code kubectl apply}'s
 *       default strict field validation does (the API server would otherwise prune them silently);
 *   <li>{@code apiVersion}, {@code kind} and {@code metadata.name} are required;
 *   <li>{@code x-kubernetes-validations} (CEL) rules are evaluated by {@link #CEL_RULES}, one Java
 *       predicate per rule text; a rule the table does not know fails loudly rather than passing.
 * </ul>
 */
final class CrdSchema {

  /** The CEL rules of the ScalingPolicy CRD, each as the predicate it states over {@code self}. */
  static final Map<String, Predicate<JsonNode>> CEL_RULES =
      Map.of(
          "has(self.preset) || has(self.queries)",
          self -> self.has("preset") || self.has("queries"),
          "!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas",
          self ->
              !self.has("minReplicas")
                  || !self.has("maxReplicas")
                  || self.get("minReplicas").asLong() <= self.get("maxReplicas").asLong());

  private record CelRule(String pointer, String rule, String message) {}

  private final JsonSchema schema;
  private final List<CelRule> celRules = new ArrayList<>();

  CrdSchema(JsonNode crd, int versionIndex) {
    JsonNode version = crd.path("spec").path("versions").get(versionIndex);
    String apiVersion =
        crd.path("spec").path("group").asText() + "/" + version.path("name").asText();
    String kind = crd.path("spec").path("names").path("kind").asText();
    ObjectNode root = version.path("schema").path("openAPIV3Schema").deepCopy();
    convert(root, "");
    ObjectNode props = (ObjectNode) root.with("properties");
    props.putObject("apiVersion").putArray("enum").add(apiVersion);
    props.putObject("kind").putArray("enum").add(kind);
    ObjectNode metadata = props.putObject("metadata");
    metadata.put("type", "object");
    metadata.putArray("required").add("name");
    ArrayNode required =
        root.has("required") ? (ArrayNode) root.get("required") : root.putArray("required");
    required.add("apiVersion").add("kind").add("metadata");
    schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(root);
  }

  /**
   * Every problem with {@code object}, each naming where it is; empty when the API server accepts
   * it.
   */
  List<String> problems(JsonNode object) {
    List<String> problems = new ArrayList<>();
    for (ValidationMessage m : schema.validate(object)) {
      problems.add(m.getInstanceLocation() + ": " + m.getMessage());
    }
    for (CelRule r : celRules) {
      if (r.pointer().contains("/*")) {
        throw new IllegalStateException(
            "CEL rule inside an array at " + r.pointer() + " is not evaluated: " + r.rule());
      }
      JsonNode self = object.at(r.pointer());
      if (self.isMissingNode()) {
        continue; // CEL rules apply only where the value is present.
      }
      Predicate<JsonNode> p = CEL_RULES.get(r.rule());
      if (p == null) {
        throw new IllegalStateException(
            "CEL rule at " + r.pointer() + " is unknown to CrdSchema.CEL_RULES: " + r.rule());
      }
      if (!p.test(self)) {
        problems.add(r.pointer() + ": " + r.message());
      }
    }
    return problems;
  }

  private void convert(ObjectNode node, String pointer) {
    for (JsonNode v : node.path("x-kubernetes-validations")) {
      celRules.add(new CelRule(pointer, v.path("rule").asText(), v.path("message").asText()));
    }
    if (node.path("x-kubernetes-int-or-string").asBoolean(false)) {
      ArrayNode anyOf = node.putArray("anyOf");
      anyOf.addObject().put("type", "integer");
      anyOf.addObject().put("type", "string");
    }
    boolean preserve = node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    if (node.has("properties") && !preserve && !node.has("additionalProperties")) {
      node.put("additionalProperties", false);
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      if (it.next().startsWith("x-kubernetes-")) {
        it.remove();
      }
    }
    JsonNode properties = node.path("properties");
    for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      convert((ObjectNode) e.getValue(), pointer + "/" + e.getKey());
    }
    if (node.path("items").isObject()) {
      convert((ObjectNode) node.get("items"), pointer + "/*");
    }
  }
}
