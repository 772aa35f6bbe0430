package dev.foresight.controller.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.foresight.controller.metrics.SignalRead;
import dev.foresight.policy.Decision;
import dev.foresight.policy.GpuReading;
import dev.foresight.policy.GuardRailEffect;
import dev.foresight.policy.Observation;
import dev.foresight.policy.Prediction;
import dev.foresight.policy.Proposal;
import dev.foresight.policy.WorkloadRef;
import java.time.Duration;

/**
 * Renders an {@link AuditRecord} as one JSON object: the decision with its proposals, guard-rails
 * and prediction, and every input. Non-finite numbers are written as the strings {@code "NaN"},
 * {@code "+Inf"} and {@code "-Inf"} so that the output stays valid JSON.
 */
public final class DecisionJson {

  private final ObjectMapper json;

  public DecisionJson(ObjectMapper json) {
    this.json = json;
  }

  public ObjectMapper mapper() {
    return json;
  }

  /** The record as a JSON object. */
  public ObjectNode render(AuditRecord r) {
    ObjectNode root = json.createObjectNode();
    Decision d = r.decision();
    root.put("at", d.at().toString());
    workload(root.putObject("workload"), r.workload());
    root.put("desiredReplicas", d.desiredReplicas());
    root.put("currentReplicas", d.currentReplicas());
    root.put("readyReplicas", d.readyReplicas());
    root.put("recommendedReplicas", d.recommendedReplicas());
    root.put("reason", d.reason().name());
    root.put("message", d.message());
    root.put("active", d.active());
    root.put("winningSignal", d.winningSignal().map(s -> s.wireName()).orElse(null));
    root.put("limit", d.limit().map(Enum::name).orElse(null));
    ArrayNode proposals = root.putArray("proposals");
    for (Proposal p : d.proposals()) {
      ObjectNode n = proposals.addObject();
      n.put("signal", p.signal().wireName());
      n.put("status", p.status().name());
      number(n, "value", p.value());
      number(n, "target", p.target());
      if (p.usable()) {
        n.put("replicas", p.replicas());
      }
      n.put("arithmetic", p.arithmetic());
    }
    ArrayNode rails = root.putArray("guardRails");
    for (GuardRailEffect g : d.guardRails()) {
      ObjectNode n = rails.addObject();
      n.put("rail", g.rail().name());
      n.put("effect", g.effect().name());
      n.put("subject", g.subject());
      n.put("message", g.message());
    }
    if (d.prediction().isPresent()) {
      Prediction p = d.prediction().get();
      ObjectNode n = root.putObject("prediction");
      n.put("model", p.model());
      seconds(n, "horizonSeconds", p.horizon());
      number(n, "pointRequestRate", p.pointRequestRate());
      number(n, "upperRequestRate", p.upperRequestRate());
      number(n, "capacityPerReplica", p.capacityPerReplica());
      n.put("replicas", p.replicas());
      n.put("acting", p.acting());
      n.put("arithmetic", p.arithmetic());
    }
    inputs(root.putObject("inputs"), r);
    return root;
  }

  /** The record as one line of JSON. */
  public String line(AuditRecord r) {
    try {
      return json.writeValueAsString(render(r));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot render a decision as JSON", e);
    }
  }

  static void workload(ObjectNode n, WorkloadRef w) {
    n.put("namespace", w.namespace());
    n.put("policy", w.policy());
    n.put("targetKind", w.targetKind());
    n.put("targetName", w.targetName());
  }

  private static void inputs(ObjectNode n, AuditRecord r) {
    Observation o = r.observation();
    n.put("at", o.at().toString());
    n.put("currentReplicas", o.currentReplicas());
    n.put("readyReplicas", o.readyReplicas());
    ObjectNode signals = n.putObject("signals");
    for (SignalRead s : r.reads()) {
      ObjectNode sn = signals.putObject(s.signal().wireName());
      sn.put("outcome", s.outcome().name());
      number(sn, "value", s.value());
      seconds(sn, "ageSeconds", s.age());
      s.error().ifPresent(e -> sn.put("error", e.name()));
      sn.put("detail", s.detail());
    }
    ArrayNode gpus = n.putArray("gpus");
    for (GpuReading g : o.gpus()) {
      ObjectNode gn = gpus.addObject();
      gn.put("pod", g.pod());
      gn.put("gpu", g.gpu());
      number(gn, "utilizationPercent", g.utilizationPercent());
      number(gn, "framebufferUsedMiB", g.framebufferUsedMiB());
      number(gn, "framebufferFreeMiB", g.framebufferFreeMiB());
      number(gn, "temperatureCelsius", g.temperatureCelsius());
      gn.put("xidErrorsInWindow", g.xidErrorsInWindow());
    }
  }

  private static void seconds(ObjectNode n, String field, Duration d) {
    n.put(field, d.toMillis() / 1000.0);
  }

  static void number(ObjectNode n, String field, double v) {
    if (Double.isNaN(v)) {
      n.put(field, "NaN");
    } else if (Double.isInfinite(v)) {
      n.put(field, v > 0 ? "+Inf" : "-Inf");
    } else {
      n.put(field, v);
    }
  }
}
