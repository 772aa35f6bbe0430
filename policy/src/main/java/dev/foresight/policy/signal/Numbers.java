package dev.foresight.policy.signal;

/** Replica arithmetic and compact number text shared by the rules and the engine's messages. */
public final class Numbers {

  /**
   * Slack subtracted before {@code ceil}, so that a quotient that is an integer in decimal but
   * lands a few ulps above it in binary (4.35 / 1.45 = 3.0000000000000004) does not ask for one
   * replica more.
   */
  static final double CEIL_SLACK = 1e-9;

  private Numbers() {}

  /** {@code ceil(x)} as a replica count: with {@link #CEIL_SLACK}, at least 0, at most int max. */
  public static int ceilReplicas(double x) {
    double c = Math.ceil(x - CEIL_SLACK);
    if (!(c > 0)) {
      return 0;
    }
    return c >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) c;
  }

  /** A number as short text: integers without a fraction, others rounded to 3 decimals. */
  public static String text(double x) {
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      return Double.toString(x);
    }
    if (x == Math.rint(x) && Math.abs(x) < 1e15) {
      return Long.toString((long) x);
    }
    double rounded = Math.round(x * 1000.0) / 1000.0;
    if (rounded == Math.rint(rounded) && Math.abs(rounded) < 1e15) {
      return Long.toString((long) rounded);
    }
    return Math.abs(rounded) >= 1e-3 && Math.abs(rounded) < 1e7
        ? Double.toString(rounded)
        : Double.toString(x);
  }
}
