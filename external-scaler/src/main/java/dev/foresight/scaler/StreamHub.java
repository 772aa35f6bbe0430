package dev.foresight.scaler;

import dev.foresight.policy.StoredDecision;
import dev.foresight.policy.WorkloadRef;
import io.grpc.stub.ServerCallStreamObserver;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The open server streams ({@code StreamIsActive}, {@code StreamMetricSpec}) and what keeps them
 * current.
 *
 * <ul>
 *   <li>When a stream opens it gets the current message at once, so a reconnecting KEDA is never
 *       stale.
 *   <li>Every new decision in the store is a cue to recompute the message of the streams about that
 *       workload; a stream is sent the new message only if it differs from the last one it was
 *       sent. The store calls back on the writer's thread, so the work is handed to {@code
 *       executor} at once: a change reaches KEDA within milliseconds, far inside the 1 s
 *       requirement.
 *   <li>Activity streams are also sent their current message every {@code repeatEvery}, changed or
 *       not, as a heartbeat that corrects anything lost. Metric-spec streams are not repeated: KEDA
 *       reconciles the ScaledObject on every spec it receives.
 *   <li>{@link #close()} completes every stream normally; KEDA reads that as end of stream and
 *       reconnects (to another replica, or to this one after a restart).
 * </ul>
 */
final class StreamHub implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(StreamHub.class.getName());

  static final String STREAM_IS_ACTIVE = "StreamIsActive";
  static final String STREAM_METRIC_SPEC = "StreamMetricSpec";

  private final ScalerCore core;
  private final ScheduledExecutorService executor;
  private final ScalerMetrics metrics;
  private final Map<WorkloadRef, Set<PushStream<?>>> byWorkload = new ConcurrentHashMap<>();
  private final AutoCloseable subscription;
  private final ScheduledFuture<?> heartbeat;
  private volatile boolean closed;

  StreamHub(
      ScalerCore core,
      ScheduledExecutorService executor,
      Duration repeatEvery,
      ScalerMetrics metrics) {
    this.core = core;
    this.executor = executor;
    this.metrics = metrics;
    this.subscription = core.store().subscribe(this::onDecision);
    long period = repeatEvery.toMillis();
    this.heartbeat =
        executor.scheduleAtFixedRate(this::repeatActivity, period, period, TimeUnit.MILLISECONDS);
  }

  /** Opens a stream of {@code rpc} about {@code subject}, sending {@code message(subject)} now. */
  <T> void open(
      String rpc,
      Subject subject,
      ServerCallStreamObserver<T> observer,
      Function<Subject, T> message) {
    PushStream<T> stream = new PushStream<>(rpc, subject, observer, message);
    observer.setOnCancelHandler(() -> remove(stream));
    if (closed) {
      observer.onCompleted();
      return;
    }
    byWorkload.computeIfAbsent(subject.workload(), w -> ConcurrentHashMap.newKeySet()).add(stream);
    metrics.openStreams.labelValues(rpc).inc();
    stream.push("open", true);
  }

  /** Streams open now, of every kind. */
  int openStreams() {
    return byWorkload.values().stream().mapToInt(Set::size).sum();
  }

  private void onDecision(StoredDecision decision) {
    if (closed || !byWorkload.containsKey(decision.workload())) {
      return;
    }
    try {
      executor.execute(() -> pushChanges(decision.workload()));
    } catch (RejectedExecutionException e) {
      // Shutting down: the streams are being completed anyway.
    }
  }

  private void pushChanges(WorkloadRef workload) {
    Set<PushStream<?>> streams = byWorkload.get(workload);
    if (streams != null) {
      streams.forEach(s -> s.push("change", false));
    }
  }

  private void repeatActivity() {
    for (WorkloadRef workload : byWorkload.keySet()) {
      try {
        core.keepGoverned(workload);
      } catch (RuntimeException e) {
        // A registration refused now (say, a declared policy took the name) is the next
        // request's INVALID_ARGUMENT; it must not stop the heartbeat of every other stream.
        LOG.log(Level.DEBUG, "could not keep " + workload + " governed: " + e.getMessage());
      }
    }
    for (Set<PushStream<?>> streams : byWorkload.values()) {
      for (PushStream<?> s : streams) {
        if (s.rpc.equals(STREAM_IS_ACTIVE)) {
          s.push("repeat", true);
        }
      }
    }
  }

  private void remove(PushStream<?> stream) {
    Set<PushStream<?>> streams = byWorkload.get(stream.subject.workload());
    if (streams != null && streams.remove(stream)) {
      metrics.openStreams.labelValues(stream.rpc).dec();
      if (streams.isEmpty()) {
        byWorkload.remove(stream.subject.workload(), streams);
      }
    }
  }

  /** Completes every open stream and stops listening; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    heartbeat.cancel(false);
    try {
      subscription.close();
    } catch (Exception e) {
      LOG.log(Level.WARNING, "could not unsubscribe from the decision store", e);
    }
    byWorkload.values().forEach(streams -> streams.forEach(PushStream::complete));
  }

  /** One open stream; sends are serialized because a stream observer is not thread-safe. */
  private final class PushStream<T> {
    final String rpc;
    final Subject subject;
    private final ServerCallStreamObserver<T> observer;
    private final Function<Subject, T> message;
    private T last;
    private boolean done;

    PushStream(
        String rpc,
        Subject subject,
        ServerCallStreamObserver<T> observer,
        Function<Subject, T> message) {
      this.rpc = rpc;
      this.subject = subject;
      this.observer = observer;
      this.message = message;
    }

    synchronized void push(String cause, boolean always) {
      if (done) {
        return;
      }
      if (observer.isCancelled()) {
        done = true;
        remove(this);
        return;
      }
      if (cause.equals("repeat") && !observer.isReady()) {
        // The client is not reading (HTTP/2 flow control): do not queue heartbeats behind the
        // ones it has not read; the next heartbeat after it catches up carries the state.
        return;
      }
      try {
        T next = message.apply(subject);
        if (always || !next.equals(last)) {
          observer.onNext(next);
          last = next;
          metrics.streamMessages.labelValues(rpc, cause).inc();
        }
      } catch (RuntimeException e) {
        // The client went away between the check and the send, or the answer failed: end this
        // stream only, never the hub.
        LOG.log(Level.DEBUG, () -> rpc + " stream for " + subject.workload() + " ended", e);
        done = true;
        remove(this);
        if (!observer.isCancelled()) {
          try {
            observer.onError(
                io.grpc.Status.INTERNAL
                    .withDescription(rpc + " stream failed: " + e)
                    .asRuntimeException());
          } catch (RuntimeException ignored) {
            // Already closed.
          }
        }
      }
    }

    synchronized void complete() {
      if (done) {
        return;
      }
      done = true;
      try {
        observer.onCompleted();
      } catch (RuntimeException e) {
        LOG.log(Level.DEBUG, "stream already gone at shutdown", e);
      }
      remove(this);
    }
  }
}
