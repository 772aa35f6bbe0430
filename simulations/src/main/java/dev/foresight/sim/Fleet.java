package dev.foresight.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * The serving fleet: replicas, the GPU node pool they run on, and the queue in front of them.
 *
 * <p>Requests wait in one FIFO queue (an inference gateway in front of the vLLM pods) and are
 * admitted, head first, to the Ready replica with the fewest sequences that has a batch slot and
 * KV-cache room; there they wait for their prefill. Both waits together are what vLLM's {@code
 * num_requests_waiting} sums to over replicas.
 *
 * <p>Lifecycle. A new replica claims a free GPU on a Ready node and starts ({@code podStartup},
 * jittered); else it claims a GPU on a node still provisioning; else, while the node pool's GPU
 * limit allows, a node is provisioned for it ({@code nodeProvisioning}); else it stays Pending
 * until a GPU frees up. Removing replicas takes Pending ones first, then starting ones (newest
 * first), then the Ready ones running least; a Ready replica drains — admits nothing and finishes
 * what it runs — before it leaves. A node with no claimed GPU for {@code nodeIdleTimeout} is
 * removed.
 */
final class Fleet implements Replica.Listener {
  private final SimulationConfig config;
  private final RandomGenerator startupRandom;
  private final RunRecorder recorder;
  private final List<Replica> replicas = new ArrayList<>();
  private final List<Node> nodes = new ArrayList<>();
  private final ArrayDeque<Request> waiting = new ArrayDeque<>();
  private final PriorityQueue<Timer> timers = new PriorityQueue<>();
  private final EngineQueue engine = new EngineQueue();
  private int nextReplicaId;
  private int nextNodeId;
  private long timerSeq;
  private double gpuSeconds;
  private double nodeSeconds;
  private double now;
  private int nodesProvisioned;
  // Unbacked Pending pods, tracked exactly: the count since the last change and its integral.
  private int unbacked;
  private int peakUnbacked;
  private double unbackedSince;
  private double unbackedPodSeconds;

  private enum TimerKind {
    NODE_READY,
    REPLICA_READY,
    NODE_IDLE_CHECK
  }

  private record Timer(double at, long seq, TimerKind kind, Object target)
      implements Comparable<Timer> {
    @Override
    public int compareTo(Timer o) {
      int c = Double.compare(at, o.at);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  Fleet(SimulationConfig config, RandomGenerator startupRandom, RunRecorder recorder) {
    this.config = config;
    this.startupRandom = startupRandom;
    this.recorder = recorder;
    for (int i = 0; i < config.initialReplicas(); i++) {
      Node node = newNode(0);
      node.ready = true;
      node.readyAt = 0;
      Replica r = new Replica(nextReplicaId++, 0, config);
      r.node = node;
      r.boundAt = 0;
      node.claimed++;
      r.state = Replica.State.READY;
      r.startedAt = 0;
      r.readyAt = 0;
      replicas.add(r);
      engine.add(r);
    }
  }

  // ---- what the control plane sees ----

  /** Replicas desired on the target: every replica that is not draining or gone. */
  int desiredReplicas() {
    int n = 0;
    for (Replica r : replicas) {
      if (r.state != Replica.State.DRAINING) {
        n++;
      }
    }
    return n;
  }

  int readyReplicas() {
    int n = 0;
    for (Replica r : replicas) {
      if (r.state == Replica.State.READY) {
        n++;
      }
    }
    return n;
  }

  List<Replica> replicas() {
    return replicas;
  }

  /** Requests not yet in a batch: at the gateway, or admitted and waiting for prefill. */
  int waitingCount() {
    int n = waiting.size();
    for (int i = 0, size = replicas.size(); i < size; i++) {
      n += replicas.get(i).waitingForPrefill();
    }
    return n;
  }

  List<Node> nodes() {
    return nodes;
  }

  /** True when nothing waits and nothing runs. */
  boolean idle() {
    if (!waiting.isEmpty()) {
      return false;
    }
    for (Replica r : replicas) {
      if (r.running() > 0) {
        return false;
      }
    }
    return true;
  }

  // ---- requests ----

  void arrive(Request r, double t) {
    now = t;
    recorder.arrived(r);
    waiting.add(r);
    dispatch(t);
  }

  private void dispatch(double t) {
    while (!waiting.isEmpty()) {
      Request head = waiting.peek();
      Replica best = null;
      for (int i = 0, n = replicas.size(); i < n; i++) {
        Replica r = replicas.get(i);
        if (r.state == Replica.State.READY
            && r.canAdmit(head)
            && (best == null || r.running() < best.running())) {
          best = r;
        }
      }
      if (best == null) {
        return;
      }
      waiting.poll();
      if (best.admit(head, t)) {
        recorder.prefillStarted(head, t);
      }
      engine.update(best);
    }
  }

  /** Time of the next prefill or decode completion on any replica. */
  double nextEngineEvent() {
    Replica first = engine.peek();
    return first == null ? Double.POSITIVE_INFINITY : first.nextEvent();
  }

  /** Processes the engine event due at {@code t} (the value {@link #nextEngineEvent} returned). */
  void fireEngine(double t) {
    now = t;
    Replica due = engine.peek();
    due.fire(t, this);
    engine.update(due);
    if (due.state == Replica.State.DRAINING && due.running() == 0) {
      remove(due, t);
    }
    dispatch(t);
  }

  @Override
  public void prefillStarted(Request r, double t) {
    recorder.prefillStarted(r, t);
  }

  @Override
  public void firstToken(Request r, double t) {
    recorder.firstToken(r, t);
  }

  @Override
  public void completed(Request r, double t) {
    recorder.completed(r, t);
  }

  /** Brings every replica's fluid batch forward to {@code t} (for a scrape). */
  void advanceAll(double t) {
    for (Replica r : replicas) {
      r.advance(t);
    }
  }

  // ---- lifecycle ----

  double nextTimer() {
    Timer t = timers.peek();
    return t == null ? Double.POSITIVE_INFINITY : t.at;
  }

  void fireTimer(double t) {
    now = t;
    Timer timer = timers.poll();
    switch (timer.kind) {
      case NODE_READY -> {
        Node node = (Node) timer.target;
        node.ready = true;
        node.readyAt = t;
        for (Replica r : replicas) {
          if (r.node == node && r.state == Replica.State.PENDING) {
            start(r, t);
          }
        }
      }
      case REPLICA_READY -> {
        Replica r = (Replica) timer.target;
        if (r.state == Replica.State.STARTING) {
          r.state = Replica.State.READY;
          r.readyAt = t;
          dispatch(t);
        }
      }
      case NODE_IDLE_CHECK -> {
        Node node = (Node) timer.target;
        if (node.claimed == 0
            && nodes.contains(node)
            && t - node.idleSince >= config.nodeIdleTimeout().toNanos() / 1e9 - 1e-9) {
          nodes.remove(node);
          nodeSeconds += t - node.createdAt;
        }
      }
    }
  }

  /** Sets the desired replica count, creating or removing replicas. */
  void scaleTo(int desired, double t) {
    now = t;
    int current = desiredReplicas();
    for (int i = current; i < desired; i++) {
      Replica r = new Replica(nextReplicaId++, t, config);
      replicas.add(r);
      engine.add(r);
      bind(r, t);
    }
    for (int i = desired; i < current; i++) {
      Replica victim = pickVictim();
      if (victim.state == Replica.State.READY) {
        victim.state = Replica.State.DRAINING;
        if (victim.running() == 0) {
          remove(victim, t);
        }
      } else {
        remove(victim, t);
      }
    }
    noteUnbacked(t);
  }

  private Replica pickVictim() {
    Replica best = null;
    int bestRank = Integer.MAX_VALUE;
    for (Replica r : replicas) {
      int rank =
          switch (r.state) {
            case PENDING -> r.node == null ? 0 : 1;
            case STARTING -> 2;
            case READY -> 3;
            default -> Integer.MAX_VALUE;
          };
      if (rank == Integer.MAX_VALUE) {
        continue;
      }
      boolean better;
      if (best == null || rank < bestRank) {
        better = true;
      } else if (rank > bestRank) {
        better = false;
      } else if (rank == 3) {
        better = r.running() < best.running() || (r.running() == best.running() && r.id > best.id);
      } else {
        better = r.id > best.id;
      }
      if (better) {
        best = r;
        bestRank = rank;
      }
    }
    return best;
  }

  private void bind(Replica r, double t) {
    for (Node node : nodes) {
      if (node.ready && node.claimed < config.gpusPerNode()) {
        claim(r, node, t);
        start(r, t);
        return;
      }
    }
    for (Node node : nodes) {
      if (!node.ready && node.claimed < config.gpusPerNode()) {
        claim(r, node, t);
        return;
      }
    }
    long gpus = (long) (nodes.size() + 1) * config.gpusPerNode();
    if (gpus <= config.nodePoolGpuLimit()) {
      Node node = newNode(t);
      nodesProvisioned++;
      claim(r, node, t);
      addTimer(t + seconds(config.nodeProvisioning()), TimerKind.NODE_READY, node);
    }
    // Else: Pending, unbacked, until a GPU frees up.
  }

  private void claim(Replica r, Node node, double t) {
    r.node = node;
    r.boundAt = t;
    node.claimed++;
    node.idleSince = Double.NaN;
  }

  private void start(Replica r, double t) {
    r.state = Replica.State.STARTING;
    r.startedAt = t;
    double jitter = config.podStartupJitter();
    double factor = jitter == 0 ? 1 : 1 + jitter * (2 * startupRandom.nextDouble() - 1);
    addTimer(t + seconds(config.podStartup()) * factor, TimerKind.REPLICA_READY, r);
  }

  private void remove(Replica r, double t) {
    r.state = Replica.State.GONE;
    replicas.remove(r);
    engine.remove(r);
    if (!Double.isNaN(r.startedAt)) {
      gpuSeconds += t - r.startedAt;
    }
    Node node = r.node;
    r.node = null;
    if (node != null) {
      node.claimed--;
      if (node.claimed == 0) {
        node.idleSince = t;
        addTimer(t + seconds(config.nodeIdleTimeout()), TimerKind.NODE_IDLE_CHECK, node);
      }
      // A freed GPU goes to a replica still waiting for one.
      for (Replica waitingReplica : replicas) {
        if (waitingReplica.state == Replica.State.PENDING && waitingReplica.node == null) {
          claim(waitingReplica, node, t);
          if (node.ready) {
            start(waitingReplica, t);
          }
          break;
        }
      }
    }
    noteUnbacked(t);
  }

  private Node newNode(double t) {
    Node node = new Node(nextNodeId++, t);
    nodes.add(node);
    return node;
  }

  private void addTimer(double at, TimerKind kind, Object target) {
    timers.add(new Timer(at, timerSeq++, kind, target));
  }

  /** Replicas Pending without a GPU: the unbacked pods. */
  int unbackedPending() {
    int n = 0;
    for (Replica r : replicas) {
      if (r.state == Replica.State.PENDING && r.node == null) {
        n++;
      }
    }
    return n;
  }

  /** Brings the unbacked-pod integral to {@code t} and takes the count from now on. */
  private void noteUnbacked(double t) {
    unbackedPodSeconds += unbacked * (t - unbackedSince);
    unbackedSince = t;
    unbacked = unbackedPending();
    peakUnbacked = Math.max(peakUnbacked, unbacked);
  }

  /** Most pods Pending at once without a GPU. */
  int peakUnbacked() {
    return peakUnbacked;
  }

  /** Time integral of the unbacked Pending pods up to {@code t}, pod-seconds. */
  double unbackedPodSeconds(double t) {
    return unbackedPodSeconds + unbacked * Math.max(0, t - unbackedSince);
  }

  /** GPU nodes (NodeClaims) provisioned since the start; the initial nodes are not counted. */
  int nodesProvisioned() {
    return nodesProvisioned;
  }

  SimulationConfig config() {
    return config;
  }

  /** GPU-seconds of removed replicas plus those still running at {@code t}. */
  double gpuSeconds(double t) {
    double total = gpuSeconds;
    for (Replica r : replicas) {
      if (!Double.isNaN(r.startedAt)) {
        total += t - r.startedAt;
      }
    }
    return total;
  }

  /** Node-seconds of removed nodes plus those still present at {@code t}. */
  double nodeSeconds(double t) {
    double total = nodeSeconds;
    for (Node n : nodes) {
      total += t - n.createdAt;
    }
    return total;
  }

  static double seconds(java.time.Duration d) {
    return d.toNanos() / 1e9;
  }

  double now() {
    return now;
  }
}
