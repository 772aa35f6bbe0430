/**
 * Node supply: pending pods against Karpenter NodeClaims and NodePool limits, and the rule that
 * keeps the replica count from outrunning the nodes that can back it ("fake scaling"). Pure: JDK
 * only, no I/O, no clock; every instant is an input.
 *
 * <h2>Controller side: from Kubernetes objects to one snapshot</h2>
 *
 * <pre>{@code
 * ClusterSupply snapshot = new ClusterSupply(
 *     clock.instant(),
 *     karpenterCrdsPresent,
 *     nodePools.stream().map(np -> NodePoolState.fromFields(name(np),
 *         stringMap(np, "spec.limits"), stringMap(np, "status.resources"), conditions(np))).toList(),
 *     nodeClaims.stream().map(nc -> NodeClaimState.fromFields(name(nc), labels(nc),
 *         nodeClassRef(nc), created(nc), deleted(nc), stringMap(nc, "spec.resources.requests"),
 *         stringMap(nc, "status.capacity"), stringMap(nc, "status.allocatable"),
 *         string(nc, "status.nodeName"), conditions(nc), gpusBoundTo(nc))).toList(),
 *     pendingPods,
 *     events.stream().flatMap(e -> SupplyEvent.from(e.reason(), e.kind(), e.namespace(),
 *         e.name(), e.message(), e.lastTimestamp()).stream()).toList());
 * SupplyReport report = new NodeSupplyAnalyzer().analyze(snapshot, placements);
 * }</pre>
 *
 * <h2>Engine side: after its own recommendation</h2>
 *
 * <pre>{@code
 * SupplyOutcome out = SupplyConstraint.apply(
 *     recommended, observation.currentReplicas(), report.forWorkload(workload), state.standingAsk());
 * desired = out.replicas();            // out.reason() / out.limit() / out.message() go in the Decision
 * state = state.withStandingAsk(out.standingAsk());
 * }</pre>
 *
 * <p>Supply only ever limits growth: it never lowers a workload below its current count, and a
 * workload without Karpenter, or whose NodePools have no GPU limit, is never capped.
 */
package dev.foresight.policy.supply;
