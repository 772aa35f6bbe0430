package dev.foresight.sim.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.sim.Request;
import org.junit.jupiter.api.Test;

class SyntheticTraceTest {
  @Test
  void stepTraceRatesMatchItsShape() {
    SyntheticTrace step = SyntheticTrace.named("step");
    int before = 0;
    int after = 0;
    try (ArrivalStream s = step.open(1)) {
      Request r;
      while ((r = s.next()) != null) {
        if (r.arrivalSeconds() < 1200) {
          before++;
        } else {
          after++;
        }
      }
    }
    // Poisson counts: 4 x 1200 = 4800 and 24 x 2400 = 57600; 5 standard deviations.
    assertThat(before).isBetween(4800 - 350, 4800 + 350);
    assertThat(after).isBetween(57600 - 1200, 57600 + 1200);
  }

  @Test
  void everyShapeIsKnownByName() {
    for (String name : SyntheticTrace.names()) {
      assertThat(SyntheticTrace.named(name).name()).isEqualTo(name);
    }
    assertThat(SyntheticTrace.named("diurnal").rateAt(43200)).isEqualTo(22.0);
  }
}
