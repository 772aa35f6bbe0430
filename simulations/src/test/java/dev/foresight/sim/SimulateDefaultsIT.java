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

/**
 * The README's main command with its defaults: every trace and policy, the oracle's bound, and the
 * node-supply scenario.
 */
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
    int unbacked = columns.indexOf("peak_unbacked_pods");
    int capped = columns.indexOf("supply_capped_decisions");
    Map<String, Map<String, String[]>> byTrace = new HashMap<>();
    for (String row : rows.subList(1, rows.size())) {
      String[] f = row.split(",", -1);
      byTrace.computeIfAbsent(f[0], k -> new HashMap<>()).put(f[policy], f);
    }
    assertThat(byTrace.keySet())
        .containsExactlyInAnyOrder(
            "azure-conv", "azure-code", "spike", "ramp", SimulateCommand.SUPPLY_SCENARIO);

    // Where the NodePool limit binds, Foresight caps and the queue baseline piles up Pending pods.
    Map<String, String[]> limited = byTrace.remove(SimulateCommand.SUPPLY_SCENARIO);
    for (String foresight : List.of("foresight-reactive", "foresight")) {
      assertThat(limited.get(foresight)[unbacked]).as(foresight).isEqualTo("0");
      assertThat(Integer.parseInt(limited.get(foresight)[capped])).as(foresight).isPositive();
    }
    assertThat(Integer.parseInt(limited.get("keda-queue")[unbacked])).isGreaterThan(1);
    assertThat(limited.get("keda-queue")[capped]).isEqualTo("0");

    for (Map<String, String[]> runs : byTrace.values()) {
      assertThat(runs.values()).allSatisfy(f -> assertThat(f[unbacked]).isEqualTo("0"));
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
