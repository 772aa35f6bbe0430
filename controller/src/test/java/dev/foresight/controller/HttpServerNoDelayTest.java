package dev.foresight.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code java -jar foresight.jar} must run its JDK HTTP servers with TCP_NODELAY (else ~40 ms per
 * keep-alive response of the metrics API). Checked in a fresh JVM, reading the JDK server's own
 * configuration: the property is only in effect if it was set before that class loaded.
 */
class HttpServerNoDelayTest {

  private static String probe(String mode, String... jvmArgs) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    command.add("--add-opens=jdk.httpserver/sun.net.httpserver=ALL-UNNAMED");
    command.addAll(List.of(jvmArgs));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(NoDelayProbe.class.getName());
    command.add(mode);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("probe finished: %s", out).isTrue();
    return out;
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "main | ''                                  | jdk-nodelay=true",
        "main | -Dsun.net.httpserver.nodelay=false  | jdk-nodelay=false",
        // The control: a server class loaded before main() ignores the property, so the check
        // above can tell "set in time" from "set".
        "late | ''                                  | jdk-nodelay=false",
      })
  void mainSetsNoDelayBeforeAnyHttpServerClassLoads(String mode, String jvmArg, String expected)
      throws Exception {
    String out = jvmArg.isEmpty() ? probe(mode) : probe(mode, jvmArg);
    assertThat(out).contains(expected);
  }
}
