package dev.foresight.controller.cluster;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.foresight.policy.supply.Condition;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads fields of a dynamic object (its JSON as the API server sends it) by dotted path. Absent
 * fields are null; a field of the wrong shape fails with {@link InvalidObjectException} naming the
 * object, the path, the value and what was expected.
 */
final class Fields {

  private Fields() {}

  static JsonElement at(JsonObject object, String path) {
    JsonElement e = object;
    for (String part : path.split("\\.")) {
      if (e == null || !e.isJsonObject()) {
        return null;
      }
      e = e.getAsJsonObject().get(part);
    }
    return e == null || e.isJsonNull() ? null : e;
  }

  static String string(String where, JsonObject object, String path) {
    JsonElement e = at(object, path);
    if (e == null) {
      return null;
    }
    if (!e.isJsonPrimitive()) {
      throw new InvalidObjectException(where, path, e.toString(), "a string");
    }
    return e.getAsString();
  }

  /** A map of strings, e.g. labels or a resource list ({@code nvidia.com/gpu: "8"}). */
  static Map<String, String> stringMap(String where, JsonObject object, String path) {
    JsonElement e = at(object, path);
    if (e == null) {
      return null;
    }
    if (!e.isJsonObject()) {
      throw new InvalidObjectException(where, path, e.toString(), "an object of strings");
    }
    Map<String, String> map = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> f : e.getAsJsonObject().entrySet()) {
      if (!f.getValue().isJsonPrimitive()) {
        throw new InvalidObjectException(
            where, path + "." + f.getKey(), f.getValue().toString(), "a string");
      }
      map.put(f.getKey(), f.getValue().getAsString());
    }
    return map;
  }

  static Instant time(String where, JsonObject object, String path) {
    String s = string(where, object, path);
    return s == null ? null : parseTime(where, path, s);
  }

  static Instant parseTime(String where, String path, String s) {
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidObjectException(where, path, s, "an RFC 3339 time");
    }
  }

  /** {@code status.conditions} in the metav1.Condition shape. */
  static List<Condition> conditions(String where, JsonObject object, String path) {
    JsonElement e = at(object, path);
    List<Condition> out = new ArrayList<>();
    if (e == null) {
      return out;
    }
    if (!e.isJsonArray()) {
      throw new InvalidObjectException(where, path, e.toString(), "a list of conditions");
    }
    JsonArray list = e.getAsJsonArray();
    for (JsonElement c : list) {
      if (!c.isJsonObject()) {
        throw new InvalidObjectException(where, path + "[]", c.toString(), "a condition object");
      }
      JsonObject o = c.getAsJsonObject();
      String type = string(where, o, "type");
      out.add(
          Condition.fromFields(
              where + "." + path,
              type,
              string(where, o, "status"),
              string(where, o, "reason"),
              string(where, o, "message"),
              time(where, o, "lastTransitionTime")));
    }
    return out;
  }
}
