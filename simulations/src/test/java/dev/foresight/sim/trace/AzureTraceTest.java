package dev.foresight.sim.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.foresight.sim.Request;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AzureTraceTest {
  @TempDir Path dir;

  @Test
  void embeddedConversationTraceMatchesItsPublishedCounts() {
    AzureTrace conv = AzureTrace.embedded(AzureTrace.CONVERSATION);
    assertThat(conv.rows()).isEqualTo(19_366);
    // 18:15:46.68 to 19:14:08.40
    assertThat(conv.durationSeconds()).isBetween(3501.0, 3502.0);
    try (ArrivalStream s = conv.open(1)) {
      Request first = s.next();
      assertThat(first.arrivalSeconds()).isZero();
      assertThat(first.promptTokens()).isEqualTo(374);
      assertThat(first.outputTokens()).isEqualTo(44);
      Request second = s.next();
      assertThat(second.arrivalSeconds())
          .isCloseTo(4.314579, org.assertj.core.data.Offset.offset(1e-6));
    }
    assertThat(AzureTrace.embedded(AzureTrace.CODE).rows()).isEqualTo(8_819);
  }

  static Stream<Arguments> malformed() {
    String h = AzureTrace.HEADER + "\r\n";
    String ok = "2023-11-16 18:15:46.6805900,374,44\r\n";
    return Stream.of(
        Arguments.of("wrong header", "TIME,A,B\n" + ok, 1, "header"),
        Arguments.of("too few fields", h + ok + "2023-11-16 18:15:47.0,374\r\n", 3, "expected 3"),
        Arguments.of("bad timestamp", h + "16/11/2023 18:15,374,44\n", 2, "TIMESTAMP"),
        Arguments.of(
            "negative tokens", h + ok + "2023-11-16 18:15:47.0,-1,44\n", 3, "ContextTokens"),
        Arguments.of(
            "text tokens", h + ok + ok + "2023-11-16 18:15:48.0,5,many\n", 4, "GeneratedTokens"),
        Arguments.of(
            "out of order",
            h + ok + "2023-11-16 18:15:40.0,5,5\n",
            3,
            "earlier than the row before"),
        Arguments.of("no rows", h, 1, "no request rows"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedFilesNameFileAndLine(String name, String content, int line, String what)
      throws IOException {
    Path file = dir.resolve("trace.csv");
    Files.writeString(file, content);
    assertThatThrownBy(() -> AzureTrace.file(file))
        .isInstanceOfSatisfying(
            TraceException.class,
            e -> {
              assertThat(e.file()).isEqualTo(file.toString());
              assertThat(e.line()).hasValue(line);
            })
        .hasMessageContaining(file + ":" + line + ": ")
        .hasMessageContaining(what);
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = dir.resolve("nope.csv");
    assertThatThrownBy(() -> AzureTrace.file(missing))
        .isInstanceOf(TraceException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("not found");
  }

  @Test
  void unknownTraceNamesListTheKnownOnes() {
    assertThatThrownBy(() -> Traces.resolve("nonesuch", null, 20))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("azure-conv")
        .hasMessageContaining("spike");
    assertThatThrownBy(() -> Traces.resolve("servegen", null, 20))
        .hasMessageContaining("--traces-dir");
  }
}
