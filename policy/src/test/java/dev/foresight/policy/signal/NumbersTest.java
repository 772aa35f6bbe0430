package dev.foresight.policy.signal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NumbersTest {

  @ParameterizedTest(name = "ceil({0}) = {1}")
  @CsvSource({
    "0, 0",
    "-3, 0",
    "0.1, 1",
    "2.000001, 3",
    "2.0000000001, 2",
    "3.0000000000000004, 3",
    "9.25, 10",
    "1e20, 2147483647"
  })
  void ceilReplicas(double x, int replicas) {
    assertThat(Numbers.ceilReplicas(x)).isEqualTo(replicas);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    "37, 37",
    "-4, -4",
    "0.8, 0.8",
    "0.6666666, 0.667",
    "1.05, 1.05",
    "2.0004, 2",
    "2.0005, 2.001",
    "-0.25, -0.25",
    "0.01, 0.01",
    "0.0001, 1.0E-4",
    "NaN, NaN"
  })
  void text(double x, String text) {
    assertThat(Numbers.text(x)).isEqualTo(text);
  }
}
