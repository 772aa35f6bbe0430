package dev.foresight.controller.prometheus;

import dev.foresight.controller.metrics.SignalQuery;
import dev.foresight.controller.metrics.SignalRead;
import dev.foresight.policy.Signal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/**
 * One Prometheus request that answers one signal for several workloads ({@link #members}). It runs
 * once on the batch executor; {@link #done} completes when its answer, or its failure, is in.
 *
 * <p>A failure fails every member's signal with its kind (audited as such by the loop), except a
 * {@link PrometheusException.Kind#BAD_QUERY}: then each member runs its own query, so that one
 * broken selector fails only its own workload.
 */
abstract class BatchedRequest {

  final List<SignalQuery> members;
  final CompletableFuture<Void> done = new CompletableFuture<>();
  private volatile Future<?> running;
  // Written before done completes, read after: done's completion publishes it.
  private PrometheusException failure;

  BatchedRequest(List<SignalQuery> members) {
    this.members = List.copyOf(members);
  }

  /** The PromQL of the request. */
  abstract String expression();

  /** Takes the request's answer apart for the members; runs before {@link #done} completes. */
  abstract void accept(QueryResult result);

  /** One member's signal from the accepted answer. */
  abstract SignalRead answer(
      Signal signal,
      SignalQuery query,
      Instant at,
      Duration maxAge,
      PrometheusMetricsSource source);

  final void start(PromQl prometheus, Instant at, ExecutorService executor) {
    try {
      running = executor.submit(() -> fetch(prometheus, at));
    } catch (RejectedExecutionException e) {
      failure =
          new PrometheusException(
              PrometheusException.Kind.INTERRUPTED, "the loop is shutting down", e);
      done.complete(null);
    }
  }

  final void stop() {
    Future<?> f = running;
    if (f != null && !done.isDone()) {
      f.cancel(true);
    }
  }

  private void fetch(PromQl prometheus, Instant at) {
    try {
      accept(prometheus.instant(expression(), at));
    } catch (PrometheusException e) {
      failure = e;
    } catch (RuntimeException e) {
      failure =
          new PrometheusException(PrometheusException.Kind.BAD_RESPONSE, String.valueOf(e), e);
    } finally {
      done.complete(null);
    }
  }

  /** The member's signal; call only once {@link #done} has completed. */
  final SignalRead read(
      Signal signal,
      SignalQuery query,
      Instant at,
      Duration maxAge,
      PrometheusMetricsSource source) {
    if (failure != null) {
      return failure.kind() == PrometheusException.Kind.BAD_QUERY
          ? source.readSignal(signal, query, at, maxAge)
          : SampleRules.failed(signal, failure);
    }
    return answer(signal, query, at, maxAge, source);
  }
}
