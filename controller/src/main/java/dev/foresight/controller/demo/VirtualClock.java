package dev.foresight.controller.demo;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Accelerated time: from {@code origin} on, {@code speed} simulated seconds pass per wall-clock
 * second, {@code virtual = origin + speed · (wall − origin)}. The controller's loop, the KEDA
 * scaler and the fleet all read this clock, so that decisions, forecasts and decision ages are in
 * simulated time while Prometheus keeps stamping wall-clock time ({@link #wallAt} maps back).
 */
public final class VirtualClock implements InstantSource {
  private final InstantSource wall;
  private final Instant origin;
  private final double speed;

  public VirtualClock(InstantSource wall, double speed) {
    if (!(speed > 0) || Double.isInfinite(speed)) {
      throw new IllegalArgumentException("speed=" + speed + ": expected a positive factor");
    }
    this.wall = wall;
    this.origin = wall.instant();
    this.speed = speed;
  }

  /** Simulated seconds per wall-clock second. */
  public double speed() {
    return speed;
  }

  @Override
  public Instant instant() {
    return origin.plusNanos(Math.round(wallNanosSinceOrigin() * speed));
  }

  /** Simulated seconds since the origin. */
  public double seconds() {
    return wallNanosSinceOrigin() * speed / 1e9;
  }

  /** The wall-clock instant at which the virtual clock reads {@code virtual}. */
  public Instant wallAt(Instant virtual) {
    long nanos = Duration.between(origin, virtual).toNanos();
    return origin.plusNanos(Math.round(nanos / speed));
  }

  /** A simulated span as wall-clock time. */
  public Duration toWall(Duration simulated) {
    return Duration.ofNanos(Math.max(1, Math.round(simulated.toNanos() / speed)));
  }

  /** A wall-clock span as simulated time. */
  public Duration toSimulated(Duration wallSpan) {
    return Duration.ofNanos(Math.round(wallSpan.toNanos() * speed));
  }

  private long wallNanosSinceOrigin() {
    return Duration.between(origin, wall.instant()).toNanos();
  }
}
