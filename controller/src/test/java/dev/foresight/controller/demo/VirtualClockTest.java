package dev.foresight.controller.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VirtualClockTest {

  private final AtomicReference<Instant> wall =
      new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  private final InstantSource source = wall::get;

  @Test
  void runsSpeedTimesFasterThanTheWallAndMapsBack() {
    VirtualClock clock = new VirtualClock(source, 30);
    wall.set(wall.get().plusSeconds(2));
    assertThat(clock.seconds()).isEqualTo(60.0);
    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-01-01T00:01:00Z"));
    assertThat(clock.wallAt(clock.instant())).isEqualTo(wall.get());
    assertThat(clock.toWall(Duration.ofMinutes(1))).isEqualTo(Duration.ofSeconds(2));
    assertThat(clock.toSimulated(Duration.ofSeconds(2))).isEqualTo(Duration.ofMinutes(1));
  }

  @ParameterizedTest(name = "speed {0}")
  @ValueSource(doubles = {0, -1, Double.NaN, Double.POSITIVE_INFINITY})
  void rejectsASpeedThatIsNotAPositiveFactor(double speed) {
    assertThatThrownBy(() -> new VirtualClock(source, speed))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("speed=" + speed)
        .hasMessageContaining("positive");
  }

  @ParameterizedTest(name = "speed {0}")
  @ValueSource(doubles = {1, 30, 60, 120, 600})
  void demoWindowCoversTheSimulatedMinuteAndAtLeastFourScrapes(double speed) {
    Duration w = DemoCommand.window(speed);
    assertThat(w).isGreaterThanOrEqualTo(DemoCommand.MIN_WINDOW);
    assertThat(w.toNanos() * speed).isGreaterThanOrEqualTo(60e9);
  }
}
