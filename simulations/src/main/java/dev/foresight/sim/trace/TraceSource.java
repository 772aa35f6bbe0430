package dev.foresight.sim.trace;

/**
 * A named trace that can be replayed any number of times. Opening it with the same seed yields the
 * same requests in the same order.
 */
public interface TraceSource {
  /** Short name, used in reports (for example {@code azure-conv}). */
  String name();

  /** Span of the trace, seconds from its start; used for progress and charts. */
  double durationSeconds();

  /**
   * Starts a replay.
   *
   * @param seed seed of every random draw the trace makes (generated arrivals, sampled lengths)
   * @throws TraceException when the file is missing or malformed
   */
  ArrivalStream open(long seed);
}
