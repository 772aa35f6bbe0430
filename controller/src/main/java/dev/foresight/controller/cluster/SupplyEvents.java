package dev.foresight.controller.cluster;

import dev.foresight.policy.supply.SupplyEvent;
import io.kubernetes.client.openapi.models.CoreV1Event;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/** Core v1 Events turned into supply evidence ({@link SupplyEvent#from}). Pure. */
public final class SupplyEvents {

  private SupplyEvents() {}

  /**
   * The supply evidence in {@code event}, if it is one of the reasons the analysis reads. Its time
   * is the last occurrence: {@code lastTimestamp}, else {@code eventTime} (events.k8s.io writers),
   * else {@code metadata.creationTimestamp}.
   */
  public static Optional<SupplyEvent> of(CoreV1Event event) {
    if (event.getInvolvedObject() == null) {
      return Optional.empty();
    }
    return SupplyEvent.from(
        event.getReason(),
        event.getInvolvedObject().getKind(),
        event.getInvolvedObject().getNamespace(),
        event.getInvolvedObject().getName(),
        event.getMessage(),
        at(event));
  }

  private static Instant at(CoreV1Event e) {
    OffsetDateTime t = e.getLastTimestamp();
    if (t == null) {
      t = e.getEventTime();
    }
    if (t == null && e.getMetadata() != null) {
      t = e.getMetadata().getCreationTimestamp();
    }
    return t == null ? null : t.toInstant();
  }
}
