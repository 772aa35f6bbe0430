package dev.foresight.sim.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HPA's replica arithmetic on the examples of the Kubernetes documentation ("Horizontal Pod
 * Autoscaling", algorithm details) and of {@code replica_calculator.go}'s rules.
 */
class HpaAlgorithmTest {
  static Stream<Arguments> plainMetric() {
    return Stream.of(
        // name, current, pod values, missing pods, target, expected
        Arguments.of("docs: 200m against 100m doubles", 2, new double[] {200, 200}, 0, 100, 4),
        Arguments.of("docs: 50m against 100m halves", 4, new double[] {50, 50, 50, 50}, 0, 100, 2),
        Arguments.of("within tolerance 0.1 holds", 3, new double[] {80, 80, 80}, 0, 75, 3),
        Arguments.of("just outside tolerance scales", 3, new double[] {83, 83, 83}, 0, 75, 4),
        Arguments.of("GPU pegged at 100% against 75%", 3, new double[] {100, 100, 100}, 0, 75, 4),
        Arguments.of(
            "starting pod at 0% pulls the mean down", 4, new double[] {100, 100, 100, 0}, 0, 75, 4),
        Arguments.of(
            "missing pods count as target on scale-down", 4, new double[] {10, 10}, 2, 75, 3),
        Arguments.of("missing pods count as 0 on scale-up", 4, new double[] {150, 150}, 2, 75, 4),
        Arguments.of(
            "missing pods flip the direction: hold", 4, new double[] {100, 100}, 2, 75, 4));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("plainMetric")
  void plainMetricReplicas(
      String name, int current, double[] values, int missing, double target, int expected) {
    assertThat(HpaAlgorithm.plainMetricReplicas(current, values, missing, target, 0.1))
        .isEqualTo(OptionalInt.of(expected));
  }

  static Stream<Arguments> externalAverageValue() {
    return Stream.of(
        // name, current, usage, target per pod, expected
        Arguments.of("37 waiting at 4 per replica", 5, 37.0, 4.0, 10),
        Arguments.of("nothing waiting asks for 0 (HPA then clamps to min)", 5, 0.0, 4.0, 0),
        Arguments.of("within tolerance holds", 5, 21.0, 4.0, 5),
        Arguments.of("from zero replicas the ratio is infinite", 0, 3.0, 4.0, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("externalAverageValue")
  void externalPerPodReplicas(String name, int current, double usage, double target, int expected) {
    assertThat(HpaAlgorithm.externalPerPodReplicas(current, usage, target, 0.1))
        .isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void noPodWithAMetricProposesNothing() {
    assertThat(HpaAlgorithm.plainMetricReplicas(3, new double[0], 3, 75, 0.1)).isEmpty();
  }
}
