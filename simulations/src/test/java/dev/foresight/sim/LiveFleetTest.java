package dev.foresight.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.sim.trace.SyntheticTrace;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LiveFleetTest {

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)} (\\S+)$");

  private static Map<String, Double> parse(String text) {
    Map<String, Double> samples = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("#")) {
        assertThat(line).matches("# TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (gauge|counter|histogram)");
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      assertThat(m.matches()).as("sample line '%s'", line).isTrue();
      assertThat(samples.put(m.group(1) + "{" + m.group(2) + "}", Double.parseDouble(m.group(3))))
          .as("duplicate series %s", line)
          .isNull();
    }
    return samples;
  }

  @Test
  void exposesTheFleetAsVllmDcgmAndKubeStateMetricsWithCountersPerSimulatedSecond() {
    SyntheticTrace trace = new SyntheticTrace("flat", 600, 5, t -> 5);
    LiveFleet a = new LiveFleet(SimulationConfig.defaults(), trace);
    a.advanceTo(300);
    Map<String, Double> at1 = parse(a.exposition("demo", "llama", "llama-", 1));
    Map<String, Double> at30 = parse(a.exposition("demo", "llama", "llama-", 30));

    String gateway = "{namespace=\"demo\",pod=\"llama-gateway\"}";
    double completed = at1.get("vllm:request_success_total" + gateway);
    // 5 requests/s for 300 s, less the few still in flight.
    assertThat(completed).isBetween(1300.0, 1600.0);
    assertThat(at30.get("vllm:request_success_total" + gateway))
        .isCloseTo(completed / 30, org.assertj.core.data.Offset.offset(1e-3 * completed));
    assertThat(
            at1.get(
                "vllm:time_to_first_token_seconds_bucket{namespace=\"demo\",pod=\"llama-gateway\",le=\"+Inf\"}"))
        .isGreaterThanOrEqualTo(completed);
    assertThat(at1)
        .containsKeys(
            "vllm:num_requests_running{namespace=\"demo\",pod=\"llama-0\"}",
            "vllm:kv_cache_usage_perc{namespace=\"demo\",pod=\"llama-1\"}",
            "DCGM_FI_DEV_GPU_UTIL{gpu=\"0\",UUID=\"GPU-0\",namespace=\"demo\",pod=\"llama-0\"}");
    assertThat(at1.get("kube_deployment_spec_replicas{namespace=\"demo\",deployment=\"llama\"}"))
        .isEqualTo(2.0);
  }

  @ParameterizedTest(name = "scale to {0} applies {1}")
  @CsvSource({"5, 5", "0, 1", "500, 50", "2, 2"})
  void scalesWithinTheBoundsAndNewReplicasGoThroughTheColdStart(int desired, int applied) {
    LiveFleet fleet =
        new LiveFleet(SimulationConfig.defaults(), new SyntheticTrace("flat", 900, 5, t -> 5));
    fleet.advanceTo(10);
    assertThat(fleet.scaleTo(desired)).isEqualTo(applied);
    LiveFleet.Snapshot now = fleet.snapshot();
    assertThat(now.desired()).isEqualTo(applied);
    if (applied > 2) {
      assertThat(now.ready()).isEqualTo(2);
      assertThat(now.starting() + now.pending()).isEqualTo(applied - 2);
      // podStartup 120 s ±20%, plus node provisioning 180 s for a replica without a free GPU.
      fleet.advanceTo(10 + 180 * 1.2 + 120 * 1.2 + 1);
      assertThat(fleet.snapshot().ready()).isEqualTo(applied);
    }
    assertThat(fleet.result("test").summary().scaleEvents()).isEqualTo(applied == 2 ? 0 : 1);
  }
}
