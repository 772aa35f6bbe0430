package dev.foresight.policy.supply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.policy.Reason;
import dev.foresight.policy.WorkloadRef;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class SupplyConstraintPropertiesTest {

  static final WorkloadRef W = WorkloadRef.deployment("llm", "vllm-llama");

  @Provide
  Arbitrary<NodeSupply> supplies() {
    Arbitrary<Integer> pending = Arbitraries.integers().between(0, 20);
    Arbitrary<Integer> coveredShare = Arbitraries.integers().between(0, 100);
    Arbitrary<OptionalInt> headroom =
        Arbitraries.oneOf(
            Arbitraries.integers().between(0, 64).map(OptionalInt::of),
            Arbitraries.just(OptionalInt.empty()));
    Arbitrary<List<Integer>> free = Arbitraries.integers().between(1, 8).list().ofMaxSize(6);
    Arbitrary<Integer> gpus = Arbitraries.integers().between(0, 8);
    Arbitrary<Boolean> blocked = Arbitraries.of(true, false);
    Arbitrary<Boolean> karpenter = Arbitraries.of(true, false);
    return Combinators.combine(pending, coveredShare, headroom, free, gpus, blocked, karpenter)
        .as(
            (p, share, h, f, g, b, k) ->
                new NodeSupply(
                    W,
                    k ? NodeSupply.Observed.KARPENTER : NodeSupply.Observed.EVENTS_ONLY,
                    k ? Set.of("gpu-l4") : Set.of(),
                    g,
                    p,
                    p * share / 100,
                    0,
                    k ? h : OptionalInt.empty(),
                    k ? f : List.of(),
                    b && k ? 1 : 0,
                    b));
  }

  @Provide
  Arbitrary<OptionalInt> asks() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(0, 200).map(OptionalInt::of),
        Arbitraries.just(OptionalInt.empty()));
  }

  @Property
  void supplyNeverLowersBelowCurrentNorTouchesScaleDown(
      @ForAll @IntRange(max = 200) int recommended,
      @ForAll @IntRange(max = 200) int current,
      @ForAll("supplies") NodeSupply supply,
      @ForAll("asks") OptionalInt ask) {
    SupplyOutcome out = SupplyConstraint.apply(recommended, current, supply, ask);
    assertThat(out.replicas()).isGreaterThanOrEqualTo(Math.min(recommended, current));
    if (recommended <= current) {
      assertThat(out.replicas()).isEqualTo(recommended);
      assertThat(out.constrained()).isFalse();
    }
  }

  @Property
  void resultNeverExceedsTheRecommendationWhenGrowing(
      @ForAll @IntRange(max = 200) int recommended,
      @ForAll @IntRange(max = 200) int current,
      @ForAll("supplies") NodeSupply supply,
      @ForAll("asks") OptionalInt ask) {
    SupplyOutcome out = SupplyConstraint.apply(recommended, current, supply, ask);
    assertThat(out.replicas()).isLessThanOrEqualTo(Math.max(recommended, current));
    if (out.reason().filter(r -> r == Reason.NODE_SUPPLY_CAPPED).isPresent()) {
      assertThat(out.replicas()).isLessThan(recommended);
      assertThat(out.replicas()).isEqualTo(Math.max(current, out.maxBackable()));
    }
    if (out.constrained()) {
      assertThat(out.message()).isNotEmpty();
    }
  }

  @Property
  void unconstrainedGrowthIsBackable(
      @ForAll @IntRange(max = 200) int recommended,
      @ForAll @IntRange(max = 200) int current,
      @ForAll("supplies") NodeSupply supply) {
    SupplyOutcome out = SupplyConstraint.apply(recommended, current, supply);
    if (recommended > current && !out.constrained()) {
      assertThat(recommended).isLessThanOrEqualTo(supply.maxBackableReplicas(current));
    }
  }

  @Property
  void moreHeadroomNeverBacksFewerReplicas(
      @ForAll("supplies") NodeSupply supply,
      @ForAll @IntRange(max = 200) int current,
      @ForAll @IntRange(min = 1, max = 32) int extra) {
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
