package dev.foresight.controller.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResponseParserTest {

  private final ResponseParser parser = new ResponseParser(new ObjectMapper());

  private static String ok(String type, String result) {
    return "{\"status\":\"success\",\"data\":{\"resultType\":\""
        + type
        + "\",\"result\":"
        + result
        + "}}";
  }

  @Test
  void vectorKeepsLabelsTimeAndValue() throws Exception {
    QueryResult r =
        parser.parse(
            ok(
                "vector",
                "[{\"metric\":{\"pod\":\"a\"},\"value\":[1700000000.5,\"3\"]},"
                    + "{\"metric\":{},\"value\":[1700000000,\"4.25\"]}]"));
    assertThat(r)
        .isEqualTo(
            new QueryResult.Vector(
                java.util.List.of(
                    new QueryResult.Sample(
                        Map.of("pod", "a"), Instant.ofEpochSecond(1700000000, 500_000_000), 3),
                    new QueryResult.Sample(Map.of(), Instant.ofEpochSecond(1700000000), 4.25))));
  }

  @Test
  void matrixKeepsEveryPoint() throws Exception {
    QueryResult r =
        parser.parse(
            ok(
                "matrix",
                "[{\"metric\":{\"a\":\"b\"},\"values\":[[10,\"1\"],[20,\"2\"],[30,\"NaN\"]]}]"));
    QueryResult.Matrix m = (QueryResult.Matrix) r;
    assertThat(m.series()).hasSize(1);
    assertThat(m.series().get(0).points())
        .extracting(QueryResult.Point::value)
        .containsExactly(1.0, 2.0, Double.NaN);
  }

  @Test
  void scalarAndString() throws Exception {
    assertThat(parser.parse(ok("scalar", "[12.5,\"7\"]")))
        .isEqualTo(new QueryResult.Scalar(Instant.ofEpochMilli(12_500), 7));
    assertThat(parser.parse(ok("string", "[1,\"hello\"]")))
        .isEqualTo(new QueryResult.Text(Instant.ofEpochSecond(1), "hello"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"NaN,NaN", "+Inf,Infinity", "-Inf,-Infinity", "1e3,1000", "-0.5,-0.5"})
  void specialValues(String text, double expected) throws Exception {
    QueryResult.Scalar s = (QueryResult.Scalar) parser.parse(ok("scalar", "[1,\"" + text + "\"]"));
    assertThat((Double) s.value()).isEqualTo((Double) expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not json             | <html>oops</html>",
        "error status         | {\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"x\"}",
        "unknown result type  | {\"status\":\"success\",\"data\":{\"resultType\":\"blob\",\"result\":[]}}",
        "value not a number   | {\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"many\"]}}",
        "time not a number    | {\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[\"t\",\"1\"]}}",
      })
  void badBodiesAreBadResponses(String name, String body) {
    assertThatThrownBy(() -> parser.parse(body))
        .isInstanceOfSatisfying(
            PrometheusException.class,
            e -> assertThat(e.kind()).isEqualTo(PrometheusException.Kind.BAD_RESPONSE));
  }

  @Test
  void errorOfNamesTheApiError() {
    assertThat(
            parser.errorOf(
                "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error\"}"))
        .isEqualTo("bad_data: parse error");
  }

  @ParameterizedTest(name = "timestamp {0}")
  @ValueSource(
      strings = {"1e400", "-1e400", "9223372036854775807", "99999999999999999999999", "1e300"})
  void timestampsNoInstantCanHoldAreBadResponses(String timestamp) {
    assertThatThrownBy(() -> parser.parse(ok("scalar", "[" + timestamp + ",\"1\"]")))
        .isInstanceOfSatisfying(
            PrometheusException.class,
            e -> assertThat(e.kind()).isEqualTo(PrometheusException.Kind.BAD_RESPONSE));
  }

  @Test
  void negativeFractionalTimestampsCountBackFromTheEpoch() throws Exception {
    assertThat(parser.parse(ok("scalar", "[-1.5,\"1\"]")))
        .isEqualTo(new QueryResult.Scalar(Instant.ofEpochMilli(-1_500), 1));
  }
}
