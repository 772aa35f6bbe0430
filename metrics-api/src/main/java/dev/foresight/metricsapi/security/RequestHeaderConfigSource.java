package dev.foresight.metricsapi.security;

import java.util.function.Supplier;

/** Where the request-header configuration comes from; refreshed periodically by the server. */
public interface RequestHeaderConfigSource extends Supplier<RequestHeaderConfig> {

  /**
   * Re-reads the source; on failure keeps the previous configuration and logs why.
   *
   * @return true when the configuration changed
   */
  boolean refresh();
}
