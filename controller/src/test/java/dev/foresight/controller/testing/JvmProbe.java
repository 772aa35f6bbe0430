package dev.foresight.controller.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/** This JVM's heap and threads, for leak checks across repeated faults. */
public final class JvmProbe {

  private JvmProbe() {}

  /** Heap used after full collections: the least of three samples, each after System.gc(). */
  public static long heapAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
      least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
    }
    return least;
  }

  /** Names of live threads, sorted, the test's own ({@code ignored}) left out. */
  public static List<String> liveThreads(Predicate<String> ignored) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(ignored.negate())
        .sorted()
        .toList();
  }

  /** {@code bytes} in MiB with one decimal. */
  public static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }
}
