package dev.foresight.metricsapi.kube;

import io.kubernetes.client.custom.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Formats metric values as Kubernetes quantity strings, the {@code value} of an {@code
 * ExternalMetricValue}.
 *
 * <p>The value is first rounded <em>up</em> to a whole number of milli-units, {@code ceil(v × 1000)
 * / 1000}, because HPA reads external metrics with {@code Quantity.MilliValue()}, which rounds up
 * too: the rounding here never changes what HPA computes, it only keeps the string short. Then
 * client-java's canonical decimal-SI form is written: integers plain ({@code 3}), fractions in
 * milli-units ({@code 2.5 → 2500m}), large round values with an SI suffix ({@code 1.5e12 → 1500G}).
 */
public final class Quantities {

  private Quantities() {}

  /**
   * The quantity string of {@code value}.
   *
   * @throws IllegalArgumentException when {@code value} is NaN or infinite, which a quantity cannot
   *     express
   */
  public static String format(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("value " + value + " cannot be a Kubernetes quantity");
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    BigDecimal milli = BigDecimal.valueOf(value).setScale(3, RoundingMode.CEILING);
    return new Quantity(milli.stripTrailingZeros(), Quantity.Format.DECIMAL_SI).toSuffixedString();
  }
}
