package dev.foresight.metricsapi.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Tells whether a set of files changed since the last accepted read, by content: mounted Secrets
 * are swapped through symlinks and file times can be coarse, so contents are compared. The files
 * are small (PEM), so reading them each poll is cheap.
 */
final class WatchedFiles {

  private final List<Path> paths;
  private List<byte[]> accepted = List.of();

  WatchedFiles(List<Path> paths) {
    this.paths = List.copyOf(paths);
  }

  /** The current contents, or null when they equal the last accepted ones. */
  synchronized List<byte[]> changed() throws IOException {
    List<byte[]> now = new ArrayList<>(paths.size());
    for (Path p : paths) {
      now.add(Files.readAllBytes(p));
    }
    if (now.size() == accepted.size()) {
      boolean same = true;
      for (int i = 0; i < now.size() && same; i++) {
        same = Arrays.equals(now.get(i), accepted.get(i));
      }
      if (same) {
        return null;
      }
    }
    return now;
  }

  /** Marks {@code contents} as loaded. */
  synchronized void accept(List<byte[]> contents) {
    accepted = List.copyOf(contents);
  }
}
