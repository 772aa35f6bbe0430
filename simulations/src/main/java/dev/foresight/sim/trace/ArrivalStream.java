package dev.foresight.sim.trace;

import dev.foresight.sim.Request;
import java.io.Closeable;

/**
 * Requests in arrival order, produced one at a time so that a long trace is never held in memory.
 */
public interface ArrivalStream extends Closeable {
  /** The next request, or {@code null} when the trace has ended. */
  Request next();

  /** Closes the underlying file, if any. Never throws. */
  @Override
  default void close() {}
}
