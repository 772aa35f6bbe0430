package dev.foresight.sim.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.sim.SimulateCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command end to end on a small trace file: exit codes, report files, console table. */
class ReportWriterTest {
  @TempDir Path dir;

  private int run(StringWriter out, StringWriter err, String... args) {
    CommandLine cl = new CommandLine(new SimulateCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @Test
  void writesAValidCsvAndASelfContainedHtmlReport() throws Exception {
    Path trace = dir.resolve("small.csv");
    StringBuilder csv = new StringBuilder("TIMESTAMP,ContextTokens,GeneratedTokens\r\n");
    for (int i = 0; i < 600; i++) {
      csv.append(
          String.format(
              "2023-11-16 18:%02d:%02d.0000000,%d,%d\r\n", i / 60 % 60, i % 60, 500 + i, 50));
    }
    Files.writeString(trace, csv);
    Path out = dir.resolve("report");
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    int code =
        run(
            stdout,
            stderr,
            "--trace",
            trace.toString(),
            "--policies",
            "hpa-gpu,keda-queue,oracle",
            "--out",
            out.toString());
    assertThat(code).as(stderr.toString()).isZero();

    List<String> lines = Files.readAllLines(out.resolve("summary.csv"));
    assertThat(lines.get(0))
        .startsWith("trace,policy,requests,slo_attainment,ttft_p50_s,ttft_p95_s");
    assertThat(lines.get(0).split(",")).contains("gpu_hours", "scale_events");
    assertThat(lines).hasSize(4);
    for (String row : lines.subList(1, 4)) {
      String[] f = row.split(",", -1);
      assertThat(f).hasSize(ReportWriter.CSV_COLUMNS.size());
      assertThat(f[0]).isEqualTo("small");
      assertThat(f[2]).isEqualTo("600");
      assertThat(Double.parseDouble(f[3])).isBetween(0.0, 1.0);
    }

    String html = Files.readString(out.resolve("index.html"));
    assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
    assertThat(html).doesNotContain("src=\"http").doesNotContain("<script");
    Matcher m = Pattern.compile("data:image/png;base64,([A-Za-z0-9+/=]+)").matcher(html);
    int images = 0;
    while (m.find()) {
      byte[] png = Base64.getDecoder().decode(m.group(1));
      assertThat(png).startsWith(0x89, 'P', 'N', 'G');
      images++;
    }
    assertThat(images).isEqualTo(4); // load, replicas, TTFT, cost against SLO
    assertThat(stdout.toString()).contains("small", "hpa-gpu", "oracle", "SLO met");
  }

  @Test
  void whereALimitBindsTheReportChartsAndCountsUnbackedPodsAndCaps() throws Exception {
    Path out = dir.resolve("limited");
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    int code =
        run(
            stdout,
            stderr,
            "--trace",
            "azure-code",
            "--gpu-limit",
            "3",
            "--policies",
            "keda-queue,foresight-reactive",
            "--out",
            out.toString());
    assertThat(code).as(stderr.toString()).isZero();
    List<String> lines = Files.readAllLines(out.resolve("summary.csv"));
    List<String> columns = List.of(lines.get(0).split(","));
    assertThat(columns)
        .contains(
            "peak_unbacked_pods",
            "unbacked_pod_min",
            "node_claims",
            "supply_capped_decisions",
            "supply_capped_min",
            "supply_held_decisions");
    // Only the named trace: the default run's supply scenario is not added to a chosen one.
    assertThat(lines).hasSize(3);
    String[] keda = lines.get(1).split(",", -1);
    String[] foresight = lines.get(2).split(",", -1);
    assertThat(keda[1]).isEqualTo("keda-queue");
    assertThat(Double.parseDouble(keda[columns.indexOf("unbacked_pod_min")])).isPositive();
    assertThat(foresight[columns.indexOf("unbacked_pod_min")]).isEqualTo("0.0");
    assertThat(Integer.parseInt(foresight[columns.indexOf("supply_capped_decisions")]))
        .isPositive();
    String html = Files.readString(out.resolve("index.html"));
    assertThat(html).contains("azure-code: pods Pending that no node can back");
    assertThat(html).contains("--gpu-limit 3");
    assertThat(stdout.toString()).contains("unbacked", "pod-min", "capped");
  }

  @Test
  void badInputIsAClearErrorAndExitCodeOne() {
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    assertThat(run(stdout, stderr, "--policies", "nonesuch", "--trace", "spike")).isEqualTo(1);
    assertThat(stderr.toString()).contains("'nonesuch' is not a policy").contains("hpa-gpu");
    StringWriter err2 = new StringWriter();
    assertThat(run(new StringWriter(), err2, "--trace", dir.resolve("missing.csv").toString()))
        .isEqualTo(1);
    assertThat(err2.toString()).contains("missing.csv");
  }

  @Test
  void helpListsTheOptions() {
    StringWriter stdout = new StringWriter();
    assertThat(run(stdout, new StringWriter(), "--help")).isZero();
    assertThat(stdout.toString())
        .contains("--trace", "--policies", "--out", "--seed", "--traces-dir");
  }
}
