package dev.foresight.policy.supply;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code nvidia.com/gpu} entry of a Kubernetes {@code ResourceList} ({@code
 * status.capacity}, {@code status.allocatable}, {@code spec.resources.requests}, {@code
 * spec.limits}, {@code status.resources}, a container's {@code resources.requests}).
 *
 * <p>Values are Kubernetes quantities: a decimal number with an optional suffix, binary ({@code Ki
 * Mi Gi Ti Pi Ei}, powers of 1024), decimal ({@code n u m k M G T P E}) or an exponent ({@code
 * e3}). The API server writes the canonical form, so 1000 GPUs come back as {@code "1k"}. Extended
 * resources such as GPUs must be whole numbers; a fractional or negative count is rejected with the
 * field named.
 */
public final class GpuQuantity {

  /** The extended resource name of NVIDIA GPUs, as the NVIDIA device plugin advertises it. */
  public static final String NVIDIA_GPU = "nvidia.com/gpu";

  private static final Pattern QUANTITY =
      Pattern.compile(
          "([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))([KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?");

  private static final Map<String, BigDecimal> SUFFIXES =
      Map.ofEntries(
          Map.entry("Ki", BigDecimal.valueOf(1L << 10)),
          Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
          Map.entry("Gi", BigDecimal.valueOf(1L << 30)),
          Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
          Map.entry("Pi", BigDecimal.valueOf(1L << 50)),
          Map.entry("Ei", BigDecimal.valueOf(1L << 60)),
          Map.entry("n", new BigDecimal("1e-9")),
          Map.entry("u", new BigDecimal("1e-6")),
          Map.entry("m", new BigDecimal("1e-3")),
          Map.entry("k", new BigDecimal("1e3")),
          Map.entry("M", new BigDecimal("1e6")),
          Map.entry("G", new BigDecimal("1e9")),
          Map.entry("T", new BigDecimal("1e12")),
          Map.entry("P", new BigDecimal("1e15")),
          Map.entry("E", new BigDecimal("1e18")));

  private GpuQuantity() {}

  /**
   * The GPU count in {@code resources}, 0 when the list has no {@code nvidia.com/gpu} entry.
   *
   * @param field the field path of the list, for the error, e.g. {@code
   *     nodeclaim/gpu-x7k2q.status.allocatable}
   * @param resources the resource list as name to quantity string (null counts as empty)
   */
  public static int in(String field, Map<String, String> resources) {
    if (resources == null || !resources.containsKey(NVIDIA_GPU)) {
      return 0;
    }
    return parse(field + "[" + NVIDIA_GPU + "]", resources.get(NVIDIA_GPU));
  }

  /**
   * Parses one GPU quantity.
   *
   * @param field the field path, for the error
   * @param quantity a Kubernetes quantity, e.g. {@code 8}, {@code 16}, {@code 1k}
   * @return the whole, non-negative GPU count
   * @throws InvalidSupplyInputException when the value is not a quantity, is negative or
   *     fractional, or exceeds {@link Integer#MAX_VALUE}
   */
  public static int parse(String field, String quantity) {
    String text = quantity == null ? "" : quantity.trim();
    Matcher m = QUANTITY.matcher(text);
    if (!m.matches()) {
      throw new InvalidSupplyInputException(
          field, String.valueOf(quantity), "a Kubernetes quantity such as 8 or 1k");
    }
    BigDecimal value = new BigDecimal(m.group(1));
    String suffix = m.group(2);
    if (suffix != null) {
      value =
          suffix.startsWith("e") || suffix.startsWith("E")
              ? value.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)))
              : value.multiply(SUFFIXES.get(suffix));
    }
    if (value.signum() < 0) {
      throw new InvalidSupplyInputException(field, quantity, "a non-negative GPU count");
    }
    BigInteger whole;
    try {
      whole = value.toBigIntegerExact();
    } catch (ArithmeticException fractional) {
      throw new InvalidSupplyInputException(
          field, quantity, "a whole GPU count (extended resources are integers)");
    }
    if (whole.bitLength() > 31) {
      throw new InvalidSupplyInputException(field, quantity, "at most " + Integer.MAX_VALUE);
    }
    return whole.intValue();
  }
}
