package dev.foresight.controller.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The base and both overlays render with {@code kubectl kustomize} into a consistent install. */
class KustomizeRenderTest {

  static final String NS = "foresight-system";

  /** Objects that must stay outside foresight-system, by kind/name, and why. */
  static final Set<String> ELSEWHERE =
      Set.of(
          // Reads kube-system/extension-apiserver-authentication: a RoleBinding must live there.
          "RoleBinding/foresight-metrics-api-auth-reader");

  @Test
  void baseRendersEveryPartIntoForesightSystem() throws Exception {
    List<JsonNode> docs = Kustomize.render(Repository.manifests().resolve("base"));
    Set<String> kinds = new HashSet<>();
    docs.forEach(d -> kinds.add(d.path("kind").asText()));
    assertThat(kinds)
        .contains(
            "Namespace",
            "CustomResourceDefinition",
            "ServiceAccount",
            "ClusterRole",
            "ClusterRoleBinding",
            "Role",
            "RoleBinding",
            "Deployment",
            "PodDisruptionBudget",
            "Service",
            "APIService",
            "ServiceMonitor",
            "PrometheusRule",
            "ConfigMap");
    for (JsonNode d : docs) {
      String id = d.path("kind").asText() + "/" + d.path("metadata").path("name").asText();
      String ns = d.path("metadata").path("namespace").asText("");
      if (!ns.isEmpty() && !ELSEWHERE.contains(id)) {
        assertThat(ns).as("namespace of %s", id).isEqualTo(NS);
      }
      for (JsonNode s : d.path("subjects")) {
        if (!"foresight-controller".equals(s.path("name").asText())) {
          continue; // e.g. the HPA controller's account in kube-system
        }
        assertThat(s.path("namespace").asText())
            .as("subject %s of %s", s.path("name").asText(), id)
            .isEqualTo(NS);
      }
    }
    JsonNode apiService = Repository.one(docs, "APIService", "v1beta1.external.metrics.k8s.io");
    JsonNode target = apiService.path("spec").path("service");
    Repository.one(docs, "Service", target.path("name").asText());
    assertThat(target.path("namespace").asText()).isEqualTo(NS);
    JsonNode dashboard = Repository.one(docs, "ConfigMap", "foresight-grafana-dashboard");
    assertThat(dashboard.path("metadata").path("labels").path("grafana_dashboard").asText())
        .isEqualTo("1");
    JsonNode json =
        Repository.JSON.readTree(dashboard.path("data").path("foresight-overview.json").asText());
    assertThat(json.path("uid").asText()).isEqualTo("foresight-overview");
  }

  @Test
  void certManagerOverlayInjectsTheCaOfTheCertificateTheControllerMounts() throws Exception {
    List<JsonNode> docs = Kustomize.render(Repository.manifests().resolve("overlays/cert-manager"));
    JsonNode apiService = Repository.one(docs, "APIService", "v1beta1.external.metrics.k8s.io");
    assertThat(apiService.path("spec").has("caBundle"))
        .as("cainjector owns caBundle; a static one would fight it")
        .isFalse();
    String inject =
        apiService
            .path("metadata")
            .path("annotations")
            .path("cert-manager.io/inject-ca-from")
            .asText();
    assertThat(inject).startsWith(NS + "/");
    JsonNode cert = Repository.one(docs, "Certificate", inject.substring(NS.length() + 1));
    assertThat(mountedSecret(docs)).isEqualTo(cert.path("spec").path("secretName").asText());
    assertThat(dnsNames(cert.path("spec").path("dnsNames")))
        .as("names KEDA and the aggregator dial")
        .contains(serviceDns(apiService), "foresight-scaler." + NS + ".svc");
    JsonNode issuer =
        Repository.one(docs, "Issuer", cert.path("spec").path("issuerRef").path("name").asText());
    assertThat(issuer.path("spec").path("ca").path("secretName").asText()).isNotBlank();
  }

  @Test
  void kedaOverlayLeavesTheExternalMetricsApiToKeda() throws Exception {
    List<JsonNode> docs = Kustomize.render(Repository.manifests().resolve("overlays/keda"));
    assertThat(Repository.ofKind(docs, "APIService")).isEmpty();
    Repository.one(docs, "Service", "foresight-scaler");
    Repository.one(docs, "Certificate", "foresight-serving");
  }

  @Test
  void selfSignedOverlayPutsTheGeneratedCaIntoTheApiService(@TempDir Path tmp) throws Exception {
    Path copy = tmp.resolve("manifests");
    copyTree(Repository.manifests(), copy);
    Path overlay = copy.resolve("overlays/self-signed");
    String caPem =
        TestCertificates.writeInto(
            overlay,
            List.of("foresight-metrics-api." + NS + ".svc", "foresight-scaler." + NS + ".svc"));

    List<JsonNode> docs = Kustomize.render(overlay);

    JsonNode apiService = Repository.one(docs, "APIService", "v1beta1.external.metrics.k8s.io");
    String bundle = apiService.path("spec").path("caBundle").asText();
    // The API server decodes caBundle as base64 ignoring line breaks, as the MIME decoder does.
    assertThat(new String(Base64.getMimeDecoder().decode(bundle), StandardCharsets.UTF_8))
        .isEqualTo(caPem);
    String secretName = mountedSecret(docs);
    JsonNode secret = Repository.one(docs, "Secret", secretName);
    assertThat(secretName)
        .as("hashed name: a new certificate rolls the pods")
        .startsWith("foresight-tls-");
    assertThat(secret.path("type").asText()).isEqualTo("kubernetes.io/tls");
    assertThat(secret.path("data").has("tls.crt")).isTrue();
    assertThat(secret.path("data").has("tls.key")).isTrue();
  }

  @Test
  void selfSignedOverlayWithoutGeneratedCertificatesSaysWhichFileIsMissing(@TempDir Path tmp)
      throws Exception {
    Path copy = tmp.resolve("manifests");
    copyTree(Repository.manifests(), copy);
    Files.deleteIfExists(copy.resolve("overlays/self-signed/tls.crt"));
    AssertionError e =
        org.junit.jupiter.api.Assertions.assertThrows(
            AssertionError.class, () -> Kustomize.render(copy.resolve("overlays/self-signed")));
    assertThat(e.getMessage()).contains("tls.crt");
  }

  static String mountedSecret(List<JsonNode> docs) {
    JsonNode d = Repository.one(docs, "Deployment", "foresight-controller");
    for (JsonNode v : d.path("spec").path("template").path("spec").path("volumes")) {
      if ("tls".equals(v.path("name").asText())) {
        return v.path("secret").path("secretName").asText();
      }
    }
    throw new AssertionError("the controller Deployment has no volume named tls");
  }

  private static String serviceDns(JsonNode apiService) {
    JsonNode s = apiService.path("spec").path("service");
    return s.path("name").asText() + "." + s.path("namespace").asText() + ".svc";
  }

  private static List<String> dnsNames(JsonNode array) {
    return Repository.JSON.convertValue(
        array, Repository.JSON.getTypeFactory().constructCollectionType(List.class, String.class));
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
