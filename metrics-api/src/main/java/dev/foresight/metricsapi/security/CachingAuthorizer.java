package dev.foresight.metricsapi.security;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers authorization verdicts for a short time, allowed and denied each with its own TTL (as
 * kube-apiserver's delegated authorizer does, 10 s each by default), so that HPA's polling costs
 * one SubjectAccessReview per user, namespace and metric per TTL. Failures are not cached. The
 * cache is cleared when it grows past {@code maxEntries}, which bounds memory against many distinct
 * users.
 */
public final class CachingAuthorizer implements Authorizer {

  private final Authorizer delegate;
  private final Duration allowedTtl;
  private final Duration deniedTtl;
  private final InstantSource clock;
  private final int maxEntries;
  private final ConcurrentHashMap<Key, Entry> cache = new ConcurrentHashMap<>();

  public CachingAuthorizer(
      Authorizer delegate,
      Duration allowedTtl,
      Duration deniedTtl,
      InstantSource clock,
      int maxEntries) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.allowedTtl = Objects.requireNonNull(allowedTtl, "allowedTtl");
    this.deniedTtl = Objects.requireNonNull(deniedTtl, "deniedTtl");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxEntries = maxEntries;
  }

  @Override
  public Verdict authorize(UserInfo user, String namespace, String metric)
      throws AuthorizationUnavailableException {
    Key key = new Key(user, namespace, metric);
    Instant now = clock.instant();
    Entry e = cache.get(key);
    if (e != null && now.isBefore(e.expires)) {
      return e.verdict;
    }
    Verdict v = delegate.authorize(user, namespace, metric);
    if (cache.size() >= maxEntries) {
      cache.clear();
    }
    cache.put(key, new Entry(v, now.plus(v.allowed() ? allowedTtl : deniedTtl)));
    return v;
  }

  private record Key(UserInfo user, String namespace, String metric) {}

  private record Entry(Verdict verdict, Instant expires) {}
}
