package dev.foresight.policy.forecast;

import java.time.Instant;
import java.util.Objects;

/**
 * A load sample and the instant it describes: one point of the history a forecaster is rebuilt
 * from.
 */
public record TimedLoad(Instant at, LoadSample load) {

  public TimedLoad {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(load, "load");
  }
}
