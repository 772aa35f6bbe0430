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
import dev.foresight.scaler.proto.GetMetricsRequest;
import dev.foresight.scaler.proto.GetMetricsResponse;
import dev.foresight.scaler.proto.ScaledObjectRef;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The server's work for one GetMetrics call without the network: metadata lookup, workload
 * resolution, decision read, response build, serialization, through an in-process gRPC transport
 * with a direct executor (so the figure is CPU time on the calling thread).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AnswerPathBenchmark {

  @Param({"1000"})
  public int workloads;

  private ScalerServer server;
  private ManagedChannel channel;
  private ExternalScalerGrpc.ExternalScalerBlockingStub stub;
  private GetMetricsRequest[] requests;
  private int next;

  @Setup(Level.Trial)
  public void start() throws Exception {
    PolicySpec spec = PolicySpec.builder().target(Signal.QUEUE, 4).build();
    InMemoryDecisionStore store = new InMemoryDecisionStore();
    requests = new GetMetricsRequest[workloads];
    for (int i = 0; i < workloads; i++) {
      WorkloadRef workload = WorkloadRef.deployment("llm", "model-" + i);
      Decision decision =
          new Decision(
              Instant.now(),
              3,
              3,
              3,
              3,
              List.of(),
              Optional.empty(),
              Optional.empty(),
              List.of(),
              Optional.empty(),
              Reason.STEADY,
              "steady",
              true);
      store.put(new StoredDecision(workload, decision, spec));
      requests[i] =
          GetMetricsRequest.newBuilder()
              .setScaledObjectRef(
                  ScaledObjectRef.newBuilder()
                      .setNamespace("llm")
                      .setName("model-" + i)
                      .putScalerMetadata("scalerAddress", "foresight.foresight-system:9090")
                      .putScalerMetadata("policy", "model-" + i))
              .setMetricName("foresight-llm-model-" + i)
              .build();
    }
    String name = InProcessServerBuilder.generateName();
    server =
        ScalerServer.builder(ScalerServerConfig.builder().build(), store)
            .transport(InProcessServerBuilder.forName(name).directExecutor())
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    stub = ExternalScalerGrpc.newBlockingStub(channel);
  }

  @TearDown(Level.Trial)
  public void stop() {
    channel.shutdownNow();
    server.close();
  }

  @Benchmark
  public GetMetricsResponse getMetrics() {
    GetMetricsRequest request = requests[next];
    next = next + 1 == requests.length ? 0 : next + 1;
    return stub.getMetrics(request);
  }
}
