package dev.foresight.policy.supply;

import dev.foresight.policy.WorkloadRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

/**
 * Computes node supply from one {@link ClusterSupply} snapshot: pending pods, which of them
 * capacity on its way covers, GPUs in flight, GPU headroom under NodePool limits, recent stockouts
 * and node provisioning times. Pure: no I/O, no clock; the snapshot carries its instant.
 *
 * <p>A pending pod counts when the scheduler marked it {@code Unschedulable}. Whether it is covered
 * is decided by the newest supply Event about it:
 *
 * <ul>
 *   <li>{@code Nominated} to {@code nodeclaim/X}: covered while X exists and is not being deleted
 *       (a claim deleted for insufficient capacity or a timeout covers nothing);
 *   <li>{@code Nominated} to {@code node/N}: covered (an existing node will take it);
 *   <li>{@code TriggeredScaleUp}: covered for {@code scaleUpValidity} after the Event
 *       (cluster-autoscaler gives up on a node after {@code --max-node-provision-time}, 15 min by
 *       default);
 *   <li>{@code NotTriggerScaleUp}: not covered, and the workload's supply is blocked;
 *   <li>no Event: not covered.
 * </ul>
 *
 * <p>A pod is attributed to the NodePool of the claim it was nominated to, else to the pool its
 * node selector pins. A stockout ({@code InsufficientCapacityError} on a NodeClaim within {@code
 * stockoutWindow}) is attributed to the claim's pool when the claim is still listed, else to the
 * longest pool name {@code p} with the claim named {@code p-…}: Karpenter names claims after their
 * pool ({@code generateName: <nodepool>-}) and deletes a claim as soon as its launch meets
 * insufficient capacity.
 */
public final class NodeSupplyAnalyzer {

  /** Karpenter remembers an unavailable offering for 3 minutes; a little more covers its retry. */
  public static final Duration DEFAULT_STOCKOUT_WINDOW = Duration.ofMinutes(5);

  /** cluster-autoscaler's default {@code --max-node-provision-time}. */
  public static final Duration DEFAULT_SCALE_UP_VALIDITY = Duration.ofMinutes(15);

  private final Duration stockoutWindow;
  private final Duration scaleUpValidity;

  /**
   * @param stockoutWindow how long an InsufficientCapacityError counts as recent
   * @param scaleUpValidity how long a TriggeredScaleUp Event covers its pod
   */
  public NodeSupplyAnalyzer(Duration stockoutWindow, Duration scaleUpValidity) {
    this.stockoutWindow = requirePositive("stockoutWindow", stockoutWindow);
    this.scaleUpValidity = requirePositive("scaleUpValidity", scaleUpValidity);
  }

  /** An analyzer with the default windows. */
  public NodeSupplyAnalyzer() {
    this(DEFAULT_STOCKOUT_WINDOW, DEFAULT_SCALE_UP_VALIDITY);
  }

  private static Duration requirePositive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " = " + d + ": expected a positive duration");
    }
    return d;
  }

  /** What the analysis concluded about one pending pod. */
  private record PodCoverage(
      PendingPod pod,
      boolean covered,
      boolean blocked,
      Optional<String> nominatedClaim,
      String pool) {}

  /**
   * Analyzes one snapshot.
   *
   * @param snapshot the cluster's supply state
   * @param placements the governed workloads (owners of pending pods that are not listed here are
   *     analyzed too, with the GPUs of their pods as GPUs per replica)
   */
  public SupplyReport analyze(ClusterSupply snapshot, Collection<WorkloadPlacement> placements) {
    Instant at = snapshot.at();
    Map<String, NodeClaimState> claims = new HashMap<>();
    for (NodeClaimState c : snapshot.nodeClaims()) {
      if (claims.put(c.name(), c) != null) {
        throw new IllegalArgumentException("nodeclaim/" + c.name() + " listed twice");
      }
    }
    Map<String, NodePoolState> pools = new TreeMap<>();
    for (NodePoolState p : snapshot.nodePools()) {
      if (pools.put(p.name(), p) != null) {
        throw new IllegalArgumentException("nodepool/" + p.name() + " listed twice");
      }
    }
    Set<String> poolNames = new HashSet<>(pools.keySet());
    snapshot.nodeClaims().forEach(c -> poolNames.add(c.nodePool()));
    poolNames.remove("");

    Map<String, NodeClaimState> claimsByNode = new HashMap<>();
    for (NodeClaimState c : snapshot.nodeClaims()) {
      c.nodeName().ifPresent(n -> claimsByNode.put(n, c));
    }
    Map<String, SupplyEvent> newestAboutPod = new HashMap<>();
    for (SupplyEvent e : snapshot.events()) {
      if (e.involvedKind().equals("Pod") && !e.at().isAfter(at)) {
        // Events carry second resolution: on a tie, the Event that covers the pod wins, so a
        // re-nomination in the same second as one to a claim now gone is not lost.
        newestAboutPod.merge(
            e.involvedNamespace() + "/" + e.involvedName(),
            e,
            (a, b) ->
                b.at().isAfter(a.at())
                        || (b.at().equals(a.at())
                            && covers(b, claims, claimsByNode)
                            && !covers(a, claims, claimsByNode))
                    ? b
                    : a);
      }
    }

    List<PodCoverage> coverage = new ArrayList<>();
    for (PendingPod pod : snapshot.pendingPods()) {
      if (pod.unschedulable()) {
        coverage.add(
            cover(
                pod, Optional.ofNullable(newestAboutPod.get(pod.key())), claims, claimsByNode, at));
      }
    }

    Map<String, Integer> nominatedGpus = new HashMap<>();
    for (PodCoverage pc : coverage) {
      if (pc.covered()) {
        pc.nominatedClaim().ifPresent(c -> nominatedGpus.merge(c, pc.pod().gpus(), Integer::sum));
      }
    }

    Map<String, List<Instant>> stockouts = new HashMap<>();
    Instant windowStart = at.minus(stockoutWindow);
    for (SupplyEvent e : snapshot.events()) {
      if (e.type() == SupplyEvent.Type.INSUFFICIENT_CAPACITY
          && e.at().isAfter(windowStart)
          && !e.at().isAfter(at)) {
        poolOfClaim(e.involvedName(), claims, poolNames)
            .ifPresent(p -> stockouts.computeIfAbsent(p, k -> new ArrayList<>()).add(e.at()));
      }
    }

    Map<String, NodePoolSupply> poolSupply = new TreeMap<>();
    for (String name : poolNames) {
      poolSupply.put(
          name,
          poolSupply(
              name,
              Optional.ofNullable(pools.get(name)),
              snapshot.nodeClaims(),
              coverage,
              nominatedGpus,
              stockouts.getOrDefault(name, List.of())));
    }

    Map<WorkloadRef, WorkloadPlacement> wanted = new LinkedHashMap<>();
    for (WorkloadPlacement p : placements) {
      wanted.put(p.workload(), p);
    }
    for (PodCoverage pc : coverage) {
      wanted.putIfAbsent(pc.pod().owner(), WorkloadPlacement.of(pc.pod().owner(), pc.pod().gpus()));
    }
    Map<WorkloadRef, List<PodCoverage>> byOwner = new HashMap<>();
    for (PodCoverage pc : coverage) {
      byOwner.computeIfAbsent(pc.pod().owner(), k -> new ArrayList<>()).add(pc);
    }
    Map<WorkloadRef, NodeSupply> workloads = new LinkedHashMap<>();
    for (WorkloadPlacement p : wanted.values()) {
      workloads.put(
          p.workload(),
          workloadSupply(
              p,
              snapshot.karpenterObserved(),
              byOwner.getOrDefault(p.workload(), List.of()),
              poolSupply));
    }

    List<ProvisioningSample> provisioning =
        snapshot.nodeClaims().stream()
            .filter(c -> c.provisioningDuration().isPresent())
            .map(
                c ->
                    new ProvisioningSample(
                        c.name(),
                        c.nodePool(),
                        c.createdAt(),
                        c.condition(NodeClaimState.INITIALIZED).orElseThrow().lastTransitionTime()))
            .sorted(
                Comparator.comparing(ProvisioningSample::initializedAt)
                    .thenComparing(ProvisioningSample::nodeClaim))
            .toList();

    return new SupplyReport(at, snapshot.karpenterObserved(), poolSupply, workloads, provisioning);
  }

  private PodCoverage cover(
      PendingPod pod,
      Optional<SupplyEvent> newest,
      Map<String, NodeClaimState> claims,
      Map<String, NodeClaimState> claimsByNode,
      Instant at) {
    String selectorPool = pod.nodePoolSelector().orElse("");
    if (newest.isEmpty()) {
      return new PodCoverage(pod, false, false, Optional.empty(), selectorPool);
    }
    SupplyEvent e = newest.get();
    switch (e.type()) {
      case NOMINATED:
        Optional<String> node = e.nominatedNode();
        NodeClaimState claim =
            node.isPresent()
                ? claimsByNode.get(node.get())
                : claims.get(e.nominatedNodeClaim().orElseThrow());
        if (claim == null && node.isPresent()) {
          // An existing node Karpenter does not manage: it will take the pod.
          return new PodCoverage(pod, true, false, Optional.empty(), selectorPool);
        }
        // A claim that is gone or being deleted (insufficient capacity, a timeout) covers nothing.
        boolean live = claim != null && claim.stage() != NodeClaimState.Stage.DELETING;
        String pool =
            claim != null && !claim.nodePool().isEmpty() ? claim.nodePool() : selectorPool;
        return new PodCoverage(
            pod, live, false, live ? Optional.of(claim.name()) : Optional.empty(), pool);
      case TRIGGERED_SCALE_UP:
        boolean valid = e.at().plus(scaleUpValidity).isAfter(at);
        return new PodCoverage(pod, valid, false, Optional.empty(), selectorPool);
      case NOT_TRIGGER_SCALE_UP:
        return new PodCoverage(pod, false, true, Optional.empty(), selectorPool);
      default:
        throw new IllegalStateException("unexpected event type " + e.type());
    }
  }

  /** Whether an Event, were it the newest about its pod, would cover the pod (ignoring age). */
  private static boolean covers(
      SupplyEvent e, Map<String, NodeClaimState> claims, Map<String, NodeClaimState> claimsByNode) {
    switch (e.type()) {
      case NOMINATED:
        NodeClaimState claim =
            e.nominatedNode().isPresent()
                ? claimsByNode.get(e.nominatedNode().get())
                : claims.get(e.nominatedNodeClaim().orElseThrow());
        return claim == null
            ? e.nominatedNode().isPresent()
            : claim.stage() != NodeClaimState.Stage.DELETING;
      case TRIGGERED_SCALE_UP:
        return true;
      default:
        return false;
    }
  }

  private static Optional<String> poolOfClaim(
      String claimName, Map<String, NodeClaimState> claims, Set<String> poolNames) {
    NodeClaimState claim = claims.get(claimName);
    if (claim != null && !claim.nodePool().isEmpty()) {
      return Optional.of(claim.nodePool());
    }
    return poolNames.stream()
        .filter(p -> claimName.startsWith(p + "-"))
        .max(Comparator.comparingInt(String::length));
  }

  private static NodePoolSupply poolSupply(
      String name,
      Optional<NodePoolState> pool,
      List<NodeClaimState> allClaims,
      List<PodCoverage> coverage,
      Map<String, Integer> nominatedGpus,
      List<Instant> stockouts) {
    int claimsInFlight = 0;
    int gpusInFlight = 0;
    int uncounted = 0;
    int launchFailures = 0;
    List<Integer> free = new ArrayList<>();
    for (NodeClaimState c : allClaims) {
      if (!c.nodePool().equals(name)) {
        continue;
      }
      if (c.inFlight()) {
        claimsInFlight++;
        gpusInFlight += c.gpus();
        if (!c.countedInNodePoolResources()) {
          uncounted += c.gpus();
        }
        if (c.launchFailing()) {
          launchFailures++;
        }
        addIfPositive(free, c.gpus() - nominatedGpus.getOrDefault(c.name(), 0));
      } else if (c.stage() == NodeClaimState.Stage.INITIALIZED) {
        addIfPositive(free, c.gpus() - c.gpusBound() - nominatedGpus.getOrDefault(c.name(), 0));
      }
    }
    int pending = 0;
    int covered = 0;
    for (PodCoverage pc : coverage) {
      if (pc.pool().equals(name)) {
        pending++;
        if (pc.covered()) {
          covered++;
        }
      }
    }
    OptionalInt limit = pool.map(NodePoolState::gpuLimit).orElse(OptionalInt.empty());
    int inUse = pool.map(NodePoolState::gpusInUse).orElse(0);
    OptionalInt headroom =
        limit.isPresent()
            ? OptionalInt.of(
                (int) Math.max(Integer.MIN_VALUE, (long) limit.getAsInt() - inUse - uncounted))
            : OptionalInt.empty();
    return new NodePoolSupply(
        name,
        limit,
        inUse,
        claimsInFlight,
        gpusInFlight,
        uncounted,
        headroom,
        pending,
        covered,
        free,
        launchFailures,
        stockouts.size(),
        stockouts.stream().max(Comparator.naturalOrder()));
  }

  private static void addIfPositive(List<Integer> free, int gpus) {
    if (gpus > 0) {
      free.add(gpus);
    }
  }

  private static NodeSupply workloadSupply(
      WorkloadPlacement placement,
      boolean karpenter,
      List<PodCoverage> mine,
      Map<String, NodePoolSupply> poolSupply) {
    WorkloadRef w = placement.workload();
    int pending = mine.size();
    int covered = (int) mine.stream().filter(PodCoverage::covered).count();
    boolean refused = mine.stream().anyMatch(PodCoverage::blocked);
    if (!karpenter) {
      return new NodeSupply(
          w,
          NodeSupply.Observed.EVENTS_ONLY,
          Set.of(),
          placement.gpusPerReplica(),
          pending,
          covered,
          0,
          OptionalInt.empty(),
          List.of(),
          0,
          refused);
    }
    Set<String> pools = new HashSet<>(placement.nodePools());
    if (pools.isEmpty()) {
      mine.stream().map(PodCoverage::pool).filter(p -> !p.isEmpty()).forEach(pools::add);
    }
    if (pools.isEmpty()) {
      pools.addAll(poolSupply.keySet());
    }
    int gpusInFlight = 0;
    long headroom = 0;
    boolean unlimited = pools.isEmpty();
    int stockouts = 0;
    List<Integer> free = new ArrayList<>();
    for (String p : pools) {
      NodePoolSupply s = poolSupply.get(p);
      if (s == null) {
        // A pool the workload names but the snapshot does not list (a typo, or the informer has
        // not caught up): unknown, so it does not cap.
        unlimited = true;
        continue;
      }
      gpusInFlight += s.gpusInFlight();
      stockouts += s.stockouts();
      free.addAll(s.freeGpusPerNode());
      if (s.usableHeadroomGpus().isPresent()) {
        headroom += s.usableHeadroomGpus().getAsInt();
      } else {
        unlimited = true;
      }
    }
    boolean blocked = refused || (stockouts > 0 && covered < pending);
    return new NodeSupply(
        w,
        NodeSupply.Observed.KARPENTER,
        pools,
        placement.gpusPerReplica(),
        pending,
        covered,
        gpusInFlight,
        unlimited
            ? OptionalInt.empty()
            : OptionalInt.of((int) Math.min(Integer.MAX_VALUE, headroom)),
        free,
        stockouts,
        blocked);
  }
}
