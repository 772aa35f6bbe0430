package dev.foresight.metricsapi.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CachingAuthorizerTest {

  private static final UserInfo ALICE = new UserInfo("alice", List.of("dev"), Map.of());
  private static final UserInfo BOB = new UserInfo("bob", List.of(), Map.of());

  private Instant now = Instant.parse("2026-11-23T12:00:00Z");
  private final List<String> calls = new ArrayList<>();
  private boolean failing;
  private final Authorizer counting =
      (user, ns, metric) -> {
        calls.add(user.name() + "/" + ns + "/" + metric);
        if (failing) {
          throw new AuthorizationUnavailableException("down", null);
        }
        return new Authorizer.Verdict(Set.of("alice").contains(user.name()), "");
      };
  private final CachingAuthorizer cache =
      new CachingAuthorizer(
          counting, Duration.ofSeconds(10), Duration.ofSeconds(5), () -> now, 100);

  @Test
  void allowedIsRememberedForItsTtl() throws Exception {
    assertThat(cache.authorize(ALICE, "ns", "m").allowed()).isTrue();
    now = now.plusSeconds(9);
    assertThat(cache.authorize(ALICE, "ns", "m").allowed()).isTrue();
    assertThat(calls).hasSize(1);
    now = now.plusSeconds(1);
    cache.authorize(ALICE, "ns", "m");
    assertThat(calls).hasSize(2);
  }

  @Test
  void deniedIsRememberedForItsOwnTtl() throws Exception {
    assertThat(cache.authorize(BOB, "ns", "m").allowed()).isFalse();
    now = now.plusSeconds(4);
    assertThat(cache.authorize(BOB, "ns", "m").allowed()).isFalse();
    assertThat(calls).hasSize(1);
    now = now.plusSeconds(1);
    cache.authorize(BOB, "ns", "m");
    assertThat(calls).hasSize(2);
  }

  @Test
  void namespaceMetricAndGroupsAreAllPartOfTheKey() throws Exception {
    cache.authorize(ALICE, "ns", "m");
    cache.authorize(ALICE, "other", "m");
    cache.authorize(ALICE, "ns", "m2");
    cache.authorize(new UserInfo("alice", List.of("admins"), Map.of()), "ns", "m");
    assertThat(calls).hasSize(4);
  }

  @Test
  void failuresAreNotCached() throws Exception {
    failing = true;
    assertThatThrownBy(() -> cache.authorize(ALICE, "ns", "m"))
        .isInstanceOf(AuthorizationUnavailableException.class);
    failing = false;
    assertThat(cache.authorize(ALICE, "ns", "m").allowed()).isTrue();
    assertThat(calls).hasSize(2);
  }

  @Test
  void boundedByClearing() throws Exception {
    CachingAuthorizer small =
        new CachingAuthorizer(counting, Duration.ofMinutes(1), Duration.ofMinutes(1), () -> now, 2);
    small.authorize(ALICE, "a", "m");
    small.authorize(ALICE, "b", "m");
    small.authorize(ALICE, "c", "m"); // clears, then holds only c
    small.authorize(ALICE, "a", "m");
    assertThat(calls).containsExactly("alice/a/m", "alice/b/m", "alice/c/m", "alice/a/m");
  }
}
