package dev.foresight.controller.demo;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * The demo's terminal view: one row per policy, redrawn in place with plain ANSI escapes on a
 * terminal, printed as plain lines otherwise (logs, pipes, tests).
 */
final class LiveView {
  private static final String CLEAR = "\033[H\033[2J";

  /**
   * One policy's row.
   *
   * @param policy {@code namespace/name}
   * @param loadPerSecond arriving requests per simulated second, NaN before the first scrape
   * @param desired Foresight's latest decision, -1 before the first
   * @param current replicas the Deployment has ({@code spec.replicas})
   * @param ready Ready replicas
   * @param starting replicas in their cold start (pod start-up), plus those waiting for a node
   * @param ttftP95Seconds TTFT p95 over the signal window, NaN when nothing arrived
   * @param reason the decision's reason and message, or what is missing
   */
  record Row(
      String policy,
      double loadPerSecond,
      int desired,
      int current,
      int ready,
      int starting,
      double ttftP95Seconds,
      String reason) {}

  private final PrintWriter out;
  private final boolean ansi;

  LiveView(PrintWriter out, boolean ansi) {
    this.out = out;
    this.ansi = ansi;
  }

  void show(String header, List<Row> rows) {
    StringBuilder b = new StringBuilder();
    if (ansi) {
      b.append(CLEAR).append(header).append('\n');
      b.append(
          String.format(
              Locale.ROOT,
              "%-22s %9s %8s %8s %6s %9s %9s  %s%n",
              "POLICY",
              "LOAD r/s",
              "DESIRED",
              "CURRENT",
              "READY",
              "STARTING",
              "TTFT p95",
              "REASON"));
    }
    for (Row r : rows) {
      if (ansi) {
        b.append(
            String.format(
                Locale.ROOT,
                "%-22s %9s %8s %8d %6d %9d %9s  %s%n",
                r.policy(),
                fmt(r.loadPerSecond(), "%.1f"),
                r.desired() < 0 ? "-" : Integer.toString(r.desired()),
                r.current(),
                r.ready(),
                r.starting(),
                fmt(r.ttftP95Seconds(), "%.2fs"),
                r.reason()));
      } else {
        b.append(
            String.format(
                Locale.ROOT,
                "%s %s load=%s desired=%s current=%d ready=%d starting=%d ttft_p95=%s reason=%s%n",
                header,
                r.policy(),
                fmt(r.loadPerSecond(), "%.1f"),
                r.desired() < 0 ? "-" : Integer.toString(r.desired()),
                r.current(),
                r.ready(),
                r.starting(),
                fmt(r.ttftP95Seconds(), "%.2fs"),
                r.reason()));
      }
    }
    out.print(b);
    out.flush();
  }

  private static String fmt(double v, String pattern) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, pattern, v);
  }
}
