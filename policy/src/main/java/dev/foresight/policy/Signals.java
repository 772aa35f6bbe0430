package dev.foresight.policy;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The signals present in one observation. A signal that was not delivered is absent, which is not
 * the same as zero: an absent signal never makes a proposal.
 */
public final class Signals {

  private static final Signals NONE = new Signals(new EnumMap<>(Signal.class));

  private final Map<Signal, Reading> readings;

  private Signals(EnumMap<Signal, Reading> readings) {
    this.readings = Collections.unmodifiableMap(readings);
  }

  public static Signals none() {
    return NONE;
  }

  public static Signals of(Map<Signal, Reading> readings) {
    EnumMap<Signal, Reading> copy = new EnumMap<>(Signal.class);
    copy.putAll(readings);
    return new Signals(copy);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The reading of {@code signal}, or empty when it was not delivered. */
  public Optional<Reading> get(Signal signal) {
    return Optional.ofNullable(readings.get(signal));
  }

  /** All delivered readings, in {@link Signal} order. */
  public Map<Signal, Reading> asMap() {
    return readings;
  }

  /** A copy with {@code signal} set to {@code reading}. */
  public Signals with(Signal signal, Reading reading) {
    EnumMap<Signal, Reading> copy = new EnumMap<>(Signal.class);
    copy.putAll(readings);
    copy.put(signal, reading);
    return new Signals(copy);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Signals other && readings.equals(other.readings);
  }

  @Override
  public int hashCode() {
    return readings.hashCode();
  }

  @Override
  public String toString() {
    return readings.toString();
  }

  /** Collects readings one signal at a time. */
  public static final class Builder {
    private final EnumMap<Signal, Reading> readings = new EnumMap<>(Signal.class);

    private Builder() {}

    public Builder put(Signal signal, Reading reading) {
      readings.put(signal, reading);
      return this;
    }

    /** Shorthand for a reading taken at the observation instant. */
    public Builder put(Signal signal, double value) {
      return put(signal, Reading.fresh(value));
    }

    public Signals build() {
      return new Signals(readings.clone());
    }
  }
}
