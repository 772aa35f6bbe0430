package dev.foresight.scaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ScalerServerConfigTest {

  @TempDir static Path dir;
  private static Path pem;
  private static Path absent;

  /** Runs before the rows are built, so the rows can name these files. */
  @BeforeAll
  static void files() throws IOException {
    pem = Files.writeString(dir.resolve("tls.crt"), "PEM");
    absent = dir.resolve("absent.pem");
  }

  @Test
  void defaultsArePlaintextOnPort9090() {
    ScalerServerConfig config = ScalerServerConfig.builder().build();

    assertThat(config.security()).isEqualTo(ScalerServerConfig.Security.PLAINTEXT);
    assertThat(config.port()).isEqualTo(9090);
    assertThat(config.activityRepeat()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.problems()).isEmpty();
  }

  @Test
  void mutualTlsWithReadableFilesIsValid() {
    assertThat(ScalerServerConfig.builder().mutualTls(pem, pem, pem).build().security())
        .isEqualTo(ScalerServerConfig.Security.MUTUAL_TLS);
  }

  static Stream<Arguments> badConfigs() {
    return Stream.of(
        argumentSet("port below 0", cfg((b, p) -> b.port(-1)), "port", "-1", "0 to 65535"),
        argumentSet(
            "port above 65535", cfg((b, p) -> b.port(70000)), "port", "70000", "0 to 65535"),
        argumentSet("blank host", cfg((b, p) -> b.host(" ")), "host", " ", "an address"),
        argumentSet(
            "TLS without a certificate",
            cfg((b, p) -> b.security(ScalerServerConfig.Security.TLS).privateKey(p)),
            "certChain",
            "<missing>",
            "a readable PEM file (security is TLS)"),
        argumentSet(
            "TLS with an unreadable key",
            cfg((b, p) -> b.tls(p, absent)),
            "privateKey",
            absent.toString(),
            "a readable PEM file"),
        argumentSet(
            "mutual TLS without a client CA",
            cfg((b, p) -> b.tls(p, p).security(ScalerServerConfig.Security.MUTUAL_TLS)),
            "clientCa",
            "<missing>",
            "a readable PEM file (security is MUTUAL_TLS)"),
        argumentSet(
            "client CA without mutual TLS",
            cfg((b, p) -> b.tls(p, p).clientCa(p)),
            "clientCa",
            pem.toString(),
            "no value with security TLS"),
        argumentSet(
            "zero certificate refresh",
            cfg((b, p) -> b.certRefresh(Duration.ZERO)),
            "certRefresh",
            "PT0S",
            "a positive duration"),
        argumentSet(
            "negative activity repeat",
            cfg((b, p) -> b.activityRepeat(Duration.ofSeconds(-1))),
            "activityRepeat",
            "PT-1S",
            "a positive duration"),
        argumentSet(
            "zero stale limit",
            cfg((b, p) -> b.staleAfter(Duration.ZERO)),
            "staleAfter",
            "PT0S",
            "a positive duration"),
        argumentSet(
            "negative shutdown grace",
            cfg((b, p) -> b.shutdownGrace(Duration.ofSeconds(-5))),
            "shutdownGrace",
            "PT-5S",
            "0 or more"));
  }

  private static BiFunction<ScalerServerConfig.Builder, Path, ScalerServerConfig.Builder> cfg(
      BiFunction<ScalerServerConfig.Builder, Path, ScalerServerConfig.Builder> f) {
    return f;
  }

  @ParameterizedTest
  @MethodSource("badConfigs")
  void badFieldIsNamedWithItsValueAndWhatWasExpected(
      BiFunction<ScalerServerConfig.Builder, Path, ScalerServerConfig.Builder> config,
      String key,
      String value,
      String expected) {
    assertThatThrownBy(() -> config.apply(ScalerServerConfig.builder(), pem).build())
        .isInstanceOfSatisfying(
            ScalerServerConfig.InvalidConfigException.class,
            e ->
                assertThat(e.problems())
                    .singleElement()
                    .satisfies(
                        p -> {
                          assertThat(p.key()).isEqualTo(key);
                          assertThat(p.value()).isEqualTo(value);
                          assertThat(p.expected()).contains(expected);
                        }));
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertThatThrownBy(
            () ->
                ScalerServerConfig.builder()
                    .port(-1)
                    .security(ScalerServerConfig.Security.MUTUAL_TLS)
                    .staleAfter(Duration.ZERO)
                    .build())
        .isInstanceOfSatisfying(
            ScalerServerConfig.InvalidConfigException.class,
            e ->
                assertThat(e.problems())
                    .extracting(Problem::key)
                    .containsExactly("port", "certChain", "privateKey", "clientCa", "staleAfter"));
  }
}
