package dev.foresight.metricsapi.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.foresight.metricsapi.ExternalMetricResolver;
import dev.foresight.metricsapi.MetricCatalog;
import dev.foresight.metricsapi.ServerStats;
import dev.foresight.metricsapi.selector.InvalidSelectorException;
import dev.foresight.metricsapi.selector.LabelSelector;
import dev.foresight.metricsapi.testing.Decisions;
import dev.foresight.policy.InMemoryDecisionStore;
import dev.foresight.policy.WorkloadRef;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The work one metric request does past TLS and HTTP parsing: parse the selector, resolve it
 * against the decision store, and write the JSON answer.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MetricRequestBenchmark {

  @Param({"10", "1000"})
  public int workloads;

  private ExternalMetricResolver resolver;
  private final ObjectMapper json = new ObjectMapper();
  private String selector;

  @Setup
  public void setUp() {
    InMemoryDecisionStore store = new InMemoryDecisionStore();
    for (int i = 0; i < workloads; i++) {
      store.put(Decisions.typical(WorkloadRef.deployment("serving", "w" + i), Instant.now()));
    }
    resolver =
        new ExternalMetricResolver(
            store,
            MetricCatalog.standard(),
            Clock.systemUTC(),
            Duration.ofMinutes(5),
            new ServerStats());
    selector = "deployment=w" + (workloads / 2) + ",policy in (w" + (workloads / 2) + ")";
  }

  @Benchmark
  public byte[] desiredReplicas() throws InvalidSelectorException, IOException {
    ExternalMetricResolver.Answer a =
        resolver.resolve("serving", "foresight_desired_replicas", LabelSelector.parse(selector));
    return json.writeValueAsBytes(((ExternalMetricResolver.Answer.Items) a).list());
  }

  @Benchmark
  public LabelSelector parseSelector() throws InvalidSelectorException {
    return LabelSelector.parse(selector);
  }
}
