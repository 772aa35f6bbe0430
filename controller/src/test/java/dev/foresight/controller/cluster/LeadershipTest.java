package dev.foresight.controller.cluster;

import static dev.foresight.controller.cluster.KubernetesClusterTest.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Two controllers campaign for one Lease held by the fake API server. */
class LeadershipTest {

  private static final Leadership.Timing FAST =
      new Leadership.Timing(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(200));

  @Test
  void leadershipHandsOverWhenTheLeaderStops() throws Exception {
    List<String> log = new CopyOnWriteArrayList<>();
    try (FakeApiServer api = new FakeApiServer()) {
      Leadership a = leadership(api, "foresight-a", log).start();
      await(a::isLeader, "a leads");
      Leadership b = leadership(api, "foresight-b", log).start();
      try {
        assertThat(api.leaseHolder("foresight", "foresight-leader")).isEqualTo("foresight-a");
        assertThat(b.isLeader()).as("one leader at a time").isFalse();

        a.close();
        await(b::isLeader, "b takes over");
        assertThat(a.isLeader()).isFalse();
        assertThat(api.leaseHolder("foresight", "foresight-leader")).isEqualTo("foresight-b");
        assertThat(log)
            .containsSubsequence(
                "foresight-a started", "foresight-a stopped", "foresight-b started");
      } finally {
        b.close();
      }
    }
  }

  @Test
  void aTimingTheElectorWouldRefuseIsRefusedBeforeTheCampaign() {
    // Inside the campaign loop the elector's refusal would repeat forever; here it stops start-up.
    for (Duration[] t :
        new Duration[][] {
          {Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(2)},
          {Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(10)},
          {Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ZERO},
        }) {
      assertThatThrownBy(() -> new Leadership.Timing(t[0], t[1], t[2]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("0 < retryPeriod < renewDeadline < leaseDuration");
    }
    assertThat(Leadership.Timing.defaults())
        .isEqualTo(
            new Leadership.Timing(
                Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2)));
  }

  private static Leadership leadership(FakeApiServer api, String id, List<String> log) {
    return new Leadership(
        api.client(),
        "foresight",
        "foresight-leader",
        id,
        FAST,
        () -> log.add(id + " started"),
        () -> log.add(id + " stopped"));
  }
}
