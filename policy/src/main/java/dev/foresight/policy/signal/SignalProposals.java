package dev.foresight.policy.signal;

import dev.foresight.policy.Observation;
import dev.foresight.policy.PolicySpec;
import dev.foresight.policy.Proposal;
import dev.foresight.policy.Reading;
import dev.foresight.policy.Signal;
import dev.foresight.policy.Signals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns each targeted signal of an observation into a {@link SignalAssessment}: first checks the
 * reading, then applies the signal's {@link SignalRule}.
 *
 * <p>A reading makes no proposal, and says why, when it is: not delivered ({@code MISSING}); NaN
 * ({@code NAN}); infinite ({@code INFINITE}); negative, or a KV-cache usage above 1 ({@code
 * OUT_OF_RANGE}); older than {@code spec.maxSignalAge()} ({@code STALE}). Missing is never read as
 * zero.
 *
 * <p>One exception keeps an idle workload able to scale down: a P95 over zero requests is undefined
 * (Prometheus' {@code histogram_quantile} returns NaN), so a NaN latency or TTFT while the request
 * rate is delivered, fresh and exactly 0 is read as "no latency pressure" and defers.
 */
public final class SignalProposals {

  private SignalProposals() {}

  /** One assessment per targeted signal, in {@link Signal} order. */
  public static List<SignalAssessment> assess(PolicySpec spec, Observation observation) {
    List<SignalAssessment> out = new ArrayList<>(spec.targets().size());
    SignalRule.Scale scale =
        new SignalRule.Scale(
            observation.currentReplicas(), observation.readyReplicas(), spec.tolerance());
    for (Map.Entry<Signal, Double> e : spec.targets().entrySet()) {
      out.add(assess(e.getKey(), e.getValue(), observation.signals(), spec.maxSignalAge(), scale));
    }
    return out;
  }

  /** The assessment of one signal. */
  public static SignalAssessment assess(
      Signal signal,
      double target,
      Signals signals,
      Duration maxSignalAge,
      SignalRule.Scale scale) {
    Reading reading = signals.asMap().get(signal);
    if (reading == null) {
      return unusable(signal, Double.NaN, target, Proposal.Status.MISSING, "not delivered");
    }
    double value = reading.value();
    if (Double.isNaN(value)) {
      if ((signal == Signal.TTFT_P95 || signal == Signal.LATENCY_P95)
          && noRequests(signals, maxSignalAge)) {
        return LatencyRule.defers(
            signal,
            value,
            target,
            "NaN p95 while request_rate is 0/s: no requests, no latency pressure");
      }
      return unusable(signal, value, target, Proposal.Status.NAN, "sample is NaN");
    }
    if (Double.isInfinite(value)) {
      return unusable(
          signal,
          value,
          target,
          Proposal.Status.INFINITE,
          "sample is " + (value > 0 ? "+Inf" : "-Inf"));
    }
    if (value < 0) {
      return unusable(
          signal,
          value,
          target,
          Proposal.Status.OUT_OF_RANGE,
          "sample " + Numbers.text(value) + " is negative, expected 0 or more");
    }
    if (signal == Signal.KV_CACHE && value > 1) {
      return unusable(
          signal,
          value,
          target,
          Proposal.Status.OUT_OF_RANGE,
          "sample " + Numbers.text(value) + " is above 1, expected a fraction in [0, 1]");
    }
    if (reading.age().compareTo(maxSignalAge) > 0) {
      return unusable(
          signal,
          value,
          target,
          Proposal.Status.STALE,
          "sample is "
              + seconds(reading.age())
              + " old, older than maxSignalAge "
              + seconds(maxSignalAge));
    }
    return SignalRule.of(signal).assess(signal, value, target, scale);
  }

  /** True when the request rate was delivered, fresh and exactly 0. */
  private static boolean noRequests(Signals signals, Duration maxSignalAge) {
    Reading rate = signals.asMap().get(Signal.REQUEST_RATE);
    return rate != null && rate.value() == 0.0 && rate.age().compareTo(maxSignalAge) <= 0;
  }

  private static SignalAssessment unusable(
      Signal signal, double value, double target, Proposal.Status status, String why) {
    return new SignalAssessment(
        new Proposal(signal, status, value, target, 0, why), SignalAssessment.Kind.UNUSABLE, 0);
  }

  static String seconds(Duration d) {
    return Numbers.text(d.toNanos() / 1e9) + "s";
  }
}
