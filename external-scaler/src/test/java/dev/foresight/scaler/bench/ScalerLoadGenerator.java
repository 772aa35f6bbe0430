package dev.foresight.scaler.bench;

import dev.foresight.policy.Decision;
import dev.foresight.policy.InMemoryDecisionStore;
import dev.foresight.policy.PolicySpec;
import dev.foresight.policy.Reason;
import dev.foresight.policy.Signal;
import dev.foresight.policy.StoredDecision;
import dev.foresight.policy.WorkloadRef;
import dev.foresight.scaler.ScalerServer;
import dev.foresight.scaler.ScalerServerConfig;
import dev.foresight.scaler.proto.ExternalScalerGrpc;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Load generator for the KEDA external scaler on loopback (not a test: run it by hand).
 *
 * <p>Phase 1, unary: an open-loop client issues KEDA's per-evaluation pair (GetMetrics, then
 * IsActive when it returns, as KEDA's external scaler does) at a fixed rate over one HTTP/2
 * connection, against {@code workloads} ScaledObjects, while a writer thread stores 100 new
 * decisions a second as the controller would. Latency is measured from each pair's scheduled start
 * (so a stall is not hidden by the client waiting: no coordinated omission) into HdrHistograms.
 *
 * <p>Phase 2, streams: opens {@code streams} StreamIsActive streams, then for the phase's duration
 * keeps changing decisions (activity flips push messages) with a 1 s heartbeat, sampling the heap
 * used after a full GC every 5 s.
 *
 * <p>Arguments (all optional, {@code key=value}): {@code rate} pairs per second (default 5000),
 * {@code warmup} seconds (10), {@code seconds} measured (30), {@code workloads} (1000), {@code
 * streams} (1000), {@code streamSeconds} (30), {@code closedLoop} (0; when above 0, that many
 * callers in a closed loop replace the open-loop rate).
 */
public final class ScalerLoadGenerator {

  private static final PolicySpec SPEC =
      PolicySpec.builder().target(Signal.QUEUE, 4).minReplicas(0).maxReplicas(100).build();

  private ScalerLoadGenerator() {}

  public static void main(String[] args) throws Exception {
    int rate = intArg(args, "rate", 5000);
    int warmup = intArg(args, "warmup", 10);
    int seconds = intArg(args, "seconds", 30);
    int workloads = intArg(args, "workloads", 1000);
    int streams = intArg(args, "streams", 1000);
    int streamSeconds = intArg(args, "streamSeconds", 30);
    int closedLoop = intArg(args, "closedLoop", 0);

    InMemoryDecisionStore store = new InMemoryDecisionStore();
    for (int i = 0; i < workloads; i++) {
      store.put(decision(i, 1 + i % 20, true));
    }
    ScalerServer server =
        ScalerServer.builder(
                ScalerServerConfig.builder()
                    .host("127.0.0.1")
                    .port(0)
                    .activityRepeat(Duration.ofSeconds(1))
                    .build(),
                store)
            .start();
    ManagedChannel channel =
        Grpc.newChannelBuilderForAddress(
                "127.0.0.1", server.port(), InsecureChannelCredentials.create())
            .directExecutor()
            .build();
    ExternalScalerGrpc.ExternalScalerFutureStub stub = ExternalScalerGrpc.newFutureStub(channel);
    KedaRequests requests =
        KedaRequests.forPolicies(
            "llm", IntStream.range(0, workloads).mapToObj(i -> "model-" + i).toList());

    Thread writer = new Thread(() -> writeDecisions(store, workloads, 100), "controller");
    writer.setDaemon(true);
    writer.start();

    System.out.printf(
        "unary: %d pairs/s (%d requests/s), %d workloads, warm-up %d s, measured %d s, %d cores%n",
        rate, 2 * rate, workloads, warmup, seconds, Runtime.getRuntime().availableProcessors());
    if (seconds > 0 && closedLoop > 0) {
      System.out.printf(
          "closed loop: %d callers, each sending its next pair when one returns%n", closedLoop);
      closed(ExternalScalerGrpc.newBlockingStub(channel), requests, closedLoop, warmup);
      closed(ExternalScalerGrpc.newBlockingStub(channel), requests, closedLoop, seconds)
          .print(seconds);
    } else if (seconds > 0) {
      drive(stub, requests, rate, warmup);
      drive(stub, requests, rate, seconds).print(seconds);
    }

    streamPhase(channel, requests, streams, streamSeconds);

    writer.interrupt();
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
  }

  private record Result(
      Histogram getMetrics,
      Histogram isActive,
      Histogram pair,
      long errors,
      long unfinished,
      long completed) {
    void print(int seconds) {
      System.out.printf(
          "completed %d pairs in %d s = %.0f pairs/s (%.0f requests/s), errors %d, unfinished %d%n",
          completed,
          seconds,
          completed / (double) seconds,
          2 * completed / (double) seconds,
          errors,
          unfinished);
      line("GetMetrics", getMetrics);
      line("IsActive", isActive);
      line("pair", pair);
    }

    private static void line(String name, Histogram h) {
      System.out.printf(
          "%-10s p50 %7.3f ms  p99 %7.3f ms  p999 %7.3f ms  max %7.3f ms  (n=%d)%n",
          name,
          h.getValueAtPercentile(50) / 1e6,
          h.getValueAtPercentile(99) / 1e6,
          h.getValueAtPercentile(99.9) / 1e6,
          h.getMaxValue() / 1e6,
          h.getTotalCount());
    }
  }

  /** Open loop: pair k is due at start + k / rate; latencies count from the due time. */
  private static Result drive(
      ExternalScalerGrpc.ExternalScalerFutureStub stub,
      KedaRequests requests,
      int rate,
      int seconds)
      throws InterruptedException {
    OpenLoopPairs pairs = new OpenLoopPairs(stub, requests, Duration.ofSeconds(30), Long.MAX_VALUE);
    pairs.run(rate, Duration.ofSeconds(seconds));
    long unfinished = pairs.awaitOutstanding(Duration.ofSeconds(30));
    OpenLoopPairs.Interval done = pairs.interval();
    return new Result(
        done.getMetrics(),
        done.isActive(),
        done.pair(),
        done.errors(),
        unfinished,
        done.completed());
  }

  /**
   * Closed loop: {@code callers} threads each send a pair as soon as the previous one returned;
   * shows the throughput the machine sustains and the latency without a queue in front.
   */
  private static Result closed(
      ExternalScalerGrpc.ExternalScalerBlockingStub stub,
      KedaRequests requests,
      int callers,
      int seconds)
      throws InterruptedException {
    Recorder getMetrics = new Recorder(3);
    Recorder isActive = new Recorder(3);
    Recorder pair = new Recorder(3);
    AtomicLong errors = new AtomicLong();
    AtomicLong completed = new AtomicLong();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    Thread[] threads = new Thread[callers];
    for (int c = 0; c < callers; c++) {
      int first = c;
      threads[c] =
          new Thread(
              () -> {
                for (int k = first; System.nanoTime() < end; k += callers) {
                  int w = k % requests.size();
                  long start = System.nanoTime();
                  try {
                    stub.getMetrics(requests.getMetrics()[w]);
                    long mid = System.nanoTime();
                    stub.isActive(requests.refs()[w]);
                    long done = System.nanoTime();
                    getMetrics.recordValue(mid - start);
                    isActive.recordValue(done - mid);
                    pair.recordValue(done - start);
                    completed.incrementAndGet();
                  } catch (RuntimeException e) {
                    errors.incrementAndGet();
                  }
                }
              },
              "caller-" + c);
      threads[c].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    return new Result(
        getMetrics.getIntervalHistogram(),
        isActive.getIntervalHistogram(),
        pair.getIntervalHistogram(),
        errors.get(),
        0,
        completed.get());
  }

  private static void streamPhase(
      ManagedChannel channel, KedaRequests requests, int streams, int seconds)
      throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long before = heapAfterGc(memory);
    long messages = 0;
    long errors = 0;
    try (StreamIsActiveStreams open =
        StreamIsActiveStreams.open(ExternalScalerGrpc.newStub(channel), requests.refs(), streams)) {
      System.out.printf(
          "streams: %d StreamIsActive streams, 1 s heartbeat, activity flips on 100 decisions/s, %d s%n",
          streams, seconds);
      System.out.printf("heap after GC before opening streams: %.1f MiB%n", before / 1048576.0);
      for (int t = 5; t <= seconds; t += 5) {
        Thread.sleep(5000);
        messages += open.takeMessages();
        errors += open.takeErrors();
        System.out.printf(
            "t=%3d s heap after GC %.1f MiB, messages received %d, stream errors %d%n",
            t, heapAfterGc(memory) / 1048576.0, messages, errors);
      }
    }
  }

  private static long heapAfterGc(MemoryMXBean memory) {
    System.gc();
    System.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  /** Stores {@code perSecond} decisions a second on random workloads, flipping some activity. */
  private static void writeDecisions(InMemoryDecisionStore store, int workloads, int perSecond) {
    long interval = 1_000_000_000L / perSecond;
    while (!Thread.currentThread().isInterrupted()) {
      int i = ThreadLocalRandom.current().nextInt(workloads);
      boolean active = ThreadLocalRandom.current().nextInt(10) != 0;
      store.put(decision(i, active ? 1 + ThreadLocalRandom.current().nextInt(20) : 0, active));
      LockSupport.parkNanos(interval);
    }
  }

  private static StoredDecision decision(int i, int desired, boolean active) {
    Decision decision =
        new Decision(
            Instant.now(),
            desired,
            desired,
            desired,
            desired,
            List.of(),
            Optional.empty(),
            Optional.empty(),
            List.of(),
            Optional.empty(),
            Reason.STEADY,
            "load generator",
            active);
    return new StoredDecision(WorkloadRef.deployment("llm", "model-" + i), decision, SPEC);
  }

  private static int intArg(String[] args, String key, int fallback) {
    for (String arg : args) {
      if (arg.startsWith(key + "=")) {
        return Integer.parseInt(arg.substring(key.length() + 1));
      }
    }
    return fallback;
  }
}
