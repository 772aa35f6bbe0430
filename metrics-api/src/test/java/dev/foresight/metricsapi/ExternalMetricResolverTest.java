package dev.foresight.metricsapi;

import static dev.foresight.metricsapi.testing.Decisions.stored;
import static dev.foresight.metricsapi.testing.Decisions.typical;
import static dev.foresight.metricsapi.testing.Decisions.unusable;
import static dev.foresight.metricsapi.testing.Decisions.used;
import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.metricsapi.ExternalMetricResolver.Answer;
import dev.foresight.metricsapi.kube.KubeObjects.ExternalMetricValue;
import dev.foresight.metricsapi.selector.InvalidSelectorException;
import dev.foresight.metricsapi.selector.LabelSelector;
import dev.foresight.policy.InMemoryDecisionStore;
import dev.foresight.policy.Proposal;
import dev.foresight.policy.Signal;
import dev.foresight.policy.WorkloadRef;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ExternalMetricResolverTest {

  private static final Instant DECIDED = Instant.parse("2026-11-23T12:00:00.750Z");
  private static final WorkloadRef LLAMA = WorkloadRef.deployment("serving", "llama");
  private static final WorkloadRef MISTRAL = WorkloadRef.deployment("serving", "mistral");
  private static final WorkloadRef OTHER_NS = WorkloadRef.deployment("batch", "llama");

  private final InMemoryDecisionStore store = new InMemoryDecisionStore();
  private final ServerStats stats = new ServerStats();
  private Instant now = DECIDED.plusSeconds(5);
  private ExternalMetricResolver resolver;

  @BeforeEach
  void setUp() {
    InstantSource clock = () -> now;
    resolver =
        new ExternalMetricResolver(
            store, MetricCatalog.standard(), clock, Duration.ofSeconds(60), stats);
    store.put(typical(LLAMA, DECIDED));
    store.put(
        stored(
            MISTRAL,
            DECIDED,
            2,
            List.of(
                used(Signal.QUEUE, 2, 4, 1),
                unusable(Signal.KV_CACHE, Proposal.Status.STALE, 0.8))));
    store.put(typical(OTHER_NS, DECIDED));
  }

  private Answer resolve(String ns, String metric, String selector) {
    try {
      return resolver.resolve(ns, metric, LabelSelector.parse(selector));
    } catch (InvalidSelectorException e) {
      throw new AssertionError(e);
    }
  }

  static Stream<Arguments> values() {
    return Stream.of(
        Arguments.of("desired replicas", "foresight_desired_replicas", "policy=llama", "10"),
        Arguments.of(
            "by deployment label", "foresight_desired_replicas", "deployment=mistral", "2"),
        Arguments.of("queue signal value", "foresight_signal_queue", "policy=llama", "37"),
        Arguments.of(
            "kv-cache value in milli", "foresight_signal_kv_cache", "policy=llama", "735m"),
        Arguments.of("queue proposal", "foresight_proposal_queue", "policy=llama", "10"),
        Arguments.of("kv-cache proposal", "foresight_proposal_kv_cache", "policy=llama", "3"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("values")
  void servesOneItemPerMatchedWorkload(String name, String metric, String selector, String value) {
    Answer a = resolve("serving", metric, selector);
    assertThat(a).isInstanceOf(Answer.Items.class);
    List<ExternalMetricValue> items = ((Answer.Items) a).list().items();
    assertThat(items).hasSize(1);
    ExternalMetricValue v = items.get(0);
    assertThat(v.metricName()).isEqualTo(metric);
    assertThat(v.value()).isEqualTo(value);
    assertThat(v.timestamp()).isEqualTo("2026-11-23T12:00:00Z");
    assertThat(v.windowSeconds()).isNull();
  }

  @Test
  void labelsAreTheWorkloadLabelsAndTheNamespaceComesFromThePath() {
    Answer a = resolve("batch", "foresight_desired_replicas", "");
    List<ExternalMetricValue> items = ((Answer.Items) a).list().items();
    assertThat(items).hasSize(1);
    assertThat(items.get(0).metricLabels())
        .containsExactlyInAnyOrderEntriesOf(Map.of("policy", "llama", "deployment", "llama"));
  }

  @Test
  void severalMatchesAreAllServedInPolicyOrder() {
    Answer a = resolve("serving", "foresight_desired_replicas", "policy in (mistral,llama)");
    assertThat(((Answer.Items) a).list().items())
        .extracting(ExternalMetricValue::value)
        .containsExactly("10", "2");
  }

  static Stream<Arguments> notFound() {
    return Stream.of(
        Arguments.of("unknown metric", "serving", "foresight_nonsense", ""),
        Arguments.of("no workload matches", "serving", "foresight_desired_replicas", "policy=nope"),
        Arguments.of("empty namespace", "empty", "foresight_desired_replicas", ""),
        Arguments.of(
            "signal without a target", "serving", "foresight_signal_ttft_p95", "policy=llama"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notFound")
  void notFoundIsNeverAnEmptyList(String name, String ns, String metric, String selector) {
    assertThat(resolve(ns, metric, selector)).isInstanceOf(Answer.NotFound.class);
  }

  @Test
  void aWorkloadWithoutAValueFailsTheWholeRequestSoThatHpaHolds() {
    // Mistral's KV-cache signal is stale: serving only Llama's would under-count the sum.
    Answer a = resolve("serving", "foresight_signal_kv_cache", "");
    assertThat(a).isInstanceOf(Answer.Unavailable.class);
    assertThat(((Answer.Unavailable) a).message()).contains("serving/mistral").contains("STALE");
    assertThat(resolve("serving", "foresight_proposal_kv_cache", ""))
        .isInstanceOf(Answer.Unavailable.class);
  }

  @Test
  void aStaleOrOutOfRangeSignalIsNotServedEvenWithAFiniteValue() {
    WorkloadRef w = WorkloadRef.deployment("odd", "w");
    store.put(
        stored(
            w,
            DECIDED,
            3,
            List.of(
                new Proposal(Signal.QUEUE, Proposal.Status.STALE, 1, 4, 1, "stale"),
                new Proposal(Signal.KV_CACHE, Proposal.Status.OUT_OF_RANGE, -0.5, 0.8, 0, "neg"))));
    assertThat(resolve("odd", "foresight_signal_queue", "")).isInstanceOf(Answer.Unavailable.class);
    assertThat(resolve("odd", "foresight_signal_kv_cache", ""))
        .isInstanceOf(Answer.Unavailable.class);
    assertThat(resolve("odd", "foresight_desired_replicas", "")).isInstanceOf(Answer.Items.class);
  }

  @Test
  void aKnownWorkloadWithoutADecisionYetIsUnavailable() {
    store.register(WorkloadRef.deployment("fresh", "new"));
    assertThat(resolve("fresh", "foresight_desired_replicas", ""))
        .isInstanceOf(Answer.Unavailable.class);
  }

  @Test
  void aNewWorkloadIsFoundOnceTheIndexIsRefreshed() {
    assertThat(resolve("later", "foresight_desired_replicas", ""))
        .isInstanceOf(Answer.NotFound.class);
    store.put(typical(WorkloadRef.deployment("later", "new"), DECIDED));
    now = now.plus(ExternalMetricResolver.INDEX_REFRESH).minusMillis(1);
    assertThat(resolve("later", "foresight_desired_replicas", ""))
        .as("within the refresh interval")
        .isInstanceOf(Answer.NotFound.class);
    now = now.plusMillis(1);
    assertThat(resolve("later", "foresight_desired_replicas", "")).isInstanceOf(Answer.Items.class);
  }

  @Test
  void aRemovedWorkloadIsNeverServedFromTheIndex() {
    resolve("serving", "foresight_desired_replicas", "");
    store.remove(MISTRAL);
    // Still indexed for up to a second, but its decision is read live: unavailable, never stale.
    assertThat(resolve("serving", "foresight_desired_replicas", "policy=mistral"))
        .isInstanceOf(Answer.Unavailable.class);
    now = now.plus(ExternalMetricResolver.INDEX_REFRESH);
    assertThat(resolve("serving", "foresight_desired_replicas", "policy=mistral"))
        .isInstanceOf(Answer.NotFound.class);
  }

  @Test
  void staleDecisionsAreServedAndCounted() {
    now = DECIDED.plusSeconds(61);
    Answer a = resolve("serving", "foresight_desired_replicas", "");
    assertThat(((Answer.Items) a).list().items()).hasSize(2);
    assertThat(((Answer.Items) a).stale()).isEqualTo(2);
    assertThat(((Answer.Items) a).list().items().get(0).timestamp())
        .isEqualTo("2026-11-23T12:00:00Z");
    assertThat(stats.staleServed()).isEqualTo(2);

    now = DECIDED.plusSeconds(59);
    resolve("serving", "foresight_desired_replicas", "");
    assertThat(stats.staleServed()).as("fresh decisions are not counted").isEqualTo(2);
  }

  @Test
  void catalogOffersDesiredReplicasThenEverySignalAndProposal() {
    List<String> names = MetricCatalog.standard().names();
    assertThat(names.get(0)).isEqualTo("foresight_desired_replicas");
    assertThat(names).hasSize(1 + 2 * Signal.values().length);
    for (Signal s : Signal.values()) {
      assertThat(names)
          .contains("foresight_signal_" + s.wireName(), "foresight_proposal_" + s.wireName());
    }
  }
}
