package dev.foresight.controller.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A directory laid out as kubelet lays out a mounted Secret, and updated the way kubelet updates it
 * (its {@code AtomicWriter}): the files live in a hidden, timestamped directory; {@code ..data} is
 * a symlink to it; each visible name is a symlink {@code name -> ..data/name}. An update writes a
 * new hidden directory, points a temporary symlink at it and renames that over {@code ..data}, so a
 * reader sees either every old file or every new one, and the visible paths never change.
 */
public final class SecretVolume {

  private static final String DATA = "..data";
  private final Path dir;
  private final AtomicInteger generation = new AtomicInteger();

  private SecretVolume(Path dir) {
    this.dir = dir;
  }

  /** Creates the volume in {@code dir} (created if absent) holding {@code files}. */
  public static SecretVolume create(Path dir, Map<String, String> files) throws IOException {
    Files.createDirectories(dir);
    SecretVolume volume = new SecretVolume(dir);
    volume.swap(files);
    for (String name : files.keySet()) {
      Files.createSymbolicLink(dir.resolve(name), Path.of(DATA, name));
    }
    return volume;
  }

  /** The visible path of {@code name}, as a container sees it. */
  public Path path(String name) {
    return dir.resolve(name);
  }

  /**
   * Replaces every file at once: the kubelet's symlink swap. The names must be those the volume was
   * created with.
   */
  public void swap(Map<String, String> files) throws IOException {
    Path next = dir.resolve("..gen_" + generation.incrementAndGet());
    Files.createDirectory(next);
    for (Map.Entry<String, String> f : files.entrySet()) {
      Files.writeString(next.resolve(f.getKey()), f.getValue());
    }
    Path previous =
        Files.isSymbolicLink(dir.resolve(DATA))
            ? dir.resolve(Files.readSymbolicLink(dir.resolve(DATA)))
            : null;
    Path temporary = dir.resolve("..data_tmp");
    Files.deleteIfExists(temporary);
    Files.createSymbolicLink(temporary, next.getFileName());
    // rename(2) replaces the old symlink in one step.
    Files.move(temporary, dir.resolve(DATA), StandardCopyOption.ATOMIC_MOVE);
    if (previous != null && Files.exists(previous, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> old = Files.walk(previous)) {
        old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * Overwrites one file in place, through its symlink: what a tool writing files one by one does,
   * leaving the set inconsistent until it writes the next one.
   */
  public void overwrite(String name, String content) throws IOException {
    Files.writeString(path(name), content);
  }
}
