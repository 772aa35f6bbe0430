package dev.foresight.policy.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.policy.GpuReading;
import dev.foresight.policy.GuardRailEffect;
import dev.foresight.policy.GuardRailSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class GpuGuardRailsTest {

  private static final GuardRailSpec SPEC = GuardRailSpec.defaults();

  private static GpuReading gpu(
      String pod, String id, double util, double used, double free, double temp, long xid) {
    return new GpuReading(pod, id, util, used, free, temp, xid);
  }

  @Test
  void noGpusSayNothing() {
    GpuAssessment a = GpuGuardRails.assess(SPEC, List.of());
    assertThat(a.unhealthyReplicas()).isZero();
    assertThat(a.lowHeadroom()).isEmpty();
    assertThat(a.meanUtilization()).isEmpty();
  }

  @Test
  void unhealthyPodsCountOnceEach() {
    GpuAssessment a =
        GpuGuardRails.assess(
            SPEC,
            List.of(
                gpu("b", "b0", 50, 10, 10, 95, 2),
                gpu("b", "b1", 50, 10, 10, 60, 1),
                gpu("a", "a0", 50, 10, 10, 88, 0),
                gpu("c", "c0", 50, 10, 10, 87, 0)));
    assertThat(a.unhealthyPods()).containsExactly("a", "b");
    assertThat(a.unhealthyEffects())
        .extracting(GuardRailEffect::rail)
        .containsExactly(
            GuardRailEffect.Rail.XID_ERRORS,
            GuardRailEffect.Rail.TEMPERATURE,
            GuardRailEffect.Rail.XID_ERRORS,
            GuardRailEffect.Rail.TEMPERATURE);
    assertThat(a.unhealthyEffects().get(1).message())
        .contains("95 °C")
        .contains("87 °C")
        .contains("pod b");
  }

  @Test
  void framebufferHeadroomAndUtilization() {
    GpuAssessment a =
        GpuGuardRails.assess(
            SPEC,
            List.of(
                gpu("a", "a0", 20, 39_000, 1_000, 60, 0),
                gpu("b", "b0", Double.NaN, 30_000, 10_000, 60, 0),
                gpu("c", "c0", 40, 0, 0, 60, 0)));
    assertThat(a.lowHeadroom()).extracting(GpuReading::gpu).containsExactly("a0");
    assertThat(a.meanUtilization()).hasValue(30.0);
    GuardRailEffect veto = GpuGuardRails.vetoScaleDown(SPEC, a.lowHeadroom(), 5, 3);
    assertThat(veto.effect()).isEqualTo(GuardRailEffect.Effect.VETO_SCALE_DOWN);
    assertThat(veto.message()).contains("0.025 free").contains("5 → 3");
  }
}
