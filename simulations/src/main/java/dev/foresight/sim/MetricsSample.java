package dev.foresight.sim;

import dev.foresight.policy.GpuReading;
import java.util.List;

/**
 * What one scrape saw: vLLM's gauges summed or averaged over the serving replicas, rates and the
 * TTFT quantile over the signal window, and DCGM's per-GPU readings. NaN marks a value Prometheus
 * would not have (no serving replica, or no observation in the window).
 *
 * @param at scrape time, seconds
 * @param waiting {@code sum(vllm:num_requests_waiting)}, requests
 * @param running {@code sum(vllm:num_requests_running)}, requests
 * @param kvCacheUsage {@code avg(vllm:gpu_cache_usage_perc)} over serving replicas, 0-1
 * @param ttftP95 {@code histogram_quantile(0.95,
 *     sum(rate(vllm:time_to_first_token_seconds_bucket[w])))}, s
 * @param latencyP95 {@code histogram_quantile(0.95,
 *     sum(rate(vllm:e2e_request_latency_seconds_bucket[w])))}, s
 * @param requestRate arriving requests per second over the window
 * @param promptTokenRate {@code sum(rate(vllm:prompt_tokens_total[w]))}, tokens/s
 * @param generationTokenRate {@code sum(rate(vllm:generation_tokens_total[w]))}, tokens/s
 * @param gpus DCGM readings of every GPU allocated to a pod of the workload
 */
public record MetricsSample(
    double at,
    double waiting,
    double running,
    double kvCacheUsage,
    double ttftP95,
    double latencyP95,
    double requestRate,
    double promptTokenRate,
    double generationTokenRate,
    List<GpuReading> gpus) {}
