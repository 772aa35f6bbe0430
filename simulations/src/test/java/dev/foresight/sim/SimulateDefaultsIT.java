package dev.foresight.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The README's main command with its defaults: every trace and policy, and the oracle's bound. */
class SimulateDefaultsIT {
  @TempDir Path dir;

  @Test
  void theDefaultRunCoversEveryTraceAndPolicyAndTheOracleIsCheapestWithinTheSlo() throws Exception {
    CommandLine cl = new CommandLine(new SimulateCommand());
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(err));
    assertThat(cl.execute("--out", dir.toString())).as(err.toString()).isZero();

    List<String> rows = Files.readAllLines(dir.resolve("summary.csv"));
    List<String> columns = List.of(rows.get(0).split(","));
    int policy = columns.indexOf("policy");
    int slo = columns.indexOf("slo_attainment");
    int gpu = columns.indexOf("gpu_hours");
    Map<String, Map<String, String[]>> byTrace = new HashMap<>();
    for (String row : rows.subList(1, rows.size())) {
      String[] f = row.split(",", -1);
      byTrace.computeIfAbsent(f[0], k -> new HashMap<>()).put(f[policy], f);
    }
    assertThat(byTrace.keySet())
        .containsExactlyInAnyOrder("azure-conv", "azure-code", "spike", "ramp");
    for (Map<String, String[]> runs : byTrace.values()) {
      assertThat(runs.keySet())
          .containsExactlyInAnyOrder(
              "hpa-gpu", "keda-queue", "foresight-reactive", "foresight", "oracle");
      String[] oracle = runs.get("oracle");
      assertThat(Double.parseDouble(oracle[slo])).isGreaterThan(0.99);
      // Pegged GPU utilization always over-provisions against the clairvoyant schedule.
      assertThat(Double.parseDouble(oracle[gpu]))
          .isLessThan(Double.parseDouble(runs.get("hpa-gpu")[gpu]));
    }
  }
}
