package dev.foresight.policy.supply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.policy.Reason;
import dev.foresight.policy.WorkloadRef;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties of the node-supply constraint over generated supplies. Each case carries its own seed
 * in its name: rerun a failing case by generating from that seed.
 */
class SupplyConstraintPropertiesTest {

  private static final long SEED = 0x5EED5A7713L;
  private static final int CASES = 1000;

  static final WorkloadRef W = WorkloadRef.deployment("llm", "vllm-llama");

  static Stream<Arguments> seeds() {
    SplittableRandom root = new SplittableRandom(SEED);
    return IntStream.range(0, CASES).mapToObj(i -> Arguments.of(root.nextLong()));
  }

  /** Replica counts in [0, 200], with the boundaries and equal pairs drawn more often. */
  static int replicas(SplittableRandom r) {
    return switch (r.nextInt(8)) {
      case 0 -> 0;
      case 1 -> 200;
      default -> r.nextInt(201);
    };
  }

  static NodeSupply supply(SplittableRandom r) {
    int pending = r.nextInt(21);
    int coveredShare = r.nextInt(101);
    OptionalInt headroom = r.nextBoolean() ? OptionalInt.of(r.nextInt(65)) : OptionalInt.empty();
    List<Integer> free = new ArrayList<>();
    int freeNodes = r.nextInt(7);
    for (int i = 0; i < freeNodes; i++) {
      free.add(r.nextInt(1, 9));
    }
    int gpus = r.nextInt(9);
    boolean blocked = r.nextBoolean();
    boolean karpenter = r.nextBoolean();
    return new NodeSupply(
        W,
        karpenter ? NodeSupply.Observed.KARPENTER : NodeSupply.Observed.EVENTS_ONLY,
        karpenter ? Set.of("gpu-l4") : Set.of(),
        gpus,
        pending,
        pending * coveredShare / 100,
        0,
        karpenter ? headroom : OptionalInt.empty(),
        karpenter ? List.copyOf(free) : List.of(),
        blocked && karpenter ? 1 : 0,
        blocked);
  }

  static OptionalInt ask(SplittableRandom r) {
    return r.nextBoolean() ? OptionalInt.of(r.nextInt(201)) : OptionalInt.empty();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void supplyNeverLowersBelowCurrentNorTouchesScaleDown(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int recommended = replicas(r);
    int current = r.nextInt(6) == 0 ? recommended : replicas(r);
    SupplyOutcome out = SupplyConstraint.apply(recommended, current, supply(r), ask(r));
    assertThat(out.replicas()).isGreaterThanOrEqualTo(Math.min(recommended, current));
    if (recommended <= current) {
      assertThat(out.replicas()).isEqualTo(recommended);
      assertThat(out.constrained()).isFalse();
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void resultNeverExceedsTheRecommendationWhenGrowing(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int recommended = replicas(r);
    int current = r.nextInt(6) == 0 ? recommended : replicas(r);
    SupplyOutcome out = SupplyConstraint.apply(recommended, current, supply(r), ask(r));
    assertThat(out.replicas()).isLessThanOrEqualTo(Math.max(recommended, current));
    if (out.reason().filter(reason -> reason == Reason.NODE_SUPPLY_CAPPED).isPresent()) {
      assertThat(out.replicas()).isLessThan(recommended);
      assertThat(out.replicas()).isEqualTo(Math.max(current, out.maxBackable()));
    }
    if (out.constrained()) {
      assertThat(out.message()).isNotEmpty();
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void unconstrainedGrowthIsBackable(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int recommended = replicas(r);
    int current = replicas(r);
    NodeSupply supply = supply(r);
    SupplyOutcome out = SupplyConstraint.apply(recommended, current, supply);
    if (recommended > current && !out.constrained()) {
      assertThat(recommended).isLessThanOrEqualTo(supply.maxBackableReplicas(current));
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void moreHeadroomNeverBacksFewerReplicas(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    NodeSupply supply = supply(r);
    int current = replicas(r);
    int extra = r.nextInt(1, 33);
    OptionalInt h = supply.headroomGpus();
    NodeSupply more =
        new NodeSupply(
            supply.workload(),
            supply.observed(),
            supply.nodePools(),
            supply.gpusPerReplica(),
            supply.pendingPods(),
            supply.coveredPods(),
            supply.gpusInFlight(),
            h.isPresent() ? OptionalInt.of(h.getAsInt() + extra) : h,
            supply.freeGpusPerNode(),
            supply.recentStockouts(),
            supply.blocked());
    assertThat(more.maxBackableReplicas(current))
        .isGreaterThanOrEqualTo(supply.maxBackableReplicas(current));
  }
}
