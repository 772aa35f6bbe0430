package dev.foresight.controller.inline;

import dev.foresight.controller.loop.GovernedWorkload;
import dev.foresight.policy.PolicySpec;
import dev.foresight.policy.WorkloadRef;
import dev.foresight.scaler.InlinePolicyRegistry;
import dev.foresight.scaler.InvalidMetadataException;
import dev.foresight.scaler.Problem;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every workload the loop governs: the declared ones (ScalingPolicies, or the standalone policies
 * file) and the inline ones KEDA's ScaledObjects carry, merged and handed to the loop whenever
 * either side changes.
 *
 * <p><b>Name clash rule.</b> Workloads are addressed by namespace and policy name (the KEDA
 * scaler's {@code policy} key, the metrics API's {@code policy} label); an inline policy's name is
 * its ScaledObject's. When a declared policy and an inline one share namespace and name, the
 * declared policy wins: it is the resource written for Foresight, and a ScaledObject must not
 * silently take over a workload someone else configured. The inline registration is then refused
 * ({@code INVALID_ARGUMENT} to KEDA, naming the clash); an inline policy that a later declared one
 * shadows stops being governed and comes back if the declared one goes away.
 *
 * <p><b>Idle inline policies.</b> KEDA never says that a ScaledObject was deleted: it just stops
 * asking. An inline policy nobody has asked about (request or stream heartbeat) for the idle expiry
 * stops being governed, so a deleted ScaledObject does not cost queries and decisions forever; if
 * KEDA asks again, {@link #touch} answers false and the scaler registers it anew.
 */
public final class GovernedSet implements InlinePolicyRegistry {

  private static final Logger LOG = LoggerFactory.getLogger(GovernedSet.class);

  /** Workloads are identified by namespace and policy name across both sources. */
  private record Key(String namespace, String policy) {
    static Key of(WorkloadRef ref) {
      return new Key(ref.namespace(), ref.policy());
    }
  }

  private final InlineWorkloads inline;
  private final Consumer<List<GovernedWorkload>> loop;
  private List<GovernedWorkload> declared = List.of();
  private final Map<Key, GovernedWorkload> inlineWorkloads = new LinkedHashMap<>();

  /** When KEDA last asked about each inline workload; read and written off the lock. */
  private final Map<Key, Instant> lastAsked = new ConcurrentHashMap<>();

  private final InstantSource clock;

  /**
   * @param inline builds inline workloads
   * @param loop receives the merged list on every change (for example {@code DecisionLoop::govern})
   */
  public GovernedSet(InlineWorkloads inline, Consumer<List<GovernedWorkload>> loop) {
    this(inline, loop, InstantSource.system());
  }

  /**
   * @param clock measures how long an inline policy has gone unasked
   */
  public GovernedSet(
      InlineWorkloads inline, Consumer<List<GovernedWorkload>> loop, InstantSource clock) {
    this.inline = Objects.requireNonNull(inline, "inline");
    this.loop = Objects.requireNonNull(loop, "loop");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Replaces the declared workloads (policies file, ScalingPolicies). */
  public synchronized void declare(List<GovernedWorkload> workloads) {
    declared = List.copyOf(workloads);
    for (GovernedWorkload w : declared) {
      if (inlineWorkloads.containsKey(Key.of(w.ref()))) {
        LOG.warn(
            "policy {} is declared and also inline in a ScaledObject: the declared one governs",
            w.ref());
      }
    }
    loop.accept(merge(declared, List.copyOf(inlineWorkloads.values())));
  }

  /**
   * Governs an inline policy, or updates it (idempotent).
   *
   * @throws InvalidMetadataException when a declared policy has the same namespace and name, or the
   *     policy cannot be governed (see {@link InlineWorkloads#workload})
   */
  @Override
  public synchronized void register(WorkloadRef workload, PolicySpec spec) {
    Key key = Key.of(workload);
    for (GovernedWorkload d : declared) {
      if (Key.of(d.ref()).equals(key)) {
        throw new InvalidMetadataException(
            workload.toString(),
            List.of(
                new Problem(
                    "inline policy",
                    workload.toString(),
                    "a ScaledObject name no Foresight policy in its namespace uses: policy "
                        + d.ref()
                        + " already governs "
                        + d.ref().targetKind()
                        + "/"
                        + d.ref().targetName()
                        + " (reference it with 'policy: "
                        + d.ref().policy()
                        + "' instead)")));
      }
    }
    GovernedWorkload w = inline.workload(workload, spec);
    lastAsked.put(key, clock.instant());
    if (w.equals(inlineWorkloads.get(key))) {
      return;
    }
    inlineWorkloads.put(key, w);
    LOG.info("governing inline policy {} from its ScaledObject", workload);
    loop.accept(merge(declared, List.copyOf(inlineWorkloads.values())));
  }

  /** Notes that KEDA asked about {@code workload}; false when it is not governed inline. */
  @Override
  public boolean touch(WorkloadRef workload) {
    Instant now = clock.instant();
    return lastAsked.computeIfPresent(Key.of(workload), (k, then) -> now) != null;
  }

  /**
   * Stops governing every inline policy KEDA has not asked about for {@code idle}.
   *
   * @return how many were let go
   */
  public synchronized int expireIdle(Duration idle) {
    Instant cutoff = clock.instant().minus(idle);
    List<Key> gone = new ArrayList<>();
    lastAsked.forEach(
        (key, then) -> {
          // remove(key, then) loses to a touch in between, which keeps the workload.
          if (then.isBefore(cutoff) && lastAsked.remove(key, then)) {
            gone.add(key);
          }
        });
    for (Key key : gone) {
      GovernedWorkload w = inlineWorkloads.remove(key);
      LOG.info(
          "no longer governing inline policy {}: KEDA has not asked about it for {}",
          w == null ? key : w.ref(),
          idle);
    }
    if (!gone.isEmpty()) {
      loop.accept(merge(declared, List.copyOf(inlineWorkloads.values())));
    }
    return gone.size();
  }

  /**
   * The workloads governed now: every declared one, then the inline ones no declared one shadows.
   */
  public static List<GovernedWorkload> merge(
      List<GovernedWorkload> declared, List<GovernedWorkload> inline) {
    List<GovernedWorkload> out = new ArrayList<>(declared);
    java.util.Set<Key> taken = new java.util.HashSet<>();
    declared.forEach(d -> taken.add(Key.of(d.ref())));
    for (GovernedWorkload i : inline) {
      if (taken.add(Key.of(i.ref()))) {
        out.add(i);
      }
    }
    return out;
  }
}
