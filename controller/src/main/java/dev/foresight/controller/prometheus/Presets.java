package dev.foresight.controller.prometheus;

import static dev.foresight.controller.prometheus.Preset.avg;
import static dev.foresight.controller.prometheus.Preset.firstOf;
import static dev.foresight.controller.prometheus.Preset.quantile;
import static dev.foresight.controller.prometheus.Preset.rate;
import static dev.foresight.controller.prometheus.Preset.sum;
import static dev.foresight.controller.prometheus.Preset.sumWhere;

import dev.foresight.controller.metrics.GpuQueries;
import dev.foresight.controller.metrics.SignalQuery;
import dev.foresight.policy.Signal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry of presets by name. Metric names are those the servers export today, checked against
 * their documentation:
 *
 * <ul>
 *   <li>{@code vllm}: {@code vllm:num_requests_waiting}, {@code vllm:num_requests_running}, {@code
 *       vllm:kv_cache_usage_perc} (deprecated {@code vllm:gpu_cache_usage_perc}), histograms {@code
 *       vllm:time_to_first_token_seconds} and {@code vllm:e2e_request_latency_seconds}, counters
 *       {@code vllm:request_success_total}, {@code vllm:prompt_tokens_total}, {@code
 *       vllm:generation_tokens_total};
 *   <li>{@code tgi}: {@code tgi_queue_size}, {@code tgi_batch_current_size}, histogram {@code
 *       tgi_request_duration}, counter {@code tgi_request_success}, histogram sums {@code
 *       tgi_request_input_length_sum} and {@code tgi_request_generated_tokens_sum} (TGI exports no
 *       TTFT and no KV-cache gauge);
 *   <li>{@code sglang}: {@code sglang:num_queue_reqs}, {@code sglang:num_running_reqs}, {@code
 *       sglang:token_usage}, histograms {@code sglang:time_to_first_token_seconds} and {@code
 *       sglang:e2e_request_latency_seconds}, counters {@code sglang:num_requests_total}, {@code
 *       sglang:prompt_tokens_total}, {@code sglang:generation_tokens_total};
 *   <li>{@code triton-trtllm}: the TensorRT-LLM backend's {@code
 *       nv_trt_llm_request_metrics{request_type="waiting"|"active"}} (queue falls back to Triton's
 *       {@code nv_inference_pending_request_count}), {@code
 *       nv_trt_llm_kv_cache_block_metrics{kv_cache_block_type="fraction"}} (falls back to used/max
 *       blocks), counter {@code nv_inference_request_success};
 *   <li>{@code trtllm-serve}: {@code trtllm_num_requests_waiting}, {@code
 *       trtllm_num_requests_running}, {@code trtllm_kv_cache_utilization};
 *   <li>{@code llm-d-epp}: the inference gateway's flow-control queue {@code
 *       llm_d_epp_flow_control_queue_size} (deprecated {@code
 *       inference_extension_flow_control_queue_size}); its series carry {@code inference_pool} and
 *       {@code model_name}, not pods, so give it a selector such as {@code inference_pool="llama"}.
 * </ul>
 *
 * <p>GPU readings come from the DCGM exporter ({@link #dcgm}): {@code DCGM_FI_DEV_GPU_UTIL}, {@code
 * DCGM_FI_DEV_FB_USED}, {@code DCGM_FI_DEV_FB_FREE}, {@code DCGM_FI_DEV_GPU_TEMP}, {@code
 * DCGM_FI_DEV_XID_ERRORS}, joined to pods by DCGM's {@code pod} label.
 */
public final class Presets {

  private static final Map<String, Preset> BY_NAME = new LinkedHashMap<>();

  static {
    register(
        new Preset(
            "vllm",
            "vLLM /metrics (v0 and v1 engines)",
            Map.of(
                Signal.QUEUE, sum("vllm:num_requests_waiting"),
                Signal.RUNNING, sum("vllm:num_requests_running"),
                Signal.KV_CACHE, avg("vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc"),
                Signal.TTFT_P95, quantile(0.95, "vllm:time_to_first_token_seconds_bucket"),
                Signal.LATENCY_P95, quantile(0.95, "vllm:e2e_request_latency_seconds_bucket"),
                Signal.REQUEST_RATE, rate("vllm:request_success_total"),
                Signal.PROMPT_TOKEN_RATE, rate("vllm:prompt_tokens_total"),
                Signal.GENERATION_TOKEN_RATE, rate("vllm:generation_tokens_total"))));
    register(
        new Preset(
            "tgi",
            "Hugging Face Text Generation Inference /metrics",
            Map.of(
                Signal.QUEUE, sum("tgi_queue_size"),
                Signal.RUNNING, sum("tgi_batch_current_size"),
                Signal.LATENCY_P95, quantile(0.95, "tgi_request_duration_bucket"),
                Signal.REQUEST_RATE, rate("tgi_request_success"),
                Signal.PROMPT_TOKEN_RATE, rate("tgi_request_input_length_sum"),
                Signal.GENERATION_TOKEN_RATE, rate("tgi_request_generated_tokens_sum"))));
    register(
        new Preset(
            "sglang",
            "SGLang /metrics (--enable-metrics)",
            Map.of(
                Signal.QUEUE, sum("sglang:num_queue_reqs"),
                Signal.RUNNING, sum("sglang:num_running_reqs"),
                Signal.KV_CACHE, avg("sglang:token_usage"),
                Signal.TTFT_P95, quantile(0.95, "sglang:time_to_first_token_seconds_bucket"),
                Signal.LATENCY_P95, quantile(0.95, "sglang:e2e_request_latency_seconds_bucket"),
                Signal.REQUEST_RATE, rate("sglang:num_requests_total"),
                Signal.PROMPT_TOKEN_RATE, rate("sglang:prompt_tokens_total"),
                Signal.GENERATION_TOKEN_RATE, rate("sglang:generation_tokens_total"))));
    register(
        new Preset(
            "triton-trtllm",
            "Triton Inference Server with the TensorRT-LLM backend",
            Map.of(
                Signal.QUEUE,
                firstOf(
                    sumWhere("nv_trt_llm_request_metrics", "request_type=\"waiting\""),
                    sum("nv_inference_pending_request_count")),
                Signal.RUNNING,
                sumWhere("nv_trt_llm_request_metrics", "request_type=\"active\""),
                Signal.KV_CACHE,
                trtKvCache(),
                Signal.REQUEST_RATE,
                rate("nv_inference_request_success"))));
    register(
        new Preset(
            "trtllm-serve",
            "TensorRT-LLM's own OpenAI server (trtllm-serve) /prometheus/metrics",
            Map.of(
                Signal.QUEUE, sum("trtllm_num_requests_waiting"),
                Signal.RUNNING, sum("trtllm_num_requests_running"),
                Signal.KV_CACHE, avg("trtllm_kv_cache_utilization"))));
    register(
        new Preset(
            "llm-d-epp",
            "llm-d inference gateway endpoint picker: flow-control queue",
            Map.of(
                Signal.QUEUE,
                sum(
                    "llm_d_epp_flow_control_queue_size",
                    "inference_extension_flow_control_queue_size"))));
  }

  private Presets() {}

  private static void register(Preset p) {
    BY_NAME.put(p.name(), p);
  }

  /** The preset named {@code name}, if any. */
  public static Optional<Preset> byName(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /** Every preset name, in registration order. */
  public static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }

  /** KV-cache fraction: the backend's {@code fraction} gauge, else used over max blocks. */
  private static Preset.Template trtKvCache() {
    String m = "nv_trt_llm_kv_cache_block_metrics";
    return c -> {
      String fraction = "avg(" + c.series(m, "kv_cache_block_type=\"fraction\"") + ")";
      String ratio =
          "sum("
              + c.series(m, "kv_cache_block_type=\"used\"")
              + ") / sum("
              + c.series(m, "kv_cache_block_type=\"max\"")
              + ")";
      return SignalQuery.preset(fraction + " or (" + ratio + ")", Preset.newest(c, "", m));
    };
  }

  /**
   * DCGM exporter queries for the GPUs of the pods {@code context} selects.
   *
   * @param podLabel the label carrying the pod name ({@code pod} unless relabelled)
   */
  public static GpuQueries dcgm(QueryContext context, String podLabel) {
    return new GpuQueries(
        context.series("DCGM_FI_DEV_GPU_UTIL"),
        context.series("DCGM_FI_DEV_FB_USED"),
        context.series("DCGM_FI_DEV_FB_FREE"),
        context.series("DCGM_FI_DEV_GPU_TEMP"),
        "changes(" + context.series("DCGM_FI_DEV_XID_ERRORS") + context.range() + ")",
        podLabel,
        "UUID");
  }
}
