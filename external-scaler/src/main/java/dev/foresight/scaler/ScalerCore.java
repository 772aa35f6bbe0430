package dev.foresight.scaler;

import dev.foresight.policy.DecisionStore;
import dev.foresight.policy.PolicySpec;
import dev.foresight.policy.WorkloadRef;
import dev.foresight.scaler.proto.GetMetricSpecResponse;
import dev.foresight.scaler.proto.IsActiveResponse;
import dev.foresight.scaler.proto.MetricSpec;
import dev.foresight.scaler.proto.ScaledObjectRef;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything the RPCs answer, computed from memory: which workload a ScaledObject is about (its
 * metadata parsed once per distinct metadata and cached), and what to answer for it from the latest
 * stored decision. No method here waits on Prometheus or Kubernetes.
 */
final class ScalerCore implements AutoCloseable {

  /** The HPA target of every Foresight metric; see {@link #metricSpec(Subject)}. */
  static final long TARGET = 1;

  /** More distinct trigger metadata than this and the parse cache starts over. */
  private static final int MAX_CACHED = 10_000;

  private final DecisionStore store;
  private final WorkloadDirectory directory;
  private final InlinePolicyParser inlineParser;
  private final InlinePolicyRegistry inlineRegistry;
  private final InstantSource clock;
  private final Duration staleAfter;
  private final Map<ScaledObjectRef, ScalerMetadata> parsed = new ConcurrentHashMap<>();

  /** The spec of every inline policy seen, to register again one the registry let go of. */
  private final Map<WorkloadRef, PolicySpec> inlineSpecs = new ConcurrentHashMap<>();

  ScalerCore(
      DecisionStore store,
      InlinePolicyParser inlineParser,
      InlinePolicyRegistry inlineRegistry,
      InstantSource clock,
      Duration staleAfter) {
    this.store = store;
    this.directory = new WorkloadDirectory(store);
    this.inlineParser = inlineParser;
    this.inlineRegistry = inlineRegistry;
    this.clock = clock;
    this.staleAfter = staleAfter;
  }

  DecisionStore store() {
    return store;
  }

  /** Stops following the store. */
  @Override
  public void close() throws Exception {
    directory.close();
  }

  /**
   * The workload {@code ref} is about. An inline policy is handed to the registry the first time
   * its metadata is seen (and again when the metadata changes, since changed metadata is a new
   * cache key).
   *
   * @throws InvalidMetadataException when the metadata is invalid
   * @throws UnknownWorkloadException when a referenced policy is not in the store
   */
  Subject resolve(ScaledObjectRef ref) {
    ScalerMetadata metadata = parsed.get(ref);
    if (metadata == null) {
      metadata =
          ScalerMetadata.parse(
              ref.getNamespace(), ref.getName(), ref.getScalerMetadataMap(), inlineParser);
      if (metadata.source() instanceof ScalerMetadata.InlinePolicy inline) {
        inlineRegistry.register(inline.workload(), inline.spec());
        rememberInline(inline);
      }
      if (parsed.size() >= MAX_CACHED) {
        parsed.clear();
      }
      parsed.put(ref, metadata);
    } else if (metadata.source() instanceof ScalerMetadata.InlinePolicy inline
        && !inlineRegistry.touch(inline.workload())) {
      inlineRegistry.register(inline.workload(), inline.spec());
      rememberInline(inline);
    }
    if (metadata.source() instanceof ScalerMetadata.InlinePolicy inline) {
      return Subject.of(inline.workload());
    }
    String policy = ((ScalerMetadata.PolicyReference) metadata.source()).policy();
    WorkloadRef workload =
        directory
            .find(metadata.namespace(), policy)
            .orElseThrow(() -> new UnknownWorkloadException(ref.getNamespace(), policy));
    return Subject.of(workload);
  }

  /**
   * Keeps an inline policy governed while a stream about it is open: a ScaledObject at zero
   * replicas may be served by its StreamIsActive stream alone.
   */
  void keepGoverned(WorkloadRef workload) {
    PolicySpec spec = inlineSpecs.get(workload);
    if (spec != null && !inlineRegistry.touch(workload)) {
      inlineRegistry.register(workload, spec);
    }
  }

  private void rememberInline(ScalerMetadata.InlinePolicy inline) {
    if (inlineSpecs.size() >= MAX_CACHED) {
      inlineSpecs.clear();
    }
    inlineSpecs.put(inline.workload(), inline.spec());
  }

  /** The answer for {@code subject} now. */
  Answer answer(Subject subject) {
    return Answer.of(store.latest(subject.workload()), clock.instant(), staleAfter);
  }

  /**
   * The one metric of a ScaledObject: its stable name and target 1, in both KEDA fields (KEDA reads
   * {@code targetSizeFloat} when it is above 0, else the deprecated {@code targetSize}).
   */
  GetMetricSpecResponse metricSpec(Subject subject) {
    return GetMetricSpecResponse.newBuilder()
        .addMetricSpecs(
            MetricSpec.newBuilder()
                .setMetricName(subject.metricName())
                .setTargetSize(TARGET)
                .setTargetSizeFloat(TARGET))
        .build();
  }

  IsActiveResponse activity(Subject subject) {
    return IsActiveResponse.newBuilder().setResult(answer(subject).active()).build();
  }
}
