package dev.foresight.scaler;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock tests step by hand. */
final class MutableClock implements InstantSource {
  private volatile Instant now;

  MutableClock(Instant start) {
    this.now = start;
  }

  @Override
  public Instant instant() {
    return now;
  }

  void advance(Duration by) {
    now = now.plus(by);
  }
}
