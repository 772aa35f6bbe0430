package dev.foresight.controller;

import java.lang.reflect.Method;

/**
 * Run in a fresh JVM by {@link HttpServerNoDelayTest}: prints, on exit, whether the JDK HTTP
 * server's own configuration has TCP_NODELAY on. With argument {@code main} it behaves like {@code
 * java -jar foresight.jar version}; with {@code late} a JDK HTTP server class loads before {@link
 * Main#main} runs, which is what setting the property anywhere later would amount to.
 */
public final class NoDelayProbe {

  private NoDelayProbe() {}

  public static void main(String[] args) throws Exception {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> System.out.println("jdk-nodelay=" + jdkNoDelay())));
    if ("late".equals(args[0])) {
      jdkNoDelay();
    }
    Main.main(new String[] {"version"});
  }

  /** {@code sun.net.httpserver.ServerConfig.noDelay()}: what every JDK HTTP server uses. */
  static boolean jdkNoDelay() {
    try {
      Method m = Class.forName("sun.net.httpserver.ServerConfig").getDeclaredMethod("noDelay");
      m.setAccessible(true);
      return (boolean) m.invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
