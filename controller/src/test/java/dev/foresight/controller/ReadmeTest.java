package dev.foresight.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.controller.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The module README documents every flag of {@code run} with its default. */
class ReadmeTest {

  @ParameterizedTest(name = "{0}")
  @EnumSource(Setting.class)
  void everyFlagIsDocumentedWithItsDefault(Setting s) throws Exception {
    // Surefire runs in the module directory.
    String readme = Files.readString(Path.of("README.md"));
    String row =
        "| `"
            + s.option()
            + "` | "
            + (s.defaultValue() == null ? "|" : "`" + s.defaultValue() + "` |");
    assertThat(readme).contains(row);
  }
}
