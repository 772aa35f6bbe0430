package dev.foresight.controller.cluster;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.JSON;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** JSON fixtures under {@code src/test/resources/cluster}, written from the API schemas. */
public final class Fixtures {

  private Fixtures() {}

  public static String text(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/cluster/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonObject json(String name) {
    return JsonParser.parseString(text(name)).getAsJsonObject();
  }

  public static <T> T typed(String name, Class<T> type) {
    return JSON.deserialize(text(name), type);
  }

  /** A list object of {@code kind} holding the given fixtures. */
  public static String list(String kind, String apiVersion, String... names) {
    StringBuilder b = new StringBuilder();
    b.append("{\"apiVersion\":\"")
        .append(apiVersion)
        .append("\",\"kind\":\"")
        .append(kind)
        .append("\",\"metadata\":{\"resourceVersion\":\"1000\"},\"items\":[");
    for (int i = 0; i < names.length; i++) {
      b.append(i == 0 ? "" : ",").append(text(names[i]));
    }
    return b.append("]}").toString();
  }
}
