package dev.foresight.sim;

/**
 * What a run did to node supply.
 *
 * @param peakUnbackedPods most pods Pending at once that no node could back
 * @param unbackedPodSeconds time integral of those pods, pod-seconds
 * @param nodeClaims GPU nodes (NodeClaims) provisioned during the run
 * @param cappedDecisions decisions the node-supply rule capped ({@code NODE_SUPPLY_CAPPED})
 * @param cappedSeconds time under those decisions: each counts one evaluation interval
 * @param heldDecisions decisions held while every Pending pod was covered by a node on its way
 *     ({@code HOLD_NODE_SUPPLY_IN_FLIGHT})
 */
record SupplyTally(
    int peakUnbackedPods,
    double unbackedPodSeconds,
    int nodeClaims,
    int cappedDecisions,
    double cappedSeconds,
    int heldDecisions) {}
