package dev.foresight.sim.bench;

import dev.foresight.sim.Simulation;
import dev.foresight.sim.SimulationConfig;
import dev.foresight.sim.policy.PolicyEnvironment;
import dev.foresight.sim.policy.PolicyRegistry;
import dev.foresight.sim.trace.SyntheticTrace;
import dev.foresight.sim.trace.TraceSource;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of simulating one request: a 20-minute trace at a steady 40 req/s (48,000 requests, about 5
 * replicas busy) replayed end to end, reported per request. Covers arrival generation, dispatch,
 * the engine's prefill and decode events, scrapes and policy evaluations.
 *
 * <pre>
 * ./mvnw -q -pl simulations -am test-compile dependency:build-classpath \
 *   -Dmdep.includeScope=test -Dmdep.outputFile=target/test-cp.txt
 * java -cp simulations/target/test-classes:simulations/target/classes:$(cat simulations/target/test-cp.txt) \
 *   org.openjdk.jmh.Main SimulationBenchmark -f 1 -wi 3 -i 5
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(1)
public class SimulationBenchmark {
  static final int REQUESTS = 48_000;

  @Param({"keda-queue", "foresight-reactive"})
  public String policy;

  private final SimulationConfig config = SimulationConfig.defaults();
  private final TraceSource trace = new SyntheticTrace("steady", 1200, 40, t -> 40);

  @Benchmark
  @OperationsPerInvocation(REQUESTS)
  public long perRequest() {
    Simulation.Result r =
        new Simulation(config)
            .run(
                trace,
                policy,
                PolicyRegistry.standard().create(policy, new PolicyEnvironment(config, trace)),
                null);
    return r.summary().requests();
  }
}
