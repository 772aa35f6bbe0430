package dev.foresight.scaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import dev.foresight.policy.DecisionStore;
import dev.foresight.policy.InMemoryDecisionStore;
import dev.foresight.policy.PolicySpec;
import dev.foresight.policy.StoredDecision;
import dev.foresight.policy.WorkloadRef;
import dev.foresight.scaler.proto.ExternalScalerGrpc;
import dev.foresight.scaler.proto.GetMetricSpecResponse;
import dev.foresight.scaler.proto.GetMetricsRequest;
import dev.foresight.scaler.proto.GetMetricsResponse;
import dev.foresight.scaler.proto.IsActiveResponse;
import dev.foresight.scaler.proto.MetricSpec;
import dev.foresight.scaler.proto.MetricValue;
import dev.foresight.scaler.proto.ScaledObjectRef;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every RPC through a real gRPC server and stub, in process. */
class ExternalScalerServiceTest {

  private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
  private static final Duration STALE_AFTER = Duration.ofMinutes(2);
  private static final Duration PUSH_DEADLINE = Duration.ofSeconds(1);
  private static final WorkloadRef LLAMA = WorkloadRef.deployment("llm", "vllm-llama");

  private final InMemoryDecisionStore store = new InMemoryDecisionStore();
  private final MutableClock clock = new MutableClock(T0);
  private final ScalerMetrics metrics = ScalerMetrics.unregistered();
  private final Map<WorkloadRef, PolicySpec> inlineRegistered = new ConcurrentHashMap<>();

  /** Governs what is registered, until a test lets it go as an idle registry would. */
  private final InlinePolicyRegistry registry =
      new InlinePolicyRegistry() {
        @Override
        public void register(WorkloadRef workload, PolicySpec spec) {
          inlineRegistered.put(workload, spec);
        }

        @Override
        public boolean touch(WorkloadRef workload) {
          return inlineRegistered.containsKey(workload);
        }
      };

  private ScalerServer server;
  private ManagedChannel channel;
  private ExternalScalerGrpc.ExternalScalerBlockingStub blocking;
  private ExternalScalerGrpc.ExternalScalerStub async;

  @BeforeEach
  void start() throws Exception {
    startWith(store, Duration.ofSeconds(30));
  }

  private void startWith(DecisionStore decisions, Duration repeat) throws Exception {
    String name = InProcessServerBuilder.generateName();
    ScalerServerConfig config =
        ScalerServerConfig.builder()
            .staleAfter(STALE_AFTER)
            .activityRepeat(repeat)
            .shutdownGrace(Duration.ofSeconds(2))
            .build();
    server =
        ScalerServer.builder(config, decisions)
            .clock(clock)
            .metrics(metrics)
            .inlinePolicies(registry)
            .transport(InProcessServerBuilder.forName(name))
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
    blocking = ExternalScalerGrpc.newBlockingStub(channel);
    async = ExternalScalerGrpc.newStub(channel);
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.close();
  }

  private static ScaledObjectRef ref(Map<String, String> metadata) {
    return ScaledObjectRef.newBuilder()
        .setNamespace("llm")
        .setName("vllm-llama-so")
        .putAllScalerMetadata(metadata)
        .putScalerMetadata("scalerAddress", "foresight.foresight-system:9090")
        .build();
  }

  private static ScaledObjectRef llama() {
    return ref(Map.of("policy", "vllm-llama"));
  }

  private static GetMetricsRequest metricsOf(ScaledObjectRef ref) {
    return GetMetricsRequest.newBuilder()
        .setScaledObjectRef(ref)
        .setMetricName("foresight-llm-vllm-llama")
        .build();
  }

  private void decide(int desired, boolean active) {
    store.put(Decisions.stored(LLAMA, desired, active, clock.instant()));
  }

  @Test
  void metricSpecIsOneStableMetricWithTargetOneInBothFields() {
    store.register(LLAMA);

    GetMetricSpecResponse spec = blocking.getMetricSpec(llama());

    assertThat(spec.getMetricSpecsList())
        .containsExactly(
            MetricSpec.newBuilder()
                .setMetricName("foresight-llm-vllm-llama")
                .setTargetSize(1)
                .setTargetSizeFloat(1.0)
                .build());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 3, 17, 250})
  void metricsAreTheDesiredReplicasInBothFields(int desired) {
    decide(desired, true);

    GetMetricsResponse response = blocking.getMetrics(metricsOf(llama()));

    assertThat(response.getMetricValuesList())
        .containsExactly(
            MetricValue.newBuilder()
                .setMetricName("foresight-llm-vllm-llama")
                .setMetricValue(desired)
                .setMetricValueFloat(desired)
                .build());
    assertThat(metrics.requests("GetMetrics", "ok")).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 7, 10, 11, 99, 100, 101, 1000})
  void hpaAverageValueArithmeticYieldsExactlyTheDesiredCount(int desired) {
    decide(desired, true);

    double target = blocking.getMetricSpec(llama()).getMetricSpecs(0).getTargetSizeFloat();
    double value = blocking.getMetrics(metricsOf(llama())).getMetricValues(0).getMetricValueFloat();

    // HPA, External metric with an AverageValue target: replicas = ceil(total / target per pod).
    assertThat((int) Math.ceil(value / target)).isEqualTo(desired);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void isActiveAnswersTheDecisionsActiveFlag(boolean active) {
    decide(active ? 2 : 0, active);

    assertThat(blocking.isActive(llama()).getResult()).isEqualTo(active);
  }

  @Test
  void withoutADecisionIsActiveIsTrueAndGetMetricsIsUnavailableNeverZero() {
    store.register(LLAMA);

    assertThat(blocking.isActive(llama()).getResult()).isTrue();
    assertThatThrownBy(() -> blocking.getMetrics(metricsOf(llama())))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(e.getStatus().getDescription())
                  .contains("no Foresight decision yet for llm/vllm-llama");
            });
    assertThat(metrics.requests("GetMetrics", "no_decision")).isEqualTo(1);
    assertThat(metrics.requests("IsActive", "no_decision")).isEqualTo(1);
  }

  @Test
  void staleDecisionIsStillAnsweredAndCounted() {
    decide(5, true);
    clock.advance(STALE_AFTER.plusSeconds(1));

    assertThat(blocking.getMetrics(metricsOf(llama())).getMetricValues(0).getMetricValue())
        .isEqualTo(5);
    assertThat(blocking.isActive(llama()).getResult()).isTrue();
    assertThat(metrics.requests("GetMetrics", "stale")).isEqualTo(1);
    assertThat(metrics.requests("IsActive", "stale")).isEqualTo(1);
    assertThat(metrics.requests("GetMetrics", "ok")).isZero();
  }

  @Test
  void staleInactiveDecisionIsActiveSoThatStaleDataNeverKeepsAWorkloadAtZero() {
    decide(0, false);
    assertThat(blocking.isActive(llama()).getResult()).isFalse();

    clock.advance(STALE_AFTER.plusSeconds(1));

    assertThat(blocking.isActive(llama()).getResult()).isTrue();
  }

  @Test
  void policyPointedAtAnotherTargetIsFollowedOnItsNextDecision() {
    decide(3, true);
    assertThat(blocking.getMetrics(metricsOf(llama())).getMetricValues(0).getMetricValue())
        .isEqualTo(3);

    WorkloadRef moved = new WorkloadRef("llm", "vllm-llama", "StatefulSet", "vllm-llama-v2");
    store.remove(LLAMA);
    store.put(Decisions.stored(moved, 7, true, clock.instant()));

    assertThat(blocking.getMetrics(metricsOf(llama())).getMetricValues(0).getMetricValue())
        .isEqualTo(7);
  }

  @Test
  void unknownPolicyIsNotFoundWithAMessage() {
    assertThatThrownBy(() -> blocking.getMetrics(metricsOf(ref(Map.of("policy", "nope")))))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(e.getStatus().getDescription())
                  .contains("no Foresight policy 'nope' in namespace 'llm'");
            });
    assertThat(metrics.requests("GetMetrics", "not_found")).isEqualTo(1);
  }

  @Test
  void policyRegisteredAfterStartIsFoundOnItsFirstRequest() {
    assertThatThrownBy(() -> blocking.isActive(llama())).isInstanceOf(StatusRuntimeException.class);
    decide(3, true);

    assertThat(blocking.getMetrics(metricsOf(llama())).getMetricValues(0).getMetricValue())
        .isEqualTo(3);
  }

  @Test
  void metricOfAnotherNameIsNotFound() {
    decide(3, true);
    GetMetricsRequest request =
        GetMetricsRequest.newBuilder().setScaledObjectRef(llama()).setMetricName("queue").build();

    assertThatThrownBy(() -> blocking.getMetrics(request))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(e.getStatus().getDescription())
                  .contains("'queue'", "'foresight-llm-vllm-llama'");
            });
  }

  static Stream<Arguments> rpcsWithBadMetadata() {
    Map<String, String> bad = Map.of("policy", "Bad_Name", "targetKind", "StatefulSet");
    return Stream.of(
        argumentSet(
            "IsActive", (Consumer<ExternalScalerServiceTest>) t -> t.blocking.isActive(ref(bad))),
        argumentSet(
            "GetMetricSpec",
            (Consumer<ExternalScalerServiceTest>) t -> t.blocking.getMetricSpec(ref(bad))),
        argumentSet(
            "GetMetrics",
            (Consumer<ExternalScalerServiceTest>) t -> t.blocking.getMetrics(metricsOf(ref(bad)))),
        argumentSet(
            "StreamIsActive",
            (Consumer<ExternalScalerServiceTest>) t -> t.blocking.streamIsActive(ref(bad)).next()),
        argumentSet(
            "StreamMetricSpec",
            (Consumer<ExternalScalerServiceTest>)
                t -> t.blocking.streamMetricSpec(ref(bad)).next()));
  }

  @ParameterizedTest
  @MethodSource("rpcsWithBadMetadata")
  void badMetadataIsOneInvalidArgumentListingEveryProblem(
      Consumer<ExternalScalerServiceTest> call) {
    assertThatThrownBy(() -> call.accept(this))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription())
                  .contains("llm/vllm-llama-so", "2 problems")
                  .contains(
                      "policy: got 'Bad_Name', expected the name of a Foresight ScalingPolicy")
                  .contains("targetKind: got 'StatefulSet'");
            });
  }

  @Test
  void inlinePolicyIsHandedToTheRegistryOnceAndAnsweredFromTheStore() {
    ScaledObjectRef inline = ref(Map.of("target.queue", "4", "targetName", "vllm-llama"));
    WorkloadRef workload = new WorkloadRef("llm", "vllm-llama-so", "Deployment", "vllm-llama");

    assertThat(blocking.isActive(inline).getResult()).isTrue();
    assertThat(inlineRegistered).containsOnlyKeys(workload);
    store.put(Decisions.stored(workload, 6, true, clock.instant()));

    GetMetricsRequest request =
        GetMetricsRequest.newBuilder()
            .setScaledObjectRef(inline)
            .setMetricName("foresight-llm-vllm-llama-so")
            .build();
    assertThat(blocking.getMetrics(request).getMetricValues(0).getMetricValue()).isEqualTo(6);
    assertThat(inlineRegistered.get(workload).targets()).hasSize(1);
  }

  @Test
  void anInlinePolicyTheRegistryLetGoIsRegisteredAgainOnTheNextRequest() {
    ScaledObjectRef inline = ref(Map.of("target.queue", "4", "targetName", "vllm-llama"));
    WorkloadRef workload = new WorkloadRef("llm", "vllm-llama-so", "Deployment", "vllm-llama");
    blocking.isActive(inline);
    inlineRegistered.clear(); // idle for too long: no longer governed

    blocking.isActive(inline);

    assertThat(inlineRegistered).containsOnlyKeys(workload);
  }

  @Test
  void anOpenStreamKeepsItsInlinePolicyGoverned() throws Exception {
    stop();
    startWith(store, Duration.ofMillis(100));
    ScaledObjectRef inline = ref(Map.of("target.queue", "4", "targetName", "vllm-llama"));
    WorkloadRef workload = new WorkloadRef("llm", "vllm-llama-so", "Deployment", "vllm-llama");
    StreamRecorder<IsActiveResponse> stream = new StreamRecorder<>();
    async.streamIsActive(inline, stream);
    stream.next(PUSH_DEADLINE);
    inlineRegistered.clear(); // no unary request comes: the stream alone must bring it back

    stream.next(Duration.ofSeconds(2)); // a heartbeat went by
    stream.next(Duration.ofSeconds(2));

    assertThat(inlineRegistered).containsOnlyKeys(workload);
  }

  @Test
  void unexpectedFailureIsInternalNeverUnknown() throws Exception {
    stop();
    DecisionStore broken =
        new DecisionStore() {
          @Override
          public Optional<StoredDecision> latest(WorkloadRef workload) {
            throw new IllegalStateException("store corrupted");
          }

          @Override
          public Collection<WorkloadRef> workloads() {
            return List.of(LLAMA);
          }

          @Override
          public AutoCloseable subscribe(Consumer<StoredDecision> listener) {
            return () -> {};
          }
        };
    startWith(broken, Duration.ofSeconds(30));

    assertThatThrownBy(() -> blocking.getMetrics(metricsOf(llama())))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
              assertThat(e.getStatus().getDescription()).contains("store corrupted");
            });
    assertThat(metrics.requests("GetMetrics", "internal")).isEqualTo(1);
    // The server keeps serving.
    assertThat(blocking.getMetricSpec(llama()).getMetricSpecsCount()).isEqualTo(1);
  }

  @Test
  void healthServiceReportsServing() {
    HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);

    for (String service : List.of("", "externalscaler.ExternalScaler")) {
      assertThat(
              health.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus())
          .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }
  }

  @Test
  void streamIsActiveSendsTheCurrentStateAtOnceAndPushesAChangeWithinOneSecond() throws Exception {
    decide(2, true);
    StreamRecorder<IsActiveResponse> stream = new StreamRecorder<>();
    async.streamIsActive(llama(), stream);

    assertThat(stream.next(PUSH_DEADLINE).getResult()).isTrue();
    decide(0, false);
    assertThat(stream.next(PUSH_DEADLINE).getResult()).isFalse();
    decide(1, true);
    assertThat(stream.next(PUSH_DEADLINE).getResult()).isTrue();
  }

  @Test
  void streamIsActiveSendsNothingWhenActivityDoesNotChange() throws Exception {
    decide(2, true);
    StreamRecorder<IsActiveResponse> stream = new StreamRecorder<>();
    async.streamIsActive(llama(), stream);
    stream.next(PUSH_DEADLINE);

    decide(3, true);
    decide(4, true);
    decide(0, false); // the only change of activity

    assertThat(stream.next(PUSH_DEADLINE).getResult()).isFalse();
    assertThat(stream.messages).isEmpty();
  }

  @Test
  void streamIsActiveRepeatsTheCurrentStatePeriodically() throws Exception {
    stop();
    startWith(store, Duration.ofMillis(100));
    decide(2, true);
    StreamRecorder<IsActiveResponse> stream = new StreamRecorder<>();
    async.streamIsActive(llama(), stream);

    for (int i = 0; i < 4; i++) {
      assertThat(stream.next(Duration.ofSeconds(2)).getResult()).isTrue();
    }
  }

  @Test
  void reconnectingStreamGetsTheCurrentState() throws Exception {
    decide(2, true);
    StreamRecorder<IsActiveResponse> first = new StreamRecorder<>();
    io.grpc.Context.CancellableContext context = io.grpc.Context.current().withCancellation();
    context.run(() -> async.streamIsActive(llama(), first));
    assertThat(first.next(PUSH_DEADLINE).getResult()).isTrue();
    context.cancel(null);
    first.awaitEnd(PUSH_DEADLINE);

    decide(0, false); // changes while nobody listens
    StreamRecorder<IsActiveResponse> second = new StreamRecorder<>();
    async.streamIsActive(llama(), second);

    assertThat(second.next(PUSH_DEADLINE).getResult()).isFalse();
  }

  @Test
  void cancelledStreamsAreForgotten() throws Exception {
    decide(2, true);
    io.grpc.Context.CancellableContext context = io.grpc.Context.current().withCancellation();
    StreamRecorder<IsActiveResponse> stream = new StreamRecorder<>();
    context.run(() -> async.streamIsActive(llama(), stream));
    stream.next(PUSH_DEADLINE);
    assertThat(server.openStreams()).isEqualTo(1);

    context.cancel(null);

    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (server.openStreams() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(10); // polls for the cancellation to reach the server
    }
    assertThat(server.openStreams()).isZero();
    assertThat(metrics.openStreams("StreamIsActive")).isZero();
  }

  @Test
  void streamMetricSpecSendsTheSameSpecAsGetMetricSpecWhenOpened() throws Exception {
    decide(2, true);
    StreamRecorder<GetMetricSpecResponse> stream = new StreamRecorder<>();
    async.streamMetricSpec(llama(), stream);

    assertThat(stream.next(PUSH_DEADLINE)).isEqualTo(blocking.getMetricSpec(llama()));
    decide(9, false); // a new decision does not change the spec: nothing is pushed
    decide(1, true);
    assertThat(blocking.isActive(llama()).getResult()).isTrue();
    assertThat(stream.messages).isEmpty();
  }

  @Test
  void shutdownCompletesOpenStreamsNormally() throws Exception {
    decide(2, true);
    StreamRecorder<IsActiveResponse> activity = new StreamRecorder<>();
    StreamRecorder<GetMetricSpecResponse> spec = new StreamRecorder<>();
    async.streamIsActive(llama(), activity);
    async.streamMetricSpec(llama(), spec);
    activity.next(PUSH_DEADLINE);
    spec.next(PUSH_DEADLINE);

    server.close();

    activity.awaitEnd(Duration.ofSeconds(5));
    spec.awaitEnd(Duration.ofSeconds(5));
    assertThat(activity.completed).as("activity stream completed, not failed").isTrue();
    assertThat(spec.completed).as("spec stream completed, not failed").isTrue();
  }
}
