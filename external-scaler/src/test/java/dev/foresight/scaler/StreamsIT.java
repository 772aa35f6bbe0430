package dev.foresight.scaler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.policy.InMemoryDecisionStore;
import dev.foresight.policy.WorkloadRef;
import dev.foresight.scaler.proto.ExternalScalerGrpc;
import dev.foresight.scaler.proto.IsActiveResponse;
import dev.foresight.scaler.proto.ScaledObjectRef;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** StreamIsActive over real Netty on loopback: many streams, pushes, shutdown and reconnection. */
class StreamsIT {

  private static final int STREAMS = 1_000;

  private final InMemoryDecisionStore store = new InMemoryDecisionStore();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private ScalerServer server;

  @AfterEach
  void stop() {
    channels.forEach(ManagedChannel::shutdownNow);
    if (server != null) {
      server.close();
    }
  }

  private void start(int port) throws IOException {
    server =
        ScalerServer.builder(
                ScalerServerConfig.builder()
                    .host("127.0.0.1")
                    .port(port)
                    .shutdownGrace(Duration.ofSeconds(2))
                    .build(),
                store)
            .start();
  }

  private ExternalScalerGrpc.ExternalScalerStub client() {
    ManagedChannel channel =
        Grpc.newChannelBuilderForAddress(
                "127.0.0.1", server.port(), InsecureChannelCredentials.create())
            .build();
    channels.add(channel);
    return ExternalScalerGrpc.newStub(channel);
  }

  private static WorkloadRef workload(int i) {
    return WorkloadRef.deployment("llm", "model-" + i);
  }

  private static ScaledObjectRef ref(int i) {
    return ScaledObjectRef.newBuilder()
        .setNamespace("llm")
        .setName("model-" + i)
        .putScalerMetadata("policy", "model-" + i)
        .build();
  }

  /** Counts down {@code opened} on the first message and {@code changed} on the first false. */
  private static final class Watcher implements StreamObserver<IsActiveResponse> {
    private final CountDownLatch opened;
    private final CountDownLatch changed;
    private final AtomicInteger failures;
    private boolean sawOpen;
    private boolean sawChange;

    Watcher(CountDownLatch opened, CountDownLatch changed, AtomicInteger failures) {
      this.opened = opened;
      this.changed = changed;
      this.failures = failures;
    }

    @Override
    public void onNext(IsActiveResponse value) {
      if (!sawOpen) {
        sawOpen = true;
        opened.countDown();
      } else if (!value.getResult() && !sawChange) {
        sawChange = true;
        changed.countDown();
      }
    }

    @Override
    public void onError(Throwable t) {
      failures.incrementAndGet();
    }

    @Override
    public void onCompleted() {}
  }

  @Test
  void thousandConcurrentStreamsEachGetTheCurrentStateAndTheirChange() throws Exception {
    Instant now = Instant.now();
    for (int i = 0; i < STREAMS; i++) {
      store.put(Decisions.stored(workload(i), 2, true, now));
    }
    start(0);
    ExternalScalerGrpc.ExternalScalerStub stub = client();
    CountDownLatch opened = new CountDownLatch(STREAMS);
    CountDownLatch changed = new CountDownLatch(STREAMS);
    AtomicInteger failures = new AtomicInteger();

    for (int i = 0; i < STREAMS; i++) {
      stub.streamIsActive(ref(i), new Watcher(opened, changed, failures));
    }
    assertThat(opened.await(30, TimeUnit.SECONDS))
        .as("every stream got its first message")
        .isTrue();
    assertThat(server.openStreams()).isEqualTo(STREAMS);

    for (int i = 0; i < STREAMS; i++) {
      store.put(Decisions.stored(workload(i), 0, false, now));
    }

    assertThat(changed.await(10, TimeUnit.SECONDS)).as("every stream got its change").isTrue();
    assertThat(failures).hasValue(0);
  }

  @Test
  void shutdownEndsStreamsCleanlyAndAReconnectGetsTheCurrentState() throws Exception {
    store.put(Decisions.stored(workload(1), 2, true, Instant.now()));
    start(0);
    int port = server.port();
    StreamRecorder<IsActiveResponse> before = new StreamRecorder<>();
    client().streamIsActive(ref(1), before);
    assertThat(before.next(Duration.ofSeconds(5)).getResult()).isTrue();

    server.close();
    before.awaitEnd(Duration.ofSeconds(5));
    assertThat(before.completed).as("completed normally, not failed: %s", before.error).isTrue();

    store.put(Decisions.stored(workload(1), 0, false, Instant.now())); // changed while down
    start(port);
    StreamRecorder<IsActiveResponse> after = new StreamRecorder<>();
    client().streamIsActive(ref(1), after);
    assertThat(after.next(Duration.ofSeconds(5)).getResult()).isFalse();
  }
}
