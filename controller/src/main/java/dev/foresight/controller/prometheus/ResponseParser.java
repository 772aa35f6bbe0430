package dev.foresight.controller.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a Prometheus HTTP API body into a {@link QueryResult}. Timestamps are float seconds since
 * the epoch; values are strings, {@code "NaN"}, {@code "+Inf"} or {@code "-Inf"} included.
 */
final class ResponseParser {

  private final ObjectMapper json;

  ResponseParser(ObjectMapper json) {
    this.json = json;
  }

  QueryResult parse(String body) throws PrometheusException {
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (IOException e) {
      throw new PrometheusException(PrometheusException.Kind.BAD_RESPONSE, "body is not JSON", e);
    }
    if (root == null || !"success".equals(root.path("status").asText())) {
      throw new PrometheusException(
          PrometheusException.Kind.BAD_RESPONSE, "status is not success: " + abbreviate(body));
    }
    JsonNode data = root.path("data");
    String type = data.path("resultType").asText();
    JsonNode result = data.path("result");
    return switch (type) {
      case "vector" -> vector(result);
      case "matrix" -> matrix(result);
      case "scalar" -> new QueryResult.Scalar(instant(result.path(0)), value(result.path(1)));
      case "string" -> new QueryResult.Text(instant(result.path(0)), result.path(1).asText());
      default ->
          throw new PrometheusException(
              PrometheusException.Kind.BAD_RESPONSE, "unknown resultType '" + type + "'");
    };
  }

  /** The API's error text of an error body, or the body itself when it is not one. */
  String errorOf(String body) {
    try {
      JsonNode root = json.readTree(body);
      if (root != null && root.has("error")) {
        return root.path("errorType").asText() + ": " + root.path("error").asText();
      }
    } catch (IOException e) {
      // not JSON: fall through
    }
    return abbreviate(body);
  }

  private QueryResult.Vector vector(JsonNode result) throws PrometheusException {
    requireArray(result);
    List<QueryResult.Sample> samples = new ArrayList<>(result.size());
    for (JsonNode s : result) {
      JsonNode v = s.path("value");
      samples.add(
          new QueryResult.Sample(labels(s.path("metric")), instant(v.path(0)), value(v.path(1))));
    }
    return new QueryResult.Vector(samples);
  }

  private QueryResult.Matrix matrix(JsonNode result) throws PrometheusException {
    requireArray(result);
    List<QueryResult.Series> series = new ArrayList<>(result.size());
    for (JsonNode s : result) {
      List<QueryResult.Point> points = new ArrayList<>();
      for (JsonNode v : s.path("values")) {
        points.add(new QueryResult.Point(instant(v.path(0)), value(v.path(1))));
      }
      series.add(new QueryResult.Series(labels(s.path("metric")), points));
    }
    return new QueryResult.Matrix(series);
  }

  private static void requireArray(JsonNode result) throws PrometheusException {
    if (!result.isArray()) {
      throw new PrometheusException(
          PrometheusException.Kind.BAD_RESPONSE, "result is not an array");
    }
  }

  private static Map<String, String> labels(JsonNode metric) {
    Map<String, String> labels = new LinkedHashMap<>();
    metric.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  /**
   * Float seconds since the epoch. A number no {@link Instant} can hold (beyond about ±3.2e16 s, or
   * not finite) is a bad response, not an arithmetic or date exception.
   */
  private static Instant instant(JsonNode t) throws PrometheusException {
    if (!t.isNumber() || (t.isFloatingPointNumber() && !Double.isFinite(t.doubleValue()))) {
      throw new PrometheusException(
          PrometheusException.Kind.BAD_RESPONSE, "timestamp is not a number: " + t);
    }
    try {
      BigDecimal seconds = t.decimalValue();
      long whole = seconds.setScale(0, RoundingMode.FLOOR).longValueExact();
      long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
      return Instant.ofEpochSecond(whole, nanos);
    } catch (ArithmeticException | DateTimeException e) {
      throw new PrometheusException(
          PrometheusException.Kind.BAD_RESPONSE, "timestamp is out of range: " + t, e);
    }
  }

  /** Parses Prometheus's value strings, including {@code NaN}, {@code +Inf}, {@code -Inf}. */
  static double value(JsonNode v) throws PrometheusException {
    String text = v.asText();
    return switch (text) {
      case "NaN" -> Double.NaN;
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> {
        try {
          yield Double.parseDouble(text);
        } catch (NumberFormatException e) {
          throw new PrometheusException(
              PrometheusException.Kind.BAD_RESPONSE,
              "sample value is not a number: '" + text + "'");
        }
      }
    };
  }

  private static String abbreviate(String body) {
    return body.length() > 300 ? body.substring(0, 300) + "..." : body;
  }
}
