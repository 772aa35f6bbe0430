package dev.foresight.controller;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Starts {@code foresight run} in this JVM from its command-line flags (no environment), and hands
 * back the running controller instead of blocking until it is stopped.
 */
public final class ControllerFromFlags {

  private ControllerFromFlags() {}

  /**
   * Parses and validates {@code flags} as {@code foresight run} does, then starts the controller.
   *
   * @throws IllegalArgumentException with the command's own message when the flags are invalid
   */
  public static ControllerApp start(String... flags) {
    AtomicReference<ControllerApp> started = new AtomicReference<>();
    StringWriter err = new StringWriter();
    int code =
        RunCommand.commandLine(
                Map.of(),
                (config, out, e) -> {
                  started.set(ControllerApp.start(config));
                  return 0;
                })
            .setErr(new PrintWriter(err, true))
            .execute(flags);
    if (code != 0 || started.get() == null) {
      throw new IllegalArgumentException("foresight run exited with " + code + ": " + err);
    }
    return started.get();
  }
}
