package dev.foresight.policy;

import java.util.Objects;

/**
 * What one DCGM guard-rail did to one decision.
 *
 * @param rail the guard-rail
 * @param effect what it did
 * @param subject the pod or GPU it concerns, or {@code workload}
 * @param message readable detail with the reading and the threshold
 */
public record GuardRailEffect(Rail rail, Effect effect, String subject, String message) {

  /** The DCGM guard-rails. */
  public enum Rail {
    /** New XID errors on a GPU in the window. */
    XID_ERRORS,
    /** GPU temperature above the limit. */
    TEMPERATURE,
    /** Free framebuffer below the headroom limit. */
    FRAMEBUFFER_HEADROOM,
    /** Sustained low GPU utilization with an empty queue. */
    LOW_UTILIZATION
  }

  /** The effect a guard-rail had. */
  public enum Effect {
    /** The replica does not count as capacity; a replacement is added. */
    UNHEALTHY_REPLICA,
    /** A scale-down was vetoed. */
    VETO_SCALE_DOWN,
    /** A scale-down was capped so that needed healthy capacity stays. */
    CAP_SCALE_DOWN,
    /** A scale-down was permitted that the signals alone would not have made. */
    PERMIT_SCALE_DOWN
  }

  public GuardRailEffect {
    Objects.requireNonNull(rail, "rail");
    Objects.requireNonNull(effect, "effect");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(message, "message");
  }
}
