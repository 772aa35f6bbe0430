package dev.foresight.policy.bench;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs JMH from {@code mvn exec:java}. JMH forks benchmark JVMs with the class path of this JVM
 * ({@code java.class.path}), which under exec:java is Maven's own; this sets it to the class path
 * that loaded the benchmarks, then hands the arguments to {@link org.openjdk.jmh.Main}.
 *
 * <pre>
 * ./mvnw -q -pl policy test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.foresight.policy.bench.Benchmarks \
 *   -Dexec.args="ForecasterBenchmark -f 1 -wi 3 -i 5"
 * </pre>
 */
public final class Benchmarks {

  private Benchmarks() {}

  public static void main(String[] args) throws Exception {
    List<String> entries = new ArrayList<>();
    for (ClassLoader loader = Benchmarks.class.getClassLoader();
        loader != null;
        loader = loader.getParent()) {
      if (loader instanceof URLClassLoader urls) {
        for (URL url : urls.getURLs()) {
          entries.add(path(url));
        }
      }
    }
    if (!entries.isEmpty()) {
      System.setProperty("java.class.path", String.join(File.pathSeparator, entries));
    }
    org.openjdk.jmh.Main.main(args);
  }

  private static String path(URL url) throws URISyntaxException {
    return Path.of(url.toURI()).toString();
  }
}
