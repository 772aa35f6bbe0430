package dev.foresight.scaler.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.foresight.scaler.proto.ExternalScalerGrpc;
import dev.foresight.scaler.proto.GetMetricsResponse;
import dev.foresight.scaler.proto.IsActiveResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * KEDA's per-evaluation pair (GetMetrics, then IsActive when it returns, as KEDA's external scaler
 * does) sent open loop: pair {@code k} is due at {@code start + k / rate} whatever the previous
 * pairs do, and its latency counts from that due time, so a stalled server shows up as latency
 * instead of a slower client (no coordinated omission).
 *
 * <p>Latencies (nanoseconds) go to HdrHistogram recorders that {@link #interval()} drains, so a
 * long run can report each interval while it goes on. A call that fails or misses its deadline is
 * an error. A pair due while {@code maxInFlight} pairs are unanswered is shed (not sent, counted):
 * an overloaded server then sees a bounded queue instead of an ever-growing one that would also
 * fill the client's heap.
 */
public final class OpenLoopPairs {

  /** One interval's figures: latencies since the previous {@link #interval()} and counts. */
  public record Interval(
      Histogram getMetrics,
      Histogram isActive,
      Histogram pair,
      long completed,
      long errors,
      long shed) {}

  private final ExternalScalerGrpc.ExternalScalerFutureStub stub;
  private final KedaRequests requests;
  private final Duration deadline;
  private final long maxInFlight;
  private final Recorder getMetrics = new Recorder(3);
  private final Recorder isActive = new Recorder(3);
  private final Recorder pair = new Recorder(3);
  private final LongAdder completed = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder shed = new LongAdder();
  private final AtomicLong outstanding = new AtomicLong();
  private volatile boolean stopped;

  /**
   * @param stub the stub to call (its channel decides plaintext, TLS or mTLS)
   * @param requests the ScaledObjects, called round robin
   * @param deadline each call's deadline; a call past it is an error
   * @param maxInFlight unanswered pairs beyond which a due pair is shed
   */
  public OpenLoopPairs(
      ExternalScalerGrpc.ExternalScalerFutureStub stub,
      KedaRequests requests,
      Duration deadline,
      long maxInFlight) {
    this.stub = stub;
    this.requests = requests;
    this.deadline = deadline;
    this.maxInFlight = maxInFlight;
  }

  /**
   * Sends {@code rate} pairs a second for {@code duration} (or until {@link #stop()}) from the
   * calling thread, without waiting for the answers.
   */
  public void run(int rate, Duration duration) {
    long total = rate * duration.toSeconds();
    long intervalNanos = 1_000_000_000L / rate;
    long start = System.nanoTime();
    for (long k = 0; k < total && !stopped; k++) {
      long due = start + k * intervalNanos;
      long wait = due - System.nanoTime();
      if (wait > 20_000) {
        LockSupport.parkNanos(wait);
      }
      if (outstanding.get() >= maxInFlight) {
        shed.increment();
      } else {
        send((int) (k % requests.size()), due);
      }
    }
  }

  /** Ends {@link #run} at its next pair. */
  public void stop() {
    stopped = true;
  }

  /** Waits up to {@code timeout} for the pairs in flight; returns how many are still unanswered. */
  public long awaitOutstanding(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (outstanding.get() > 0 && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    return outstanding.get();
  }

  /** The latencies and counts since the previous call. */
  public Interval interval() {
    return new Interval(
        getMetrics.getIntervalHistogram(),
        isActive.getIntervalHistogram(),
        pair.getIntervalHistogram(),
        completed.sumThenReset(),
        errors.sumThenReset(),
        shed.sumThenReset());
  }

  private void send(int w, long due) {
    outstanding.incrementAndGet();
    when(
        withDeadline().getMetrics(requests.getMetrics()[w]),
        (GetMetricsResponse metrics) -> {
          long afterMetrics = System.nanoTime();
          getMetrics.recordValue(afterMetrics - due);
          when(
              withDeadline().isActive(requests.refs()[w]),
              (IsActiveResponse active) -> {
                long end = System.nanoTime();
                isActive.recordValue(end - afterMetrics);
                pair.recordValue(end - due);
                completed.increment();
                outstanding.decrementAndGet();
              });
        });
  }

  private ExternalScalerGrpc.ExternalScalerFutureStub withDeadline() {
    return stub.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Runs {@code then} on the answer, on the thread that completes it; a failure is an error. */
  private <T> void when(ListenableFuture<T> call, java.util.function.Consumer<T> then) {
    Futures.addCallback(
        call,
        new FutureCallback<T>() {
          @Override
          public void onSuccess(T answer) {
            then.accept(answer);
          }

          @Override
          public void onFailure(Throwable t) {
            errors.increment();
            outstanding.decrementAndGet();
          }
        },
        MoreExecutors.directExecutor());
  }
}
