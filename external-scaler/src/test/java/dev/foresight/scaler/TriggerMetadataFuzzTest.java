package dev.foresight.scaler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.policy.InMemoryDecisionStore;
import dev.foresight.policy.PolicySpec;
import dev.foresight.policy.StoredDecision;
import dev.foresight.policy.WorkloadRef;
import dev.foresight.scaler.proto.ExternalScalerGrpc;
import dev.foresight.scaler.proto.GetMetricsRequest;
import dev.foresight.scaler.proto.ScaledObjectRef;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 10,000 generated trigger metadata maps sent through the real gRPC service (in process): every
 * call ends in OK, NOT_FOUND, UNAVAILABLE (no decision yet) or INVALID_ARGUMENT naming a key, never
 * in INTERNAL or UNKNOWN, and the decision of a workload in another namespace is untouched.
 *
 * <p>100 batches of 100 cases; each batch's seed is in its name and each failing case's seed in its
 * message, so a failure is replayed from that seed alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TriggerMetadataFuzzTest {

  private static final long SEED = 0x5EEDCEDAL;
  private static final int BATCHES = 100;
  private static final int CASES_PER_BATCH = 100;
  private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
  private static final WorkloadRef LLAMA = WorkloadRef.deployment("llm", "vllm-llama");
  private static final WorkloadRef BYSTANDER = WorkloadRef.deployment("bystander", "mistral");

  private final InMemoryDecisionStore store = new InMemoryDecisionStore();
  private final Map<WorkloadRef, PolicySpec> inline = new ConcurrentHashMap<>();
  private ScalerServer server;
  private ManagedChannel channel;
  private ExternalScalerGrpc.ExternalScalerBlockingStub stub;
  private StoredDecision bystanderDecision;

  @BeforeAll
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server =
        ScalerServer.builder(
                ScalerServerConfig.builder().shutdownGrace(Duration.ofSeconds(2)).build(), store)
            .clock(new MutableClock(T0))
            .metrics(ScalerMetrics.unregistered())
            .inlinePolicies(inline::put)
            .transport(InProcessServerBuilder.forName(name))
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
    stub = ExternalScalerGrpc.newBlockingStub(channel);
    store.put(Decisions.stored(LLAMA, 3, true, T0));
    bystanderDecision = Decisions.stored(BYSTANDER, 7, true, T0);
    store.put(bystanderDecision);
  }

  @AfterAll
  void stop() {
    channel.shutdownNow();
    server.close();
  }

  static Stream<Arguments> batches() {
    SplittableRandom root = new SplittableRandom(SEED);
    return IntStream.range(0, BATCHES).mapToObj(i -> Arguments.of(root.nextLong()));
  }

  @ParameterizedTest(name = "batch seed {0}")
  @MethodSource("batches")
  void everyMetadataMapEndsInAClearStatus(long batchSeed) {
    SplittableRandom batch = new SplittableRandom(batchSeed);
    for (int i = 0; i < CASES_PER_BATCH; i++) {
      long seed = batch.nextLong();
      SplittableRandom r = new SplittableRandom(seed);
      String namespace = r.nextInt(3) == 0 ? TriggerMetadataGenerator.name(r) : "llm";
      if (namespace.equals(BYSTANDER.namespace())) {
        namespace = "llm";
      }
      Map<String, String> metadata = TriggerMetadataGenerator.metadata(r);
      ScaledObjectRef ref =
          ScaledObjectRef.newBuilder()
              .setNamespace(namespace)
              .setName(TriggerMetadataGenerator.name(r))
              .putAllScalerMetadata(metadata)
              .build();
      int rpc = r.nextInt(3);
      try {
        switch (rpc) {
          case 0 -> stub.withDeadlineAfter(10, TimeUnit.SECONDS).getMetricSpec(ref);
          case 1 -> stub.withDeadlineAfter(10, TimeUnit.SECONDS).isActive(ref);
          default ->
              stub.withDeadlineAfter(10, TimeUnit.SECONDS)
                  .getMetrics(
                      GetMetricsRequest.newBuilder()
                          .setScaledObjectRef(ref)
                          .setMetricName(TriggerMetadataGenerator.text(r, 40))
                          .build());
        }
      } catch (StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        String description = String.valueOf(e.getStatus().getDescription());
        assertThat(code)
            .as("case seed %d, rpc %d, metadata %s: %s", seed, rpc, metadata, description)
            .isIn(Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND, Status.Code.UNAVAILABLE);
        if (code == Status.Code.INVALID_ARGUMENT) {
          assertThat(namesAKey(description, metadata))
              .as("case seed %d: INVALID_ARGUMENT names a key: %s", seed, description)
              .isTrue();
        }
      }
    }
    assertThat(store.latest(BYSTANDER)).contains(bystanderDecision);
    assertThat(inline.keySet()).noneMatch(w -> w.namespace().equals(BYSTANDER.namespace()));
    assertThat(
            stub.getMetrics(
                    GetMetricsRequest.newBuilder()
                        .setScaledObjectRef(
                            ScaledObjectRef.newBuilder()
                                .setNamespace(BYSTANDER.namespace())
                                .setName("mistral-so")
                                .putScalerMetadata("policy", BYSTANDER.policy()))
                        .setMetricName(MetricNames.of(BYSTANDER))
                        .build())
                .getMetricValues(0)
                .getMetricValue())
        .isEqualTo(7);
  }

  /** True when one of the problems is about a key the request carried or a field of its ref. */
  private static boolean namesAKey(String description, Map<String, String> metadata) {
    if (description.contains("scaledObjectRef.") || description.contains("metricName")) {
      return true;
    }
    if (description.contains("  - policy: ")) {
      return true; // the missing-policy problem names the key to add
    }
    return metadata.keySet().stream()
        .map(key -> key.endsWith("FromEnv") ? key.substring(0, key.length() - 7) : key)
        .anyMatch(
            key ->
                description.contains("  - " + key + ": ")
                    || description.contains("  - " + key + "FromEnv: ")
                    || description.contains("  - " + key + "["));
  }
}
