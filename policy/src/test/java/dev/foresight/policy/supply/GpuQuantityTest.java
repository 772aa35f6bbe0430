package dev.foresight.policy.supply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GpuQuantityTest {

  @ParameterizedTest(name = "{0}: ''{1}'' = {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          plain count as the API server writes it     | 8      | 8
          NodePool limit                              | 16     | 16
          zero                                        | 0      | 0
          canonical form of 1000                      | 1k     | 1000
          binary suffix                               | 1Ki    | 1024
          exponent                                    | 2e1    | 20
          milli that adds up to a whole               | 3000m  | 3
          decimal point with whole value              | 4.0    | 4
          explicit plus sign                          | +2     | 2
          surrounding blanks                          | ' 4 '  | 4
          """)
  void parsesWholeQuantities(String row, String quantity, int gpus) {
    assertThat(GpuQuantity.parse("f", quantity)).isEqualTo(gpus);
  }

  @ParameterizedTest(name = "{0}: ''{1}''")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          fraction                 | 1.5        | a whole GPU count
          milli fraction           | 500m       | a whole GPU count
          negative                 | -1         | a non-negative GPU count
          not a quantity           | eight      | a Kubernetes quantity
          unknown suffix           | 4X         | a Kubernetes quantity
          empty                    | ''         | a Kubernetes quantity
          beyond int               | 3Gi        | at most 2147483647
          """)
  void rejectsWithFieldValueAndExpectation(String row, String quantity, String expected) {
    assertThatThrownBy(
            () -> GpuQuantity.parse("nodepool/gpu-l4.spec.limits[nvidia.com/gpu]", quantity))
        .isInstanceOfSatisfying(
            InvalidSupplyInputException.class,
            e -> {
              assertThat(e.field()).isEqualTo("nodepool/gpu-l4.spec.limits[nvidia.com/gpu]");
              assertThat(e.value()).isEqualTo(quantity);
              assertThat(e.expected()).startsWith(expected);
              assertThat(e.getMessage())
                  .startsWith("nodepool/gpu-l4.spec.limits[nvidia.com/gpu] = '" + quantity + "'");
            });
  }

  @Test
  void resourceListWithoutGpusCountsZeroAndNamesTheEntry() {
    assertThat(GpuQuantity.in("node.status.capacity", Map.of("cpu", "4"))).isZero();
    assertThat(GpuQuantity.in("node.status.capacity", null)).isZero();
    assertThatThrownBy(
            () -> GpuQuantity.in("nodeclaim/x.status.capacity", Map.of("nvidia.com/gpu", "0.5")))
        .isInstanceOfSatisfying(
            InvalidSupplyInputException.class,
            e -> assertThat(e.field()).isEqualTo("nodeclaim/x.status.capacity[nvidia.com/gpu]"));
  }
}
