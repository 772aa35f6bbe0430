package dev.foresight.controller.manifests;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Renders a kustomization with the real {@code kubectl kustomize}. */
final class Kustomize {

  /** The oldest kustomize (embedded in kubectl) that knows labels, replacements and patches. */
  static final int MIN_KUSTOMIZE_MAJOR = 5;

  private static final String INSTALL =
      "Install kubectl 1.27 or newer (kustomize v5): https://kubernetes.io/docs/tasks/tools/."
          + " Debian's kubernetes-client (apt-get install kubernetes-client, what .ci/run installs"
          + " when kubectl is absent) is 1.20 with kustomize v2 on Debian 12, too old for these"
          + " kustomizations.";

  private static volatile boolean checked;

  private Kustomize() {}

  /**
   * Fails, saying how to install a suitable one, when kubectl is missing or embeds a kustomize
   * older than v{@value #MIN_KUSTOMIZE_MAJOR}.
   */
  static void requireKustomize() throws IOException, InterruptedException {
    if (checked) {
      return;
    }
    Process p;
    try {
      p =
          new ProcessBuilder("kubectl", "version", "--client", "-o", "json")
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      fail("kubectl is not on the PATH (%s). %s", e.getMessage(), INSTALL);
      return;
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    String version = "";
    try {
      version = Repository.JSON.readTree(out).path("kustomizeVersion").asText("");
    } catch (IOException e) {
      // old kubectl without -o json: reported below
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("^v(\\d+)\\.").matcher(version);
    if (!m.find() || Integer.parseInt(m.group(1)) < MIN_KUSTOMIZE_MAJOR) {
      fail(
          "kubectl embeds kustomize %s; v%d or newer is needed. %s",
          version.isEmpty() ? "of unknown version" : version, MIN_KUSTOMIZE_MAJOR, INSTALL);
    }
    checked = true;
  }

  /**
   * The objects {@code kubectl kustomize dir} renders.
   *
   * <p>Fails (rather than skips) when kubectl is missing: rendering is the one check a user relies
   * on before applying, so an absent tool must not pass silently.
   */
  static List<JsonNode> render(Path dir) throws IOException, InterruptedException {
    requireKustomize();
    Path errors = Files.createTempFile("kustomize", ".err");
    Process p;
    try {
      p =
          new ProcessBuilder("kubectl", "kustomize", dir.toString())
              .redirectError(errors.toFile())
              .start();
    } catch (IOException e) {
      return fail("kubectl is not on the PATH (%s). %s", e.getMessage(), INSTALL);
    }
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return fail("kubectl kustomize %s did not finish within 60 s", dir);
    }
    if (p.exitValue() != 0) {
      return fail(
          "kubectl kustomize %s exited %d: %s", dir, p.exitValue(), Files.readString(errors));
    }
    Files.deleteIfExists(errors);
    return Repository.yamlDocuments(new String(out, StandardCharsets.UTF_8));
  }
}
