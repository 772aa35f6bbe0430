package dev.foresight.controller.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.foresight.controller.audit.AuditMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alerts and the dashboard use metric names the controller exports (or that the design names
 * and the controller does not export yet, listed explicitly), and their PromQL is valid for a real
 * {@code promtool}.
 */
class MonitoringTest {

  /**
   * Planned metrics the manifests use before the controller exports them: {@code foresight_leader}
   * (1 on the replica holding the Lease). Must not be exported already.
   */
  static final Set<String> PLANNED_HERE = Set.of("foresight_leader");

  private static final Pattern METRIC = Pattern.compile("\\bforesight_[a-z0-9_]+\\b");

  private static JsonNode rule;
  private static JsonNode dashboard;

  @BeforeAll
  static void load() throws IOException {
    Path base = Repository.manifests().resolve("base");
    rule = Repository.documents(base.resolve("monitoring/prometheusrule.yaml")).get(0);
    dashboard =
        Repository.documents(base.resolve("monitoring/dashboards/foresight-overview.json")).get(0);
  }

  /** Names the controller's audit registry exposes, with the suffixes Prometheus sees. */
  static Set<String> exported() {
    PrometheusRegistry registry = new PrometheusRegistry();
    new AuditMetrics(registry);
    Set<String> names = new TreeSet<>();
    for (MetricSnapshot s : registry.scrape()) {
      String n = s.getMetadata().getPrometheusName();
      if (s instanceof CounterSnapshot) {
        names.add(n + "_total");
      } else if (s instanceof HistogramSnapshot) {
        names.addAll(List.of(n + "_bucket", n + "_sum", n + "_count"));
      } else {
        names.add(n);
      }
    }
    return names;
  }

  /**
   * Names the policy module's supply analysis documents as the metrics the controller exports from
   * it (SupplyReport's Javadoc), histograms with their suffixes.
   */
  static Set<String> designedBySupplyReport() throws IOException {
    String source =
        Files.readString(
            Repository.root()
                .resolve("policy/src/main/java/dev/foresight/policy/supply/SupplyReport.java"));
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC.matcher(source);
    while (m.find()) {
      names.add(m.group());
      names.addAll(List.of(m.group() + "_bucket", m.group() + "_sum", m.group() + "_count"));
    }
    return names;
  }

  static List<String> alertExpressions() {
    List<String> exprs = new ArrayList<>();
    rule.path("spec")
        .path("groups")
        .forEach(g -> g.path("rules").forEach(r -> exprs.add(r.path("expr").asText())));
    return exprs;
  }

  static List<String> dashboardExpressions() {
    List<String> exprs = new ArrayList<>();
    dashboard
        .path("panels")
        .forEach(p -> p.path("targets").forEach(t -> exprs.add(t.path("expr").asText())));
    return exprs;
  }

  @Test
  void everyMetricUsedIsExportedOrPlanned() throws IOException {
    Set<String> known = new TreeSet<>(exported());
    assertThat(known).contains("foresight_desired_replicas", "foresight_errors_total");
    known.addAll(designedBySupplyReport());
    known.addAll(PLANNED_HERE);
    List<String> exprs = new ArrayList<>(alertExpressions());
    exprs.addAll(dashboardExpressions());
    dashboard
        .path("templating")
        .path("list")
        .forEach(v -> exprs.add(v.path("definition").asText()));
    Set<String> used = new TreeSet<>();
    for (String e : exprs) {
      Matcher m = METRIC.matcher(e);
      while (m.find()) {
        used.add(m.group());
      }
    }
    assertThat(used).isNotEmpty();
    assertThat(known).as("metrics neither exported nor planned").containsAll(used);
    assertThat(exported())
        .as("exported now: remove from PLANNED_HERE")
        .doesNotContainAnyElementsOf(PLANNED_HERE);
  }

  @Test
  void alertsCoverTheNamedFailures() {
    List<String> names = new ArrayList<>();
    rule.path("spec")
        .path("groups")
        .forEach(g -> g.path("rules").forEach(r -> names.add(r.path("alert").asText())));
    assertThat(names)
        .containsExactlyInAnyOrder(
            "ForesightDecisionStale",
            "ForesightDecisionErrors",
            "ForesightGuardRailTripped",
            "ForesightPendingPodsUnbacked",
            "ForesightLeaderMissing");
    rule.path("spec")
        .path("groups")
        .forEach(
            g ->
                g.path("rules")
                    .forEach(
                        r -> {
                          assertThat(r.path("labels").path("severity").asText())
                              .as(r.path("alert").asText())
                              .isIn("warning", "critical");
                          assertThat(r.path("annotations").path("summary").asText()).isNotBlank();
                        }));
  }

  @Test
  void dashboardHasEveryPanelTheIssueAsksFor() {
    List<String> titles = new ArrayList<>();
    dashboard.path("panels").forEach(p -> titles.add(p.path("title").asText()));
    assertThat(titles)
        .contains(
            "Desired vs current replicas",
            "$signal: value vs per-replica target",
            "Winning reason over time",
            "Forecast vs actual load",
            "Lead time",
            "Node supply");
    dashboard
        .path("panels")
        .forEach(p -> assertThat(p.path("targets")).as(p.path("title").asText()).isNotEmpty());
  }

  /** Alerts as a Prometheus rules file, and the dashboard's queries as recording rules. */
  @Test
  void promtoolAcceptsTheAlertsAndTheDashboardQueries(@TempDir Path tmp) throws Exception {
    assumeTrue(
        onPath("promtool"),
        "promtool is not on the PATH (Debian package prometheus; .ci/run installs it)");
    Path alerts = tmp.resolve("alerts.yaml");
    Repository.YAML.writeValue(alerts.toFile(), rule.path("spec"));
    ObjectNode file = Repository.JSON.createObjectNode();
    ArrayNode rules =
        file.putArray("groups").addObject().put("name", "dashboard").putArray("rules");
    int i = 0;
    for (String e : dashboardExpressions()) {
      // Grafana substitutes its variables before Prometheus sees the query.
      rules
          .addObject()
          .put("record", "dashboard:query" + i++)
          .put("expr", e.replaceAll("\\$\\{?\\w+\\}?", "x"));
    }
    Path queries = tmp.resolve("dashboard.yaml");
    Repository.YAML.writeValue(queries.toFile(), file);
    for (Path f : List.of(alerts, queries)) {
      Process p =
          new ProcessBuilder("promtool", "check", "rules", f.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("promtool check rules %s:%n%s", f.getFileName(), out).isZero();
    }
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }
}
