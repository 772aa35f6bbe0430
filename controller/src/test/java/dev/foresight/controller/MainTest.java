package dev.foresight.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.controller.config.ControllerConfig;
import dev.foresight.controller.config.Setting;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    return Main.execute(args, env, new PrintWriter(out), new PrintWriter(err));
  }

  @ParameterizedTest(name = "{0} --help")
  @ValueSource(strings = {"", "run", "version"})
  void everyCommandHasHelp(String command) {
    String[] args = command.isEmpty() ? new String[] {"--help"} : new String[] {command, "--help"};
    assertThat(run(Map.of(), args)).isZero();
    assertThat(out.toString()).contains("Usage:").contains("--help");
  }

  @Test
  void runHelpDocumentsEveryFlagWithVariableAndDefault() {
    run(Map.of(), "run", "--help");
    // Help wraps at the terminal width, even inside a value: compare without whitespace.
    String help = out.toString().replaceAll("\\s+", "");
    for (Setting s : Setting.values()) {
      assertThat(help).contains(s.option()).contains(s.environmentVariable());
      if (s.defaultValue() != null) {
        assertThat(help).contains("Default:" + s.defaultValue().replaceAll("\\s+", ""));
      }
    }
  }

  @Test
  void versionPrintsTheVersion() {
    assertThat(run(Map.of(), "version")).isZero();
    assertThat(out.toString()).startsWith("foresight ");
  }

  @Test
  void badSettingsExitWithTwoAndListEveryProblem() {
    int code =
        run(
            Map.of("FORESIGHT_LOOP_PERIOD", "often", "FORESIGHT_MODE", "standalone"),
            "run",
            "--query-retries",
            "x",
            "--prometheus-url",
            "nowhere");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("--loop-period (FORESIGHT_LOOP_PERIOD): got 'often'")
        .contains("--query-retries (FORESIGHT_QUERY_RETRIES): got 'x'")
        .contains("--prometheus-url (FORESIGHT_PROMETHEUS_URL): got 'nowhere'")
        .contains("--policies-file (FORESIGHT_POLICIES_FILE)");
  }

  @Test
  void flagWinsOverVariableWhichWinsOverDefault(@TempDir Path dir) throws Exception {
    Path policies = Files.writeString(dir.resolve("p.yaml"), "policies: []\n");
    AtomicReference<ControllerConfig> seen = new AtomicReference<>();
    var cl =
        RunCommand.commandLine(
            Map.of(
                "FORESIGHT_LOOP_PERIOD", "7s",
                "FORESIGHT_QUERY_TIMEOUT", "3s",
                "FORESIGHT_POLICIES_FILE", policies.toString()),
            (config, o, e) -> {
              seen.set(config);
              return 0;
            });
    assertThat(cl.execute("--query-timeout", "1s")).isZero();
    assertThat(seen.get().queryTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(seen.get().loopPeriod()).isEqualTo(Duration.ofSeconds(7));
    assertThat(seen.get().queryRetries()).isEqualTo(2);
  }

  @Test
  void badPoliciesFileExitsWithTwoAndListsEveryProblem(@TempDir Path dir) throws Exception {
    Path policies =
        Files.writeString(
            dir.resolve("bad.yaml"),
            """
            policies:
              - name: a
                namespace: llm
                target: {kind: Deployment, name: a}
                signals: {preset: nope}
                replicas: {current: 1}
                policy: {target.queue: -4}
            """);
    int code =
        run(
            Map.of(),
            "run",
            "--policies-file",
            policies.toString(),
            "--http-host",
            "127.0.0.1",
            "--http-port",
            "0");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("invalid policies file")
        .contains("policies[0].signals.preset: got 'nope'")
        .contains("policies[0].policy.target.queue");
  }
}
