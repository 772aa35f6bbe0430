package dev.foresight.controller.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 10,000 mutated, garbled and ill-typed Prometheus API bodies: each parses into a result or fails
 * with a typed {@link PrometheusException} ({@code BAD_RESPONSE}), never with another exception.
 *
 * <p>100 batches of 100 cases; the batch seed is in the test name and each failing case's seed in
 * its message.
 */
class ResponseParserFuzzTest {

  private static final long SEED = 0x5EED9A75E4L;

  private final ResponseParser parser = new ResponseParser(new ObjectMapper());

  static Stream<Arguments> batches() {
    SplittableRandom root = new SplittableRandom(SEED);
    return IntStream.range(0, 100).mapToObj(i -> Arguments.of(root.nextLong()));
  }

  /** Values as Prometheus writes them, and as a broken proxy or exporter might. */
  private static final String[] VALUES = {
    "\"1\"",
    "\"0\"",
    "\"-3.5\"",
    "\"NaN\"",
    "\"+Inf\"",
    "\"-Inf\"",
    "\"Inf\"",
    "\"1e309\"",
    "\"\"",
    "\"abc\"",
    "\"0x10\"",
    "1",
    "null",
    "true",
    "[]",
    "{}",
    "\"" + "9".repeat(400) + "\""
  };

  /** Timestamps, including ones no {@link java.time.Instant} can hold. */
  private static final String[] TIMES = {
    "1700000000",
    "1700000000.123",
    "0",
    "-1",
    "1e300",
    "-1e300",
    "1e400",
    "9223372036854775807",
    "99999999999999999999999",
    "31556889864403199",
    "1.5e-9",
    "\"1700000000\"",
    "null",
    "[]",
    "{}"
  };

  private static String pick(SplittableRandom r, String[] options) {
    return options[r.nextInt(options.length)];
  }

  private static String pair(SplittableRandom r) {
    return switch (r.nextInt(10)) {
      case 0 -> "[" + pick(r, TIMES) + "]";
      case 1 -> pick(r, VALUES);
      case 2 -> "[" + pick(r, TIMES) + "," + pick(r, VALUES) + "," + pick(r, VALUES) + "]";
      default -> "[" + pick(r, TIMES) + "," + pick(r, VALUES) + "]";
    };
  }

  private static String labels(SplittableRandom r) {
    return switch (r.nextInt(6)) {
      case 0 -> "null";
      case 1 -> "[]";
      case 2 -> "{\"pod\":{\"nested\":[1,2]},\"pod\":\"dup\"}";
      default -> "{\"__name__\":\"up\",\"pod\":\"vllm-" + r.nextInt(100) + "\"}";
    };
  }

  private static String result(SplittableRandom r, String type) {
    StringBuilder out = new StringBuilder();
    switch (type) {
      case "vector" -> {
        out.append('[');
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
          out.append(i > 0 ? "," : "")
              .append(r.nextInt(10) == 0 ? pick(r, VALUES) : "{")
              .append("\"metric\":")
              .append(labels(r))
              .append(",\"value\":")
              .append(pair(r))
              .append('}');
        }
        out.append(']');
      }
      case "matrix" -> {
        out.append('[');
        int n = r.nextInt(3);
        for (int i = 0; i < n; i++) {
          out.append(i > 0 ? "," : "")
              .append("{\"metric\":")
              .append(labels(r))
              .append(",\"values\":");
          if (r.nextInt(8) == 0) {
            out.append(pick(r, VALUES));
          } else {
            out.append('[');
            int points = r.nextInt(5);
            for (int p = 0; p < points; p++) {
              out.append(p > 0 ? "," : "").append(pair(r));
            }
            out.append(']');
          }
          out.append('}');
        }
        out.append(']');
      }
      default -> out.append(r.nextInt(4) == 0 ? pick(r, VALUES) : pair(r));
    }
    return out.toString();
  }

  /** A body: well-formed with wrong parts, or a well-formed one then garbled as bytes. */
  static String body(SplittableRandom r) {
    String type =
        new String[] {"vector", "matrix", "scalar", "string", "", "VECTOR", "streams"}
            [r.nextInt(7)];
    String status = r.nextInt(10) == 0 ? pick(r, new String[] {"error", "", "null"}) : "success";
    String body =
        switch (r.nextInt(12)) {
          case 0 -> "";
          case 1 -> "null";
          case 2 -> "[]";
          case 3 -> "{\"status\":\"success\"}";
          case 4 -> "{\"status\":\"success\",\"data\":" + pick(r, VALUES) + "}";
          default ->
              "{\"status\":\""
                  + status
                  + "\",\"data\":{\"resultType\":\""
                  + type
                  + "\",\"result\":"
                  + result(r, type)
                  + "}}";
        };
    return r.nextInt(4) == 0 ? garble(r, body) : body;
  }

  private static final String GARBAGE = "{}[],:\"\\\u00e9\uFFFF";

  private static String garble(SplittableRandom r, String body) {
    if (body.isEmpty()) {
      return "\u0000";
    }
    StringBuilder out = new StringBuilder(body);
    int edits = 1 + r.nextInt(4);
    for (int i = 0; i < edits && out.length() > 0; i++) {
      int at = r.nextInt(out.length());
      switch (r.nextInt(4)) {
        case 0 -> out.setLength(at); // truncated mid-body
        case 1 -> out.deleteCharAt(at);
        case 2 -> out.insert(at, GARBAGE.charAt(r.nextInt(GARBAGE.length())));
        default -> out.setCharAt(at, (char) r.nextInt(0x80));
      }
    }
    return out.toString();
  }

  @ParameterizedTest(name = "batch seed {0}")
  @MethodSource("batches")
  void everyBodyParsesOrFailsTyped(long batchSeed) {
    SplittableRandom batch = new SplittableRandom(batchSeed);
    for (int i = 0; i < 100; i++) {
      long seed = batch.nextLong();
      String body = body(new SplittableRandom(seed));
      try {
        assertThat(parser.parse(body)).isNotNull();
      } catch (PrometheusException e) {
        assertThat(e.kind()).isEqualTo(PrometheusException.Kind.BAD_RESPONSE);
        assertThat(e.getMessage()).isNotBlank();
      } catch (RuntimeException e) {
        fail("case seed " + seed + ": body " + body + " threw " + e, e);
      }
      assertThat(parser.errorOf(body)).isNotNull();
    }
  }
}
