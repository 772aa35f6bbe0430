package dev.foresight.sim.report;

import dev.foresight.sim.RunSeries;
import dev.foresight.sim.RunSummary;
import dev.foresight.sim.Simulation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.IntToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Writes a run's report: {@code summary.csv} (one row per trace and policy) and a self-contained
 * {@code index.html} (charts embedded as base64 PNG), and renders the console table.
 */
public final class ReportWriter {
  /** Columns of {@code summary.csv}, in order. */
  public static final List<String> CSV_COLUMNS =
      List.of(
          "trace",
          "policy",
          "requests",
          "slo_attainment",
          "ttft_p50_s",
          "ttft_p95_s",
          "ttft_p99_s",
          "queue_wait_mean_s",
          "queue_wait_p95_s",
          "gpu_hours",
          "node_hours",
          "scale_events",
          "under_provisioned_min",
          "peak_replicas",
          "peak_unbacked_pods",
          "unbacked_pod_min",
          "node_claims",
          "supply_capped_decisions",
          "supply_capped_min",
          "supply_held_decisions");

  private static final int MAX_POINTS = 720;

  private ReportWriter() {}

  /** Writes {@code summary.csv} and {@code index.html} into {@code dir}, creating it. */
  public static void write(Path dir, List<TraceReport> traces, String command, double sloSeconds)
      throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("summary.csv"), csv(traces), StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("index.html"), html(traces, command, sloSeconds), StandardCharsets.UTF_8);
  }

  /** The CSV text: a header and one row per trace and policy. */
  public static String csv(List<TraceReport> traces) {
    StringBuilder b = new StringBuilder(String.join(",", CSV_COLUMNS)).append('\n');
    for (TraceReport t : traces) {
      for (Simulation.Result r : t.runs()) {
        RunSummary s = r.summary();
        b.append(
            String.join(
                ",",
                s.trace(),
                s.policy(),
                Long.toString(s.requests()),
                fmt("%.5f", s.sloAttainment()),
                fmt("%.3f", s.ttftP50Seconds()),
                fmt("%.3f", s.ttftP95Seconds()),
                fmt("%.3f", s.ttftP99Seconds()),
                fmt("%.3f", s.queueWaitMeanSeconds()),
                fmt("%.3f", s.queueWaitP95Seconds()),
                fmt("%.3f", s.gpuHours()),
                fmt("%.3f", s.nodeHours()),
                Integer.toString(s.scaleEvents()),
                Integer.toString(s.underProvisionedMinutes()),
                Integer.toString(s.peakReplicas()),
                Integer.toString(s.peakUnbackedPods()),
                fmt("%.1f", s.unbackedPodMinutes()),
                Integer.toString(s.nodeClaims()),
                Integer.toString(s.supplyCappedDecisions()),
                fmt("%.2f", s.supplyCappedMinutes()),
                Integer.toString(s.supplyHeldDecisions())));
        b.append('\n');
      }
    }
    return b.toString();
  }

  /** A fixed-width table of the summaries, for the console. */
  public static String table(List<TraceReport> traces) {
    StringBuilder b = new StringBuilder();
    String head = "%-22s %-18s %10s %8s %9s %9s %9s %10s %7s %6s %6s %8s %9s %7s%n";
    b.append(
        String.format(
            Locale.ROOT,
            head,
            "trace",
            "policy",
            "requests",
            "SLO met",
            "TTFT p50",
            "TTFT p95",
            "TTFT p99",
            "GPU-hours",
            "scales",
            "under",
            "peak",
            "unbacked",
            "pod-min",
            "capped"));
    for (TraceReport t : traces) {
      for (Simulation.Result r : t.runs()) {
        RunSummary s = r.summary();
        b.append(
            String.format(
                Locale.ROOT,
                "%-22s %-18s %10d %7.2f%% %8.2fs %8.2fs %8.2fs %10.2f %7d %6d %6d %8d %9.1f %7d%n",
                s.trace(),
                s.policy(),
                s.requests(),
                100 * s.sloAttainment(),
                s.ttftP50Seconds(),
                s.ttftP95Seconds(),
                s.ttftP99Seconds(),
                s.gpuHours(),
                s.scaleEvents(),
                s.underProvisionedMinutes(),
                s.peakReplicas(),
                s.peakUnbackedPods(),
                s.unbackedPodMinutes(),
                s.supplyCappedDecisions()));
      }
    }
    return b.toString();
  }

  private static String fmt(String pattern, double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, pattern, v);
  }

  static String html(List<TraceReport> traces, String command, double sloSeconds)
      throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>Foresight simulation report</title>")
        .append("<style>body{font-family:sans-serif;max-width:1000px;margin:auto}")
        .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;")
        .append("text-align:right}td:first-child,td:nth-child(2){text-align:left}</style>")
        .append("</head><body>\n<h1>Foresight simulation report</h1>\n<p>Command: <code>")
        .append(escape(command))
        .append("</code></p>\n<h2>Summary</h2>\n<table><tr>");
    for (String c : CSV_COLUMNS) {
      b.append("<th>").append(c).append("</th>");
    }
    b.append("</tr>\n");
    for (String line : csv(traces).split("\n")) {
      if (line.startsWith("trace,")) {
        continue;
      }
      b.append("<tr>");
      for (String cell : line.split(",", -1)) {
        b.append("<td>").append(escape(cell)).append("</td>");
      }
      b.append("</tr>\n");
    }
    b.append("</table>\n")
        .append("<p><small>slo_attainment: share of requests whose time to first token was within")
        .append(" the SLO (unfinished requests miss). queue_wait: arrival to start of prefill.")
        .append(
            " gpu_hours: every replica-second from start-up (GPU bound) to removal. node_hours:")
        .append(" every node-second from provisioning to removal. scale_events: changes of the")
        .append(" desired count. under_provisioned_min: minutes whose arrivals met the SLO less")
        .append(" often than 95%. peak_unbacked_pods: most pods Pending for want of a GPU")
        .append(" that no node on its way covers and the NodePool's GPU limit leaves no room for;")
        .append(" unbacked_pod_min: their time integral, pod-minutes. node_claims: GPU nodes")
        .append(" provisioned. supply_capped_decisions, supply_capped_min: decisions (and minutes")
        .append(" under them) that Foresight capped at what nodes and NodePool headroom can back")
        .append(
            " (NODE_SUPPLY_CAPPED); supply_held_decisions: decisions held because every Pending")
        .append(" pod was covered by a node on its way (HOLD_NODE_SUPPLY_IN_FLIGHT). Only the")
        .append(" foresight policies read node supply, as on a cluster; HPA and KEDA do not.")
        .append(" oracle: clairvoyant schedule, the cost reference.</small></p>\n");
    for (TraceReport t : traces) {
      b.append("<h2>").append(escape(t.trace())).append("</h2>\n");
      for (Chart<?, ?> chart : charts(t, sloSeconds)) {
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        b.append("<p><img alt=\"")
            .append(escape(chart.getTitle()))
            .append("\" src=\"data:image/png;base64,")
            .append(Base64.getEncoder().encodeToString(png))
            .append("\"></p>\n");
      }
    }
    b.append("</body></html>\n");
    return b.toString();
  }

  /** The charts of one trace: load, replicas and TTFT over time, and cost against SLO. */
  static List<Chart<?, ?>> charts(TraceReport t, double sloSeconds) {
    List<Chart<?, ?>> charts = new ArrayList<>();
    if (t.runs().isEmpty()) {
      return charts;
    }
    RunSeries first = t.runs().get(0).series();
    XYChart load = timeChart(t.trace() + ": load", "requests/s");
    addSeries(
        load, "arrivals", first.arrivalsPerSecond().length, i -> first.arrivalsPerSecond()[i]);
    charts.add(load);

    XYChart replicas = timeChart(t.trace() + ": replicas desired", "replicas");
    for (Simulation.Result r : t.runs()) {
      RunSeries s = r.series();
      addSeries(
          replicas, r.summary().policy(), s.desiredReplicas().length, i -> s.desiredReplicas()[i]);
    }
    charts.add(replicas);

    XYChart ttft = timeChart(t.trace() + ": TTFT p95 by arrival minute (log scale)", "seconds");
    ttft.getStyler().setYAxisLogarithmic(true);
    ttft.getStyler().setYAxisDecimalPattern("0.###");
    for (Simulation.Result r : t.runs()) {
      RunSeries s = r.series();
      addSeries(
          ttft,
          r.summary().policy(),
          s.ttftP95Seconds().length,
          i -> Math.max(0.001, s.ttftP95Seconds()[i]));
    }
    // The objective last, in grey, so that each policy keeps its colour across charts.
    XYSeries slo = addSeries(ttft, "TTFT SLO", first.ttftP95Seconds().length, i -> sloSeconds);
    if (slo != null) {
      slo.setLineColor(java.awt.Color.GRAY);
    }
    charts.add(ttft);

    // Pods no node can back appear only where a NodePool limit binds: chart them there.
    if (t.runs().stream().anyMatch(r -> r.summary().peakUnbackedPods() > 0)) {
      XYChart unbacked = timeChart(t.trace() + ": pods Pending that no node can back", "pods");
      for (Simulation.Result r : t.runs()) {
        RunSeries s = r.series();
        addSeries(
            unbacked, r.summary().policy(), s.unbackedPods().length, i -> s.unbackedPods()[i]);
      }
      charts.add(unbacked);
    }

    XYChart cost =
        new XYChartBuilder()
            .width(900)
            .height(360)
            .title(t.trace() + ": cost against SLO attainment")
            .xAxisTitle("GPU-hours")
            .yAxisTitle("SLO attainment (%)")
            .build();
    cost.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    cost.getStyler().setMarkerSize(12);
    cost.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    cost.getStyler().setXAxisDecimalPattern("0.##");
    cost.getStyler().setYAxisDecimalPattern("0.#");
    cost.getStyler().setXAxisMin(0.0);
    double lowest = 100;
    for (Simulation.Result r : t.runs()) {
      lowest = Math.min(lowest, 100 * r.summary().sloAttainment());
    }
    cost.getStyler().setYAxisMin(Math.max(0, Math.floor(lowest - 1)));
    cost.getStyler().setYAxisMax(100.0);
    for (Simulation.Result r : t.runs()) {
      RunSummary s = r.summary();
      XYSeries series =
          cost.addSeries(
              s.policy(), new double[] {s.gpuHours()}, new double[] {100 * s.sloAttainment()});
      series.setMarker(SeriesMarkers.CIRCLE);
    }
    charts.add(cost);
    return charts;
  }

  private static XYChart timeChart(String title, String yTitle) {
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(300)
            .title(title)
            .xAxisTitle("minutes")
            .yAxisTitle(yTitle)
            .build();
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    chart.getStyler().setMarkerSize(0);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    return chart;
  }

  /** Adds a series averaged into at most {@link #MAX_POINTS} bins, skipping NaN bins. */
  private static XYSeries addSeries(XYChart chart, String name, int n, IntToDoubleFunction value) {
    if (n == 0) {
      return null;
    }
    int bin = Math.max(1, (n + MAX_POINTS - 1) / MAX_POINTS);
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (int start = 0; start < n; start += bin) {
      double sum = 0;
      int count = 0;
      for (int i = start; i < Math.min(n, start + bin); i++) {
        double v = value.applyAsDouble(i);
        if (!Double.isNaN(v)) {
          sum += v;
          count++;
        }
      }
      if (count > 0) {
        xs.add((double) start);
        ys.add(sum / count);
      }
    }
    if (xs.isEmpty()) {
      return null;
    }
    XYSeries s = chart.addSeries(name, xs, ys);
    s.setMarker(SeriesMarkers.NONE);
    return s;
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  /** Writes the table to {@code out}. */
  public static void print(PrintWriter out, List<TraceReport> traces) {
    out.print(table(traces));
    out.flush();
  }
}
