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

  private Kustomize() {}

  /**
   * The objects {@code kubectl kustomize dir} renders.
   *
   * <p>Fails (rather than skips) when kubectl is missing: rendering is the one check a user relies
   * on before applying, so an absent tool must not pass silently.
   */
  static List<JsonNode> render(Path dir) throws IOException, InterruptedException {
    Path errors = Files.createTempFile("kustomize", ".err");
    Process p;
    try {
      p =
          new ProcessBuilder("kubectl", "kustomize", dir.toString())
              .redirectError(errors.toFile())
              .start();
    } catch (IOException e) {
      return fail(
          "kubectl is not on the PATH (%s). Install it: apt-get install kubernetes-client"
              + " (Debian; .ci/run does this), or see https://kubernetes.io/docs/tasks/tools/",
          e.getMessage());
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
