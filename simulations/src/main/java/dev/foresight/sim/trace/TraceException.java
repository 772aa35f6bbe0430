package dev.foresight.sim.trace;

import java.util.OptionalLong;

/**
 * A trace file is missing, unreadable or malformed. The message names the file and, when the
 * problem is in its content, the line (1-based, the header is line 1).
 */
public final class TraceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final long line;

  private TraceException(String file, long line, String message, Throwable cause) {
    super(message, cause);
    this.file = file;
    this.line = line;
  }

  /** A problem with the content of {@code file} at {@code line}. */
  public static TraceException malformed(String file, long line, String what) {
    return new TraceException(file, line, file + ":" + line + ": " + what, null);
  }

  /** {@code file} cannot be found or read. */
  public static TraceException unreadable(String file, String what, Throwable cause) {
    return new TraceException(file, 0, file + ": " + what, cause);
  }

  /** The file the problem is in. */
  public String file() {
    return file;
  }

  /** The 1-based line of the problem, empty when the file as a whole is the problem. */
  public OptionalLong line() {
    return line > 0 ? OptionalLong.of(line) : OptionalLong.empty();
  }
}
