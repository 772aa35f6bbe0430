package dev.foresight.controller.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.controller.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DemoCommandTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "zero speed      | --speed=0              | --speed=0.0: expected a positive factor",
        "bad duration    | --duration=soon        | --duration=soon: expected a positive duration",
        "unknown trace   | --trace=nope           | trace 'nope': expected one of",
        "missing policies| --policies-file=/nonexistent/p.yaml | /nonexistent/p.yaml",
      })
  void badInputExitsWithTwoNamingTheValue(String name, String arg, String message) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.execute(
            new String[] {"demo", "--no-prometheus", arg},
            Map.of(),
            new PrintWriter(out),
            new PrintWriter(err));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("foresight demo: ").contains(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"--help", "-h"})
  void helpListsTheFlags(String flag) {
    StringWriter out = new StringWriter();
    int code =
        Main.execute(
            new String[] {"demo", flag}, Map.of(), new PrintWriter(out), new PrintWriter(out));
    assertThat(code).isZero();
    assertThat(out.toString())
        .contains("--trace", "--speed", "--duration", "--policies-file", "--no-prometheus")
        .contains("--scaler-port", "--http-port", "--metrics-port", "--metrics-api-port", "--out");
  }
}
