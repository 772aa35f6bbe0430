package dev.foresight.sim;

/**
 * The outcome of one policy on one trace.
 *
 * @param trace trace name
 * @param policy policy name
 * @param requests requests that arrived
 * @param sloAttainment share of requests whose TTFT was within the SLO (unfinished ones miss)
 * @param ttftP50Seconds median TTFT, seconds
 * @param ttftP95Seconds 95th percentile TTFT, seconds
 * @param ttftP99Seconds 99th percentile TTFT, seconds
 * @param queueWaitMeanSeconds mean time from arrival to the start of prefill, seconds
 * @param queueWaitP95Seconds 95th percentile of that wait, seconds
 * @param gpuHours GPU-hours: every replica-second from start-up (GPU bound) to removal
 * @param nodeHours node-hours: every node-second from provisioning request to removal
 * @param scaleEvents times the policy changed the desired replica count
 * @param underProvisionedMinutes minutes whose arrivals met the SLO less often than the config's
 *     threshold
 * @param peakReplicas most replicas desired at once
 * @param peakUnbackedPods most pods Pending at once for want of a GPU (node-pool limit reached)
 * @param unbackedPodMinutes time integral of those pods, pod-minutes
 * @param nodeClaims GPU nodes provisioned during the run
 * @param supplyCappedDecisions decisions capped at what nodes and the NodePool limit can back
 * @param supplyCappedMinutes minutes under those decisions (one evaluation interval each)
 * @param supplyHeldDecisions decisions held because every Pending pod was covered by a node on its
 *     way and the need had not grown
 * @param simulatedSeconds simulated time until the last request finished, seconds
 */
public record RunSummary(
    String trace,
    String policy,
    long requests,
    double sloAttainment,
    double ttftP50Seconds,
    double ttftP95Seconds,
    double ttftP99Seconds,
    double queueWaitMeanSeconds,
    double queueWaitP95Seconds,
    double gpuHours,
    double nodeHours,
    int scaleEvents,
    int underProvisionedMinutes,
    int peakReplicas,
    int peakUnbackedPods,
    double unbackedPodMinutes,
    int nodeClaims,
    int supplyCappedDecisions,
    double supplyCappedMinutes,
    int supplyHeldDecisions,
    double simulatedSeconds) {}
