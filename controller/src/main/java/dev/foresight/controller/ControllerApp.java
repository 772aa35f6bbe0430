package dev.foresight.controller;

import dev.foresight.controller.config.ControllerConfig;
import java.io.PrintWriter;

/** Builds the controller's parts from a valid configuration and runs them until stopped. */
final class ControllerApp {

  private ControllerApp() {}

  static int runUntilStopped(ControllerConfig config, PrintWriter out, PrintWriter err) {
    err.println("foresight run: the decision loop is not wired into this build yet");
    err.flush();
    return 1;
  }
}
