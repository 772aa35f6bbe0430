package dev.foresight.metricsapi.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/** Compares JSON documents field by field, reporting each differing path. */
public final class JsonFields {

  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonFields() {}

  /** The golden document {@code golden/<name>} from the test resources. */
  public static JsonNode golden(String name) {
    try (InputStream in = JsonFields.class.getResourceAsStream("/golden/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no golden document " + name);
      }
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses {@code text}. */
  public static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  /** Asserts that {@code actual} has exactly the fields and values of {@code expected}. */
  public static void assertSameFields(JsonNode expected, JsonNode actual) {
    List<String> differences = new ArrayList<>();
    compare("$", expected, actual, differences);
    assertThat(differences).as("differences from the golden document").isEmpty();
  }

  private static void compare(String path, JsonNode e, JsonNode a, List<String> out) {
    if (a == null || a.isMissingNode()) {
      out.add(path + ": missing, expected " + e);
      return;
    }
    if (e.isObject() && a.isObject()) {
      TreeSet<String> names = new TreeSet<>();
      e.fieldNames().forEachRemaining(names::add);
      a.fieldNames().forEachRemaining(names::add);
      for (String n : names) {
        if (!e.has(n)) {
          out.add(path + "." + n + ": unexpected field " + a.get(n));
        } else {
          compare(path + "." + n, e.get(n), a.get(n), out);
        }
      }
    } else if (e.isArray() && a.isArray()) {
      if (e.size() != a.size()) {
        out.add(path + ": " + a.size() + " elements, expected " + e.size());
      }
      Iterator<JsonNode> ei = e.elements();
      Iterator<JsonNode> ai = a.elements();
      int i = 0;
      while (ei.hasNext() && ai.hasNext()) {
        compare(path + "[" + i++ + "]", ei.next(), ai.next(), out);
      }
    } else if (!e.equals(a)) {
      out.add(path + ": " + a + ", expected " + e);
    }
  }
}
