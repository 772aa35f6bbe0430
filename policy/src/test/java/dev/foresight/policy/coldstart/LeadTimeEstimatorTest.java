package dev.foresight.policy.coldstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.foresight.policy.forecast.InvalidSampleException;
import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LeadTimeEstimatorTest {

  private static final int WINDOW = 20;
  private static final LeadTimeSettings SETTINGS =
      new LeadTimeSettings(Duration.ofSeconds(180), Duration.ofSeconds(120), 0.9, WINDOW, 5);

  /** Start-ups uniform in [center - 10 s, center + 10 s], from a fixed seed. */
  private static LeadTimeEstimator feed(LeadTimeEstimator lead, Random random, int n, int center) {
    for (int i = 0; i < n; i++) {
      lead = lead.withPodStartup(Duration.ofMillis(1000L * (center - 10) + random.nextInt(20_000)));
    }
    return lead;
  }

  @Test
  void answersWithThePriorsUntilMinSamples() {
    LeadTimeEstimator lead = LeadTimeEstimator.empty(SETTINGS);
    for (int i = 0; i < 4; i++) {
      assertThat(lead.estimate().podStartup()).isEqualTo(Duration.ofSeconds(180));
      assertThat(lead.estimate().podStartupLearned()).isFalse();
      lead = lead.withPodStartup(Duration.ofSeconds(60));
    }
    LeadTime learned = lead.withPodStartup(Duration.ofSeconds(60)).estimate();
    assertThat(learned.podStartup()).isEqualTo(Duration.ofSeconds(60));
    assertThat(learned.podStartupLearned()).isTrue();
    assertThat(learned.podStartupSamples()).isEqualTo(5);
    // Node provisioning has its own window: still the prior.
    assertThat(learned.nodeProvisioning()).isEqualTo(Duration.ofSeconds(120));
    assertThat(learned.nodeProvisioningLearned()).isFalse();
    assertThat(learned.total(false)).isEqualTo(Duration.ofSeconds(60));
    assertThat(learned.total(true)).isEqualTo(Duration.ofSeconds(180));
  }

  @Test
  void estimatesTheNinetiethPercentile() {
    LeadTimeEstimator lead = LeadTimeEstimator.empty(SETTINGS);
    for (int s = 1; s <= 20; s++) {
      lead = lead.withNodeProvisioning(Duration.ofSeconds(10L * s));
    }
    // Type 7 on 10..200: h = 19 * 0.9 + 1 = 18.1 -> 180 + 0.1 * 10 = 181 s.
    assertThat(lead.estimate().nodeProvisioning()).isEqualTo(Duration.ofSeconds(181));
    assertThat(lead.estimate().nodeProvisioningLearned()).isTrue();
  }

  static Stream<Arguments> outliers() {
    return Stream.of(
        // name, outliers among 20 start-ups of about 90 s, largest estimate allowed
        Arguments.of("no outlier", 0, 100),
        Arguments.of("one stuck pod at one hour", 1, 100),
        Arguments.of("two stuck pods move it only by interpolation", 2, 450));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("outliers")
  void isRobustToOutliers(String name, int outliers, int maxSeconds) {
    LeadTimeEstimator lead =
        feed(LeadTimeEstimator.empty(SETTINGS), new Random(1), 20 - outliers, 90);
    for (int i = 0; i < outliers; i++) {
      lead = lead.withPodStartup(Duration.ofHours(1));
    }
    Duration estimate = lead.estimate().podStartup();
    assertThat(estimate).isBetween(Duration.ofSeconds(80), Duration.ofSeconds(maxSeconds));
  }

  @Test
  void convergesWithinTheWindowAfterAShiftUp() {
    Random random = new Random(2);
    LeadTimeEstimator lead = feed(LeadTimeEstimator.empty(SETTINGS), random, 40, 90);
    assertThat(lead.estimate().podStartup())
        .isBetween(Duration.ofSeconds(80), Duration.ofSeconds(100));
    int reached = -1;
    for (int i = 1; i <= WINDOW; i++) {
      lead = feed(lead, random, 1, 300);
      if (reached < 0 && lead.estimate().podStartup().compareTo(Duration.ofSeconds(290)) >= 0) {
        reached = i;
      }
    }
    // An upward shift shows once the top ranks used by p90 (18.1 of 20) are new: the third one.
    assertThat(reached).isEqualTo(3);
    assertThat(lead.estimate().podStartup())
        .isBetween(Duration.ofSeconds(290), Duration.ofSeconds(310));
  }

  @Test
  void convergesWithinTheWindowAfterAShiftDown() {
    Random random = new Random(3);
    LeadTimeEstimator lead = feed(LeadTimeEstimator.empty(SETTINGS), random, 40, 300);
    lead = feed(lead, random, WINDOW - 1, 90);
    // One slow start-up left in the window of 20: p90 (rank 18.1) does not reach it.
    assertThat(lead.estimate().podStartup()).isLessThan(Duration.ofSeconds(130));
    lead = feed(lead, random, 1, 90);
    assertThat(lead.estimate().podStartup())
        .isBetween(Duration.ofSeconds(80), Duration.ofSeconds(100));
  }

  @Test
  void rejectsDurationsThatAreNotPositive() {
    LeadTimeEstimator lead = LeadTimeEstimator.empty(SETTINGS);
    assertThatThrownBy(() -> lead.withPodStartup(Duration.ZERO))
        .isInstanceOf(InvalidSampleException.class)
        .hasMessage("podStartup: got 'PT0S', expected a positive duration");
    assertThatThrownBy(() -> lead.withNodeProvisioning(Duration.ofSeconds(-5)))
        .isInstanceOf(InvalidSampleException.class)
        .hasMessageContaining("nodeProvisioning: got 'PT-5S'");
  }
}
