package dev.foresight.metricsapi.security;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The end user the aggregator acts for, from its {@code X-Remote-*} headers.
 *
 * @param name the user name ({@code X-Remote-User})
 * @param groups the groups, one per {@code X-Remote-Group} header, in order
 * @param extra extra attributes from {@code X-Remote-Extra-<key>} headers, keys lower-case
 */
public record UserInfo(String name, List<String> groups, Map<String, List<String>> extra) {

  public UserInfo {
    Objects.requireNonNull(name, "name");
    groups = List.copyOf(groups);
    extra = Map.copyOf(extra);
  }
}
