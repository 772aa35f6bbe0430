/**
 * The controller's Kubernetes side: what it reads from the cluster and what it writes back.
 *
 * <h2>Reads</h2>
 *
 * <ul>
 *   <li>ScalingPolicies through an informer on the dynamic API ({@link
 *       dev.foresight.controller.cluster.KubernetesCluster});
 *   <li>each target's {@code spec.replicas} and pod selector through its scale subresource
 *       (Deployment, StatefulSet, or any kind whose plural API discovery finds), and its pods by
 *       that selector: Ready count, start-up timeline ({@link
 *       dev.foresight.controller.cluster.PodTimeline}), Pending pods;
 *   <li>for node supply, Karpenter {@code karpenter.sh/v1} NodeClaims and NodePools when {@link
 *       dev.foresight.controller.cluster.KarpenterDiscovery} finds them, and Events ({@code
 *       Nominated}, {@code TriggeredScaleUp}, {@code NotTriggerScaleUp}, {@code
 *       InsufficientCapacityError}); {@link dev.foresight.controller.cluster.SupplyTracker} runs
 *       {@link dev.foresight.policy.supply.NodeSupplyAnalyzer} on the snapshot.
 * </ul>
 *
 * <p>Interpretation is pure: {@code PodTimeline}, {@code PodObjects}, {@code ScaleReading}, {@code
 * PolicyResource}, {@code KarpenterObjects}, {@code SupplyEvents}, {@code PolicyStatus} and {@code
 * PolicyEvents} are plain functions from API objects (or decisions) to values, tested on fixtures
 * written from the API schemas. An object that cannot be interpreted is skipped with the field
 * named ({@link dev.foresight.controller.cluster.InvalidObjectException}); a failed read is
 * "unknown", never zero.
 *
 * <h2>Writes and leadership</h2>
 *
 * <p>Every replica runs the loop and serves the KEDA scaler and the metrics API from its own
 * decisions; only the holder of the Lease ({@link dev.foresight.controller.cluster.Leadership})
 * writes ScalingPolicy status and Events ({@link
 * dev.foresight.controller.cluster.ClusterPublisher}). Followers compute rather than read status
 * because status carries only a summary, not the proposals and policy the servers answer with, and
 * because a follower that already decides has warm windows, forecaster and lead time when it takes
 * over.
 *
 * <p>Every API call is listed in {@link dev.foresight.controller.cluster.KubernetesAccess}, which
 * the RBAC test reads.
 */
package dev.foresight.controller.cluster;
