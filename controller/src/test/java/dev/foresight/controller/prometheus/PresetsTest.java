package dev.foresight.controller.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.controller.metrics.GpuQueries;
import dev.foresight.controller.metrics.SignalQuery;
import dev.foresight.policy.Signal;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PresetsTest {

  private static final QueryContext CTX =
      new QueryContext(QueryContext.podsOf("llm", "vllm-llama"), Duration.ofMinutes(1));

  @Test
  void registryHoldsEveryServer() {
    assertThat(Presets.names())
        .containsExactly("vllm", "tgi", "sglang", "triton-trtllm", "trtllm-serve", "llm-d-epp");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "vllm   | queue      | sum(vllm:num_requests_waiting{namespace=\"llm\",pod=~\"vllm-llama-.*\"})",
        "vllm   | kv_cache   | avg(vllm:kv_cache_usage_perc{namespace=\"llm\",pod=~\"vllm-llama-.*\"}) or avg(vllm:gpu_cache_usage_perc{namespace=\"llm\",pod=~\"vllm-llama-.*\"})",
        "vllm   | ttft_p95   | histogram_quantile(0.95, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket{namespace=\"llm\",pod=~\"vllm-llama-.*\"}[1m])))",
        "vllm   | request_rate | sum(rate(vllm:request_success_total{namespace=\"llm\",pod=~\"vllm-llama-.*\"}[1m]))",
        "tgi    | queue      | sum(tgi_queue_size{namespace=\"llm\",pod=~\"vllm-llama-.*\"})",
        "sglang | running    | sum(sglang:num_running_reqs{namespace=\"llm\",pod=~\"vllm-llama-.*\"})",
        "triton-trtllm | running | sum(nv_trt_llm_request_metrics{request_type=\"active\",namespace=\"llm\",pod=~\"vllm-llama-.*\"})",
      })
  void rendersTheQuery(String preset, String signal, String expected) {
    SignalQuery q =
        Presets.byName(preset)
            .orElseThrow()
            .query(Signal.fromWireName(signal).orElseThrow(), CTX)
            .orElseThrow();
    assertThat(q.value()).isEqualTo(expected);
    assertThat(q.newestSampleTime()).isPresent();
  }

  @Test
  void newestSampleTimeCoversCurrentAndDeprecatedNames() {
    SignalQuery q = Presets.byName("vllm").orElseThrow().query(Signal.KV_CACHE, CTX).orElseThrow();
    assertThat(q.newestSampleTime())
        .contains(
            "max(timestamp(vllm:kv_cache_usage_perc{namespace=\"llm\",pod=~\"vllm-llama-.*\"}) or"
                + " timestamp(vllm:gpu_cache_usage_perc{namespace=\"llm\",pod=~\"vllm-llama-.*\"}))");
  }

  @Test
  void emptySelectorLeavesBareMetricNames() {
    QueryContext bare = new QueryContext("", Duration.ofSeconds(30));
    assertThat(
            Presets.byName("llm-d-epp")
                .orElseThrow()
                .query(Signal.QUEUE, bare)
                .orElseThrow()
                .value())
        .isEqualTo(
            "sum(llm_d_epp_flow_control_queue_size) or"
                + " sum(inference_extension_flow_control_queue_size)");
  }

  @Test
  void unsupportedSignalHasNoQuery() {
    assertThat(Presets.byName("tgi").orElseThrow().query(Signal.TTFT_P95, CTX)).isEmpty();
    assertThat(Presets.byName("nope")).isEmpty();
  }

  @Test
  void dcgmReadsEveryGauge() {
    GpuQueries g = Presets.dcgm(CTX, "pod");
    assertThat(g.utilizationPercent()).startsWith("DCGM_FI_DEV_GPU_UTIL{");
    assertThat(g.framebufferUsedMiB()).startsWith("DCGM_FI_DEV_FB_USED{");
    assertThat(g.framebufferFreeMiB()).startsWith("DCGM_FI_DEV_FB_FREE{");
    assertThat(g.temperatureCelsius()).startsWith("DCGM_FI_DEV_GPU_TEMP{");
    assertThat(g.xidErrorsInWindow())
        .startsWith("changes(DCGM_FI_DEV_XID_ERRORS{")
        .endsWith("[1m])");
  }
}
