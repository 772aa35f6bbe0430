package dev.foresight.controller.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.foresight.controller.config.ControllerConfig;
import dev.foresight.controller.config.Setting;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The controller Deployment is hardened and highly available, its Services and PDB select its pods,
 * and its ports and settings agree with the controller's own defaults and the Dockerfile.
 */
class DeploymentTest {

  /**
   * FORESIGHT_* variables the Deployment sets for settings the controller does not read yet (the
   * pod's identity for leader election). Each must not be a {@link Setting} already: once it is, it
   * is validated below like the others and leaves this list.
   */
  static final Set<String> NOT_YET_READ = Set.of();

  /** Variables the downward API fills, and the pod field each one must come from. */
  static final Map<String, String> DOWNWARD_API =
      Map.of(
          "FORESIGHT_POD_NAME",
          "metadata.name",
          "FORESIGHT_POD_NAMESPACE",
          "metadata.namespace",
          // The metrics API's Service lives in the controller's own namespace.
          "FORESIGHT_METRICS_API_SERVICE_NAMESPACE",
          "metadata.namespace");

  private static List<JsonNode> base;
  private static JsonNode deployment;
  private static JsonNode pod;
  private static JsonNode container;

  @BeforeAll
  static void render() throws Exception {
    base = Kustomize.render(Repository.manifests().resolve("base"));
    deployment = Repository.one(base, "Deployment", "foresight-controller");
    pod = deployment.path("spec").path("template").path("spec");
    assertThat(pod.path("containers")).hasSize(1);
    container = pod.path("containers").get(0);
  }

  @Test
  void runsTwoReplicasThatNeverAllGoAtOnce() {
    assertThat(deployment.path("spec").path("replicas").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(
            deployment
                .path("spec")
                .path("strategy")
                .path("rollingUpdate")
                .path("maxUnavailable")
                .asInt())
        .isZero();
    JsonNode pdb = Repository.one(base, "PodDisruptionBudget", "foresight-controller");
    assertThat(pdb.path("spec").path("minAvailable").asInt()).isGreaterThanOrEqualTo(1);
    assertThat(selects(pdb.path("spec").path("selector").path("matchLabels"))).isTrue();
    assertThat(pod.path("terminationGracePeriodSeconds").asInt()).isBetween(10, 120);
    assertThat(pod.path("serviceAccountName").asText()).isEqualTo(RbacTest.SA_NAME);
  }

  @Test
  void podAndContainerAreHardened() {
    JsonNode podSc = pod.path("securityContext");
    assertThat(podSc.path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(podSc.path("runAsUser").asInt()).isPositive();
    assertThat(podSc.path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
    JsonNode sc = container.path("securityContext");
    assertThat(sc.path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(sc.path("allowPrivilegeEscalation").isBoolean()).isTrue();
    assertThat(sc.path("allowPrivilegeEscalation").asBoolean()).isFalse();
    assertThat(sc.path("capabilities").path("drop").toString()).isEqualTo("[\"ALL\"]");
    assertThat(sc.path("capabilities").has("add")).isFalse();
    assertThat(sc.path("privileged").asBoolean(false)).isFalse();
    JsonNode requests = container.path("resources").path("requests");
    assertThat(requests.path("cpu").asText()).isNotBlank();
    assertThat(requests.path("memory").asText()).isNotBlank();
    assertThat(container.path("resources").path("limits").path("memory").asText()).isNotBlank();
  }

  @Test
  void probesAndServicesUseDeclaredPorts() {
    Map<String, Integer> ports = new HashMap<>();
    container
        .path("ports")
        .forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
    assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
        .as("readiness waits for synced informers")
        .isEqualTo("/readyz");
    assertThat(container.path("livenessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/healthz");
    for (String probe : List.of("readinessProbe", "livenessProbe")) {
      JsonNode get = container.path(probe).path("httpGet");
      assertThat(get.path("path").asText()).as(probe).startsWith("/");
      assertThat(ports).as("%s port", probe).containsKey(get.path("port").asText());
    }
    Set<String> services = new HashSet<>();
    for (JsonNode svc : Repository.ofKind(base, "Service")) {
      String name = svc.path("metadata").path("name").asText();
      services.add(name);
      assertThat(selects(svc.path("spec").path("selector")))
          .as("Service %s selects the controller", name)
          .isTrue();
      for (JsonNode p : svc.path("spec").path("ports")) {
        JsonNode target = p.path("targetPort");
        if (target.isInt()) {
          assertThat(ports.values()).as("Service %s targetPort", name).contains(target.asInt());
        } else {
          assertThat(ports).as("Service %s targetPort", name).containsKey(target.asText());
        }
      }
    }
    assertThat(services).contains("foresight-scaler", "foresight-metrics-api", "foresight-metrics");
    assertThat(ports.get("http-metrics"))
        .isEqualTo(Integer.parseInt(Setting.HTTP_PORT.defaultValue()));
  }

  @Test
  void mountsTheCertificateAndAWritableTmp() {
    Map<String, String> mounts = new HashMap<>();
    container
        .path("volumeMounts")
        .forEach(m -> mounts.put(m.path("name").asText(), m.path("mountPath").asText()));
    assertThat(mounts).containsKeys("tls", "tmp");
    assertThat(mounts.get("tmp")).isEqualTo("/tmp");
    for (JsonNode e : container.path("env")) {
      if (e.path("value").asText().startsWith("/etc/")) {
        assertThat(e.path("value").asText()).startsWith(mounts.get("tls") + "/");
      }
    }
  }

  @Test
  void everyForesightVariableIsAValidSettingOrListedAsNotYetRead() {
    Map<String, String> settings = new HashMap<>();
    for (JsonNode e : container.path("env")) {
      String name = e.path("name").asText();
      if (!name.startsWith("FORESIGHT_")) {
        continue;
      }
      Setting s = setting(name);
      if (e.has("valueFrom")) {
        // Filled in by the kubelet from the downward API; only its source can be checked here.
        assertThat(s).as("%s is a setting of foresight run", name).isNotNull();
        assertThat(e.path("valueFrom").path("fieldRef").path("fieldPath").asText())
            .as("%s comes from the pod's own metadata", name)
            .isEqualTo(DOWNWARD_API.get(name));
        continue;
      }
      if (s == null) {
        assertThat(NOT_YET_READ).as("%s is no setting of foresight run", name).contains(name);
      } else {
        settings.put(s.key(), e.path("value").asText());
      }
    }
    for (String name : NOT_YET_READ) {
      assertThat(setting(name))
          .as("%s is a setting now: remove it from NOT_YET_READ", name)
          .isNull();
    }
    assertThat(settings).isNotEmpty();
    ControllerConfig.parse(settings); // throws, naming each bad value
  }

  @Test
  void dockerfileExposesEveryContainerPort() throws Exception {
    String dockerfile = Files.readString(Repository.root().resolve("Dockerfile"));
    Matcher m = Pattern.compile("(?m)^EXPOSE\\s+(.+)$").matcher(dockerfile);
    Set<Integer> exposed = new HashSet<>();
    while (m.find()) {
      for (String p : m.group(1).trim().split("\\s+")) {
        exposed.add(Integer.parseInt(p.replace("/tcp", "")));
      }
    }
    Set<Integer> declared = new HashSet<>();
    container.path("ports").forEach(p -> declared.add(p.path("containerPort").asInt()));
    assertThat(exposed).isEqualTo(declared);
    assertThat(dockerfile).contains("USER 65532");
    assertThat(pod.path("securityContext").path("runAsUser").asInt()).isEqualTo(65532);
  }

  private static Setting setting(String variable) {
    for (Setting s : Setting.values()) {
      if (s.environmentVariable().equals(variable)) {
        return s;
      }
    }
    return null;
  }

  /** Whether {@code matchLabels} selects the controller's pods. */
  private static boolean selects(JsonNode matchLabels) {
    JsonNode labels = deployment.path("spec").path("template").path("metadata").path("labels");
    if (matchLabels.isEmpty()) {
      return false;
    }
    for (var it = matchLabels.fields(); it.hasNext(); ) {
      var e = it.next();
      if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
        return false;
      }
    }
    return true;
  }
}
