package dev.foresight.metricsapi.selector;

/**
 * A label selector that is not valid Kubernetes syntax. The message names the selector, the
 * offending part and what was expected; the server answers it with a 400 {@code Status}.
 */
public final class InvalidSelectorException extends Exception {

  private final String selector;

  public InvalidSelectorException(String selector, String problem) {
    super("invalid labelSelector '" + selector + "': " + problem);
    this.selector = selector;
  }

  /** The selector text as received. */
  public String selector() {
    return selector;
  }
}
