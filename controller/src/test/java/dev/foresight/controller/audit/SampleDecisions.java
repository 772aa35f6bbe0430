package dev.foresight.controller.audit;

import dev.foresight.controller.metrics.SignalRead;
import dev.foresight.controller.prometheus.PrometheusException;
import dev.foresight.policy.Decision;
import dev.foresight.policy.GpuReading;
import dev.foresight.policy.GuardRailEffect;
import dev.foresight.policy.Limit;
import dev.foresight.policy.Observation;
import dev.foresight.policy.Prediction;
import dev.foresight.policy.Proposal;
import dev.foresight.policy.Reason;
import dev.foresight.policy.Signal;
import dev.foresight.policy.Signals;
import dev.foresight.policy.WorkloadRef;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Hand-built decisions with every part filled, for the audit's tests. */
final class SampleDecisions {

  static final WorkloadRef LLAMA = WorkloadRef.deployment("llm", "vllm-llama");
  static final Instant AT = Instant.parse("2026-11-23T12:00:00Z");

  private SampleDecisions() {}

  static AuditRecord scaleUp(WorkloadRef w, int current, int desired) {
    return record(w, current, desired, Reason.SCALE_UP);
  }

  static AuditRecord record(WorkloadRef w, int current, int desired, Reason reason) {
    Decision d =
        new Decision(
            AT,
            current,
            current,
            desired + 1,
            desired,
            List.of(
                new Proposal(
                    Signal.QUEUE,
                    Proposal.Status.USED,
                    37,
                    4,
                    desired + 1,
                    "ceil(37 waiting / 4 per replica) = 10"),
                new Proposal(
                    Signal.KV_CACHE, Proposal.Status.NAN, Double.NaN, 0.8, 0, "NaN sample skipped"),
                new Proposal(
                    Signal.TTFT_P95, Proposal.Status.MISSING, Double.NaN, 0.5, 0, "not delivered")),
            Optional.of(Signal.QUEUE),
            Optional.of(Limit.MAX_REPLICAS),
            List.of(
                new GuardRailEffect(
                    GuardRailEffect.Rail.TEMPERATURE,
                    GuardRailEffect.Effect.UNHEALTHY_REPLICA,
                    "vllm-llama-a",
                    "91 C > 87 C"),
                new GuardRailEffect(
                    GuardRailEffect.Rail.TEMPERATURE,
                    GuardRailEffect.Effect.UNHEALTHY_REPLICA,
                    "vllm-llama-b",
                    "90 C > 87 C")),
            Optional.of(
                new Prediction(
                    "holt-winters",
                    Duration.ofSeconds(180),
                    12.5,
                    15.0,
                    2.0,
                    8,
                    true,
                    "ceil(15 / 2) = 8")),
            reason,
            "queue asks for " + (desired + 1) + ", capped at max " + desired,
            true);
    Observation o =
        new Observation(
            AT,
            current,
            current,
            Signals.builder().put(Signal.QUEUE, 37).put(Signal.KV_CACHE, Double.NaN).build(),
            List.of(new GpuReading("vllm-llama-a", "GPU-0", 90, 70000, 10000, 91, 0)));
    return new AuditRecord(
        w,
        o,
        d,
        List.of(
            new SignalRead(
                Signal.QUEUE,
                SignalRead.Outcome.OK,
                37,
                Duration.ofSeconds(2),
                Optional.empty(),
                "age 2000 ms"),
            new SignalRead(
                Signal.KV_CACHE,
                SignalRead.Outcome.NAN,
                Double.NaN,
                Duration.ofSeconds(1),
                Optional.empty(),
                "NaN"),
            new SignalRead(
                Signal.TTFT_P95,
                SignalRead.Outcome.FAILED,
                Double.NaN,
                Duration.ZERO,
                Optional.of(PrometheusException.Kind.TIMEOUT),
                "no answer")));
  }
}
