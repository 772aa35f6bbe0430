package dev.foresight.metricsapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.foresight.metricsapi.ExternalMetricResolver.Answer;
import dev.foresight.metricsapi.selector.InvalidSelectorException;
import dev.foresight.metricsapi.selector.LabelSelector;
import dev.foresight.metricsapi.testing.Decisions;
import dev.foresight.policy.InMemoryDecisionStore;
import dev.foresight.policy.StoredDecision;
import dev.foresight.policy.WorkloadRef;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 10,000 generated label selectors, namespaces and metric names through the selector parser and the
 * resolver, as the server runs them after decoding a request: each ends in items, not-found,
 * unavailable, or an {@link InvalidSelectorException} with a message, never another exception; a
 * bystander's decision is untouched. {@link RequestFuzzIT} sends a sample of the same over HTTPS.
 */
class SelectorFuzzTest {

  private static final long SEED = 0x5EED5E1EC7L;
  private static final Instant DECIDED = Instant.parse("2026-11-23T12:00:00Z");
  private static final WorkloadRef BYSTANDER = WorkloadRef.deployment("bystander", "mistral");

  static Stream<Arguments> batches() {
    SplittableRandom root = new SplittableRandom(SEED);
    return IntStream.range(0, 100).mapToObj(i -> Arguments.of(root.nextLong()));
  }

  static String selector(SplittableRandom r) {
    StringBuilder out = new StringBuilder();
    int parts = r.nextInt(5);
    for (int i = 0; i < parts; i++) {
      out.append(i > 0 ? (r.nextInt(10) == 0 ? ", " : ",") : "");
      out.append(
          r.nextInt(5) == 0
              ? RequestFuzzIT.printable(r, 25)
              : RequestFuzzIT.SELECTOR_PARTS[r.nextInt(RequestFuzzIT.SELECTOR_PARTS.length)]);
    }
    return r.nextInt(20) == 0 ? null : out.toString();
  }

  @ParameterizedTest(name = "batch seed {0}")
  @MethodSource("batches")
  void everySelectorParsesOrIsRejectedWithAMessage(long batchSeed) {
    InMemoryDecisionStore store = new InMemoryDecisionStore();
    store.put(Decisions.typical(WorkloadRef.deployment("serving", "llama"), DECIDED));
    StoredDecision bystander = Decisions.typical(BYSTANDER, DECIDED);
    store.put(bystander);
    ExternalMetricResolver resolver =
        new ExternalMetricResolver(
            store,
            MetricCatalog.standard(),
            () -> DECIDED.plusSeconds(5),
            Duration.ofSeconds(60),
            new ServerStats());
    SplittableRandom batch = new SplittableRandom(batchSeed);
    for (int i = 0; i < 100; i++) {
      long seed = batch.nextLong();
      SplittableRandom r = new SplittableRandom(seed);
      String text = selector(r);
      String namespace =
          r.nextInt(5) == 0
              ? RequestFuzzIT.printable(r, 20)
              : RequestFuzzIT.NAMESPACES[r.nextInt(RequestFuzzIT.NAMESPACES.length)];
      String metric =
          r.nextInt(5) == 0
              ? RequestFuzzIT.printable(r, 30)
              : RequestFuzzIT.METRICS[r.nextInt(RequestFuzzIT.METRICS.length)];
      try {
        Answer answer = resolver.resolve(namespace, metric, LabelSelector.parse(text));
        assertThat(answer).as("case seed %d", seed).isNotNull();
      } catch (InvalidSelectorException e) {
        assertThat(e.getMessage()).as("case seed %d: %s", seed, text).isNotBlank();
      } catch (RuntimeException e) {
        fail("case seed " + seed + ": selector '" + text + "' threw " + e, e);
      }
    }
    assertThat(store.latest(BYSTANDER)).contains(bystander);
  }
}
