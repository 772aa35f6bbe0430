package dev.foresight.metricsapi.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.custom.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class QuantitiesTest {

  static Stream<Arguments> values() {
    return Stream.of(
        Arguments.of("zero", 0.0, "0"),
        Arguments.of("integer", 3.0, "3"),
        Arguments.of("desired replicas", 10.0, "10"),
        Arguments.of("half", 2.5, "2500m"),
        Arguments.of("one milli", 0.001, "1m"),
        Arguments.of("ratio rounds up to milli", 0.73456, "735m"),
        Arguments.of("below a milli rounds up, as MilliValue() does", 0.0004, "1m"),
        Arguments.of("fraction above one", 12.3456, "12346m"),
        Arguments.of("large integer", 1.5e12, "1500000000000"),
        Arguments.of("large with fraction", 1234567.891, "1234567891m"),
        Arguments.of("very large", 2e18, "2E"),
        Arguments.of("negative fraction", -0.25, "-250m"));
  }

  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @MethodSource("values")
  void formats(String name, double value, String expected) {
    assertThat(Quantities.format(value)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}: HPA reads back ceil(v*1000) milli-units")
  @MethodSource("values")
  void hpaReadsTheValueRoundedUpToMilli(String name, double value, String ignored) {
    BigDecimal parsed = Quantity.fromString(Quantities.format(value)).getNumber();
    BigDecimal expected = BigDecimal.valueOf(value).setScale(3, RoundingMode.CEILING);
    assertThat(parsed.compareTo(expected)).as("parsed %s", parsed).isZero();
  }

  @Test
  void rejectsNotANumber() {
    assertThatThrownBy(() -> Quantities.format(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> Quantities.format(Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
