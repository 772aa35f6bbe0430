package dev.foresight.scaler.bench;

import dev.foresight.scaler.proto.ExternalScalerGrpc;
import dev.foresight.scaler.proto.IsActiveResponse;
import dev.foresight.scaler.proto.ScaledObjectRef;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Open StreamIsActive streams, as KEDA keeps one per ScaledObject. Counts the messages received,
 * the streams that failed or ended while they should stay open, and tells which streams have been
 * silent for longer than the server's repeat period allows.
 */
public final class StreamIsActiveStreams implements AutoCloseable {

  private final ClientCallStreamObserver<?>[] calls;
  private final AtomicLongArray lastMessageNanos;
  private final LongAdder messages = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private volatile boolean closing;

  private StreamIsActiveStreams(int count) {
    calls = new ClientCallStreamObserver<?>[count];
    lastMessageNanos = new AtomicLongArray(count);
  }

  /** Opens {@code count} streams on {@code stub}, round robin over {@code refs}. */
  public static StreamIsActiveStreams open(
      ExternalScalerGrpc.ExternalScalerStub stub, ScaledObjectRef[] refs, int count) {
    StreamIsActiveStreams streams = new StreamIsActiveStreams(count);
    long now = System.nanoTime();
    for (int i = 0; i < count; i++) {
      streams.lastMessageNanos.set(i, now);
      stub.streamIsActive(refs[i % refs.length], streams.observer(i));
    }
    return streams;
  }

  private ClientResponseObserver<ScaledObjectRef, IsActiveResponse> observer(int i) {
    return new ClientResponseObserver<>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<ScaledObjectRef> call) {
        calls[i] = call;
      }

      @Override
      public void onNext(IsActiveResponse value) {
        lastMessageNanos.set(i, System.nanoTime());
        messages.increment();
      }

      @Override
      public void onError(Throwable t) {
        if (!closing) {
          errors.increment();
        }
      }

      @Override
      public void onCompleted() {
        if (!closing) {
          errors.increment(); // the server must keep the stream open
        }
      }
    };
  }

  /** Messages received since the previous call. */
  public long takeMessages() {
    return messages.sumThenReset();
  }

  /** Streams that failed or ended since the previous call. */
  public long takeErrors() {
    return errors.sumThenReset();
  }

  /** How many streams received nothing for longer than {@code limit}. */
  public int silentLongerThan(Duration limit) {
    long now = System.nanoTime();
    int silent = 0;
    for (int i = 0; i < lastMessageNanos.length(); i++) {
      if (now - lastMessageNanos.get(i) > limit.toNanos()) {
        silent++;
      }
    }
    return silent;
  }

  /** Cancels every stream; what follows is not counted as an error. */
  @Override
  public void close() {
    closing = true;
    for (ClientCallStreamObserver<?> call : calls) {
      if (call != null) {
        call.cancel("load finished", null);
      }
    }
  }
}
