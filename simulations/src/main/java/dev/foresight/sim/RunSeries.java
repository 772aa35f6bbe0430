package dev.foresight.sim;

/**
 * Per-minute series of one run, for charts. Index {@code m} covers simulated minute {@code [60m,
 * 60(m+1))}.
 *
 * @param arrivalsPerSecond mean arrival rate in the minute, requests/s
 * @param desiredReplicas replicas desired at the end of the minute
 * @param readyReplicas replicas Ready at the end of the minute
 * @param unbackedPods pods Pending without a GPU at the end of the minute
 * @param ttftP95Seconds 95th percentile TTFT of the requests that arrived in the minute (from the
 *     vLLM histogram buckets), NaN when none arrived
 */
public record RunSeries(
    double[] arrivalsPerSecond,
    int[] desiredReplicas,
    int[] readyReplicas,
    int[] unbackedPods,
    double[] ttftP95Seconds) {}
