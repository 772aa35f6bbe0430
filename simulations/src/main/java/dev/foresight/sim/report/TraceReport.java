package dev.foresight.sim.report;

import dev.foresight.sim.Simulation;
import java.util.List;

/**
 * The runs of every policy on one trace.
 *
 * @param trace trace name
 * @param durationSeconds span of the trace, seconds
 * @param runs one result per policy, in the order they ran
 */
public record TraceReport(String trace, double durationSeconds, List<Simulation.Result> runs) {
  public TraceReport {
    runs = List.copyOf(runs);
  }
}
