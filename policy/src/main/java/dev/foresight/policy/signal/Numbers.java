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

  /**
   * A number as short text: integers without a fraction, others rounded half-up to at most 3
   * decimals with trailing zeros dropped ({@code 0.667}, {@code 1.5}); magnitudes below 0.0005 or
   * from 10^12 up in Java's own notation.
   */
  public static String text(double x) {
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      return Double.toString(x);
    }
    double abs = Math.abs(x);
    if (x == Math.rint(x) && abs < 1e15) {
      return Long.toString((long) x);
    }
    if (abs < 0.0005 || abs >= 1e12) {
      return Double.toString(x);
    }
    long scaled = Math.round(abs * 1000.0);
    long whole = scaled / 1000;
    int fraction = (int) (scaled % 1000);
    StringBuilder sb = new StringBuilder(20);
    if (x < 0) {
      sb.append('-');
    }
    sb.append(whole);
    if (fraction != 0) {
      sb.append('.');
      int digits = 3;
      while (fraction % 10 == 0) {
        fraction /= 10;
        digits--;
      }
      String f = Integer.toString(fraction);
      for (int pad = digits - f.length(); pad > 0; pad--) {
        sb.append('0');
      }
      sb.append(f);
    }
    return sb.toString();
  }
}
