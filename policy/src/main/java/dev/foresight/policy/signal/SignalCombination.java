package dev.foresight.policy.signal;

import dev.foresight.policy.Proposal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The signals' proposals combined as HPA combines metrics: the maximum over usable proposals.
 *
 * <pre>
 *   recommended            = max(replicas of usable proposals that do not defer)
 *   need                   = max(need of usable proposals that do not defer)
 *   needWithoutTolerance   = max(need if held by tolerance, else replicas)
 * </pre>
 *
 * @param assessments every assessment, in {@link dev.foresight.policy.Signal} order
 * @param usable how many signals were usable (deferring latency included)
 * @param unusable the proposals that could not be used, with why
 * @param hasOpinion whether a usable signal asked for a count (rather than deferring)
 * @param recommended the combined count; 0 when no usable signal has an opinion
 * @param need the combined count the load needs without the tolerance band
 * @param needWithoutTolerance the combined count with tolerance holds replaced by their need
 * @param winner the usable non-deferring assessment with the highest count, first in signal order
 *     on ties
 */
public record SignalCombination(
    List<SignalAssessment> assessments,
    int usable,
    List<Proposal> unusable,
    boolean hasOpinion,
    int recommended,
    int need,
    int needWithoutTolerance,
    Optional<SignalAssessment> winner) {

  public SignalCombination {
    assessments = List.copyOf(assessments);
    unusable = List.copyOf(unusable);
  }

  /** Combines {@code assessments}. */
  public static SignalCombination of(List<SignalAssessment> assessments) {
    int usable = 0;
    List<Proposal> unusable = new ArrayList<>(0);
    int recommended = 0;
    int need = 0;
    int needWithoutTolerance = 0;
    SignalAssessment winner = null;
    for (SignalAssessment a : assessments) {
      if (!a.usable()) {
        unusable.add(a.proposal());
        continue;
      }
      usable++;
      if (a.kind() == SignalAssessment.Kind.DEFERS) {
        continue;
      }
      int replicas = a.proposal().replicas();
      if (winner == null || replicas > recommended) {
        winner = a;
        recommended = replicas;
      }
      need = Math.max(need, a.need());
      needWithoutTolerance =
          Math.max(
              needWithoutTolerance,
              a.kind() == SignalAssessment.Kind.TOLERANCE_HOLD ? a.need() : replicas);
    }
    return new SignalCombination(
        assessments,
        usable,
        unusable,
        winner != null,
        recommended,
        need,
        needWithoutTolerance,
        Optional.ofNullable(winner));
  }

  /** True when the winning proposal is a tolerance hold. */
  public boolean heldByTolerance() {
    return winner.isPresent() && winner.get().kind() == SignalAssessment.Kind.TOLERANCE_HOLD;
  }

  /** The unusable signals and why, e.g. {@code queue MISSING (not delivered)}; empty if none. */
  public String unusableText() {
    StringBuilder sb = new StringBuilder();
    for (Proposal p : unusable) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(p.signal().wireName())
          .append(' ')
          .append(p.status())
          .append(" (")
          .append(p.arithmetic())
          .append(')');
    }
    return sb.toString();
  }
}
