package dev.foresight.scaler;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records what a server stream delivers, and waits for it with a timeout (never a sleep). */
final class StreamRecorder<T> implements StreamObserver<T> {

  final BlockingQueue<T> messages = new LinkedBlockingQueue<>();
  final CountDownLatch finished = new CountDownLatch(1);
  volatile Throwable error;
  volatile boolean completed;

  @Override
  public void onNext(T value) {
    messages.add(value);
  }

  @Override
  public void onError(Throwable t) {
    error = t;
    finished.countDown();
  }

  @Override
  public void onCompleted() {
    completed = true;
    finished.countDown();
  }

  /** The next message, failing if none arrives within {@code timeout}. */
  T next(Duration timeout) throws InterruptedException {
    T value = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(value).as("a stream message within %s", timeout).isNotNull();
    return value;
  }

  /** Waits for the stream to end, failing if it does not within {@code timeout}. */
  void awaitEnd(Duration timeout) throws InterruptedException {
    assertThat(finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS))
        .as("stream ended within %s", timeout)
        .isTrue();
  }
}
