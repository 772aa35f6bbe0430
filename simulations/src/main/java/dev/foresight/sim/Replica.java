package dev.foresight.sim;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * One vLLM engine on one GPU: its lifecycle and its continuous batch.
 *
 * <p>The batch is simulated as a fluid between events, with no per-token events. While the batch
 * composition is fixed (n sequences decoding, a prompt waiting for prefill or not), every engine
 * step lasts {@code s = step(n, c)} ({@link SimulationConfig#stepSeconds}); each decoding sequence
 * gains {@code 1/s} tokens per second and the prompt at the head of the prefill queue gains {@code
 * c/s} tokens per second, {@code c = maxBatchedTokens − n}. The decode progress is one shared
 * "virtual token clock" {@code V}; a sequence that starts decoding at {@code V₀} with {@code k}
 * tokens left finishes when {@code V = V₀ + k}, so the decoding sequences sit in a min-heap keyed
 * by that threshold and the next event is {@code min(prefill done, smallest threshold)}: O(log n)
 * per request instead of one event per token. Prompts are prefilled one at a time in admission
 * order; the first token comes out with the end of prefill.
 */
final class Replica {
  enum State {
    /** Created, waiting for a node (none free or the node is still provisioning). */
    PENDING,
    /** Bound to a Ready node; the server is starting (image pull, weight load, warm-up). */
    STARTING,
    /** Serving. */
    READY,
    /** Being removed: admits nothing, finishes what it runs. */
    DRAINING,
    /** Removed. */
    GONE
  }

  final int id;
  final double createdAt;
  State state = State.PENDING;
  Node node;

  /** When it was bound to {@link #node}: the scheduler's nomination of the pod to that node. */
  double boundAt = Double.NaN;

  double startedAt = Double.NaN;
  double readyAt = Double.NaN;

  /** Slot in the fleet's {@link EngineQueue}; -1 when not in it. */
  int heapIndex = -1;

  private final SimulationConfig config;
  private final ArrayDeque<Request> prefill = new ArrayDeque<>();
  private double prefillRemaining;
  private Request[] heap = new Request[64];
  private int decoding;
  private double clock;
  private double last;
  private long kvReserved;
  private long decodingPromptTokens;
  private double decodingStartSum;
  private double busySeconds;
  private double nextEvent = Double.POSITIVE_INFINITY;
  private boolean nextIsPrefill;

  Replica(int id, double createdAt, SimulationConfig config) {
    this.id = id;
    this.createdAt = createdAt;
    this.config = config;
    this.last = createdAt;
  }

  /** Sequences admitted to this replica: queued for prefill, prefilling and decoding. */
  int running() {
    return prefill.size() + decoding;
  }

  /**
   * Sequences whose prefill has begun and not yet ended, or that are decoding: what vLLM reports as
   * {@code num_requests_running}.
   */
  int scheduled() {
    return decoding + (prefill.isEmpty() ? 0 : 1);
  }

  /**
   * Admitted prompts whose prefill has not begun: in vLLM they are still in the scheduler's waiting
   * queue ({@code num_requests_waiting}).
   */
  int waitingForPrefill() {
    return Math.max(0, prefill.size() - 1);
  }

  /** KV-cache tokens a request reserves on admission: its prompt plus every output token. */
  long kvNeed(Request r) {
    return Math.min(config.kvCacheTokens(), (long) r.promptTokens() + r.outputTokens());
  }

  /** Whether the batch has a slot and the KV cache has room for {@code r}. */
  boolean canAdmit(Request r) {
    return running() < config.maxNumSeqs() && kvReserved + kvNeed(r) <= config.kvCacheTokens();
  }

  /** Time of this replica's next prefill or decode completion, +∞ when idle. */
  double nextEvent() {
    return nextEvent;
  }

  /** Seconds during which a batch was running, since the replica started. */
  double busySeconds() {
    return busySeconds;
  }

  /**
   * KV-cache tokens in use: prompts of decoding sequences plus their generated tokens, plus the
   * prefilled part of the prompt at the head of the prefill queue.
   */
  double kvTokensUsed() {
    double used = decodingPromptTokens + decoding * clock - decodingStartSum;
    Request head = prefill.peek();
    if (head != null) {
      used += head.promptTokens() - Math.max(0, prefillRemaining);
    }
    return Math.max(0, used);
  }

  private double step() {
    int c = prefill.isEmpty() ? 0 : config.maxBatchedTokens() - decoding;
    return config.stepSeconds(decoding, c);
  }

  /** Moves the fluid batch forward to {@code t}; the composition must not change in between. */
  void advance(double t) {
    double dt = t - last;
    if (dt <= 0) {
      return;
    }
    if (decoding > 0 || !prefill.isEmpty()) {
      busySeconds += dt;
      double s = step();
      if (decoding > 0) {
        clock += dt / s;
      }
      if (!prefill.isEmpty()) {
        prefillRemaining -= dt * (config.maxBatchedTokens() - decoding) / s;
      }
    }
    last = t;
  }

  /**
   * Admits {@code r} at {@code t}; it queues for prefill.
   *
   * @return true when its prefill starts at once (the prefill queue was empty)
   */
  boolean admit(Request r, double t) {
    advance(t);
    long need = kvNeed(r);
    r.admittedAt = t;
    r.kvReserved = (int) need;
    kvReserved += need;
    boolean startsNow = prefill.isEmpty();
    if (startsNow) {
      prefillRemaining = r.promptTokens();
    }
    prefill.add(r);
    schedule();
    return startsNow;
  }

  /** Receives prefill starts, first tokens and completions. */
  interface Listener {
    void prefillStarted(Request r, double t);

    void firstToken(Request r, double t);

    void completed(Request r, double t);
  }

  /** Processes the event due at {@link #nextEvent()}. */
  void fire(double t, Listener listener) {
    advance(t);
    if (nextIsPrefill) {
      Request r = prefill.poll();
      listener.firstToken(r, t);
      if (r.outputTokens() <= 1) {
        release(r);
        listener.completed(r, t);
      } else {
        r.decodeStart = clock;
        r.finishThreshold = clock + (r.outputTokens() - 1);
        push(r);
        decodingPromptTokens += r.promptTokens();
        decodingStartSum += clock;
      }
      Request head = prefill.peek();
      prefillRemaining = head == null ? 0 : head.promptTokens();
      if (head != null) {
        listener.prefillStarted(head, t);
      }
    } else {
      Request r = pop();
      clock = Math.max(clock, r.finishThreshold);
      finishDecoding(r, t, listener);
    }
    while (decoding > 0 && heap[0].finishThreshold <= clock + 1e-9) {
      finishDecoding(pop(), t, listener);
    }
    schedule();
  }

  private void finishDecoding(Request r, double t, Listener listener) {
    decodingPromptTokens -= r.promptTokens();
    decodingStartSum -= r.decodeStart;
    if (decoding == 0) {
      decodingStartSum = 0;
      decodingPromptTokens = 0;
    }
    release(r);
    listener.completed(r, t);
  }

  private void release(Request r) {
    kvReserved -= r.kvReserved;
  }

  private void schedule() {
    double s = step();
    double tp = Double.POSITIVE_INFINITY;
    double td = Double.POSITIVE_INFINITY;
    if (!prefill.isEmpty()) {
      tp = last + Math.max(0, prefillRemaining) * s / (config.maxBatchedTokens() - decoding);
    }
    if (decoding > 0) {
      td = last + Math.max(0, heap[0].finishThreshold - clock) * s;
    }
    nextIsPrefill = tp <= td;
    nextEvent = Math.min(tp, td);
  }

  private void push(Request r) {
    if (decoding == heap.length) {
      heap = Arrays.copyOf(heap, decoding * 2);
    }
    int i = decoding++;
    heap[i] = r;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (heap[parent].finishThreshold <= r.finishThreshold) {
        break;
      }
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = r;
  }

  private Request pop() {
    Request top = heap[0];
    Request lastItem = heap[--decoding];
    heap[decoding] = null;
    if (decoding > 0) {
      int i = 0;
      while (true) {
        int l = 2 * i + 1;
        if (l >= decoding) {
          break;
        }
        int c =
            l + 1 < decoding && heap[l + 1].finishThreshold < heap[l].finishThreshold ? l + 1 : l;
        if (heap[c].finishThreshold >= lastItem.finishThreshold) {
          break;
        }
        heap[i] = heap[c];
        i = c;
      }
      heap[i] = lastItem;
    }
    return top;
  }

  /** The pod name DCGM and vLLM metrics carry. */
  String pod() {
    return "replica-" + id;
  }
}
