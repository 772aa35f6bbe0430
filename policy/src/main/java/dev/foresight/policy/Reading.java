package dev.foresight.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * One sampled value of a signal and how old the sample was when the observation was taken.
 *
 * <p>The value is kept as delivered, including NaN and infinities: rejecting them is the policy's
 * job, so that the decision can say why a signal was skipped.
 *
 * @param value the sample, in the signal's unit
 * @param age time from the sample to the observation instant; never negative
 */
public record Reading(double value, Duration age) {

  public Reading {
    Objects.requireNonNull(age, "age");
    if (age.isNegative()) {
      throw new IllegalArgumentException("reading age must not be negative: " + age);
    }
  }

  /** A sample taken at the observation instant. */
  public static Reading fresh(double value) {
    return new Reading(value, Duration.ZERO);
  }
}
