package dev.foresight.metricsapi.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.foresight.metricsapi.testing.PeerCertificateCases;
import dev.foresight.metricsapi.testing.PeerCertificateCases.Kind;
import dev.foresight.metricsapi.testing.PresentedCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 10,000 generated client certificate chains (100 batches of 100, fixed seeds; see {@link
 * PeerCertificateCases} for the kinds) through the aggregator's authentication as the server runs
 * it: {@link RequestHeaderAuthenticator} over a {@link FileRequestHeaderConfig} read from a CA
 * bundle file (an EC and an RSA CA) with allowed name {@value PeerCertificateCases#CLIENT_NAME}.
 *
 * <p>Valid chains, and chains whose key usage lacks digitalSignature (kube-apiserver checks the
 * extended key usage only, and so does this server), are authenticated; every other case is
 * rejected with a reason naming the certificate or its common name, never an exception. After each
 * case the aggregator's own session, verified before the batch, is still authenticated, and at the
 * end of each batch a fresh session with the same certificate is verified again from scratch.
 */
class PeerCertificateFuzzTest {

  private static final long SEED = 0xCE27F022L;
  private static final PeerCertificateCases CASES = new PeerCertificateCases();
  private static final Set<Kind> ACCEPTED =
      EnumSet.of(Kind.VALID, Kind.VALID_VIA_INTERMEDIATE, Kind.NO_DIGITAL_SIGNATURE);
  private static final Map<Kind, Integer> SEEN = new EnumMap<>(Kind.class);

  @TempDir Path dir;

  static Stream<Arguments> batches() {
    SplittableRandom root = new SplittableRandom(SEED);
    return IntStream.range(0, 100).mapToObj(i -> Arguments.of(root.nextLong()));
  }

  @ParameterizedTest(name = "batch seed {0}")
  @MethodSource("batches")
  void onlyValidClientCertificatesAreAuthenticatedAndNoneDisturbsTheAggregator(long batchSeed)
      throws IOException {
    Path caFile = dir.resolve("requestheader-ca.crt");
    Files.writeString(caFile, CASES.trustedCasPem());
    RequestHeaderAuthenticator authenticator =
        new RequestHeaderAuthenticator(
            FileRequestHeaderConfig.load(caFile, Set.of(PeerCertificateCases.CLIENT_NAME)));
    List<java.security.cert.X509Certificate> aggregatorChain =
        CASES.next(batchSeed, Kind.VALID).chain();
    SSLSession aggregator = new PresentedCertificates(aggregatorChain);
    assertThat(authenticate(authenticator, aggregator))
        .isInstanceOf(Authentication.Authenticated.class);

    SplittableRandom batch = new SplittableRandom(batchSeed);
    for (int i = 0; i < 100; i++) {
      PeerCertificateCases.Case c = CASES.next(batch.nextLong());
      SEEN.merge(c.kind(), 1, Integer::sum);
      Authentication result;
      try {
        result = authenticate(authenticator, new PresentedCertificates(c.chain()));
      } catch (RuntimeException e) {
        throw new AssertionError(c + " threw " + e, e);
      }
      if (ACCEPTED.contains(c.kind())) {
        assertThat(result).as("%s", c).isInstanceOf(Authentication.Authenticated.class);
      } else if (result instanceof Authentication.Rejected rejected) {
        assertThat(rejected.reason())
            .as("%s: the reason names the certificate", c)
            .containsAnyOf(
                c.leaf().getSubjectX500Principal().getName(),
                RequestHeaderAuthenticator.commonName(c.leaf()));
      } else {
        fail(c + " was authenticated: " + result);
      }
      assertThat(authenticate(authenticator, aggregator))
          .as("after %s the aggregator is still authenticated", c)
          .isInstanceOf(Authentication.Authenticated.class);
    }
    assertThat(authenticate(authenticator, new PresentedCertificates(aggregatorChain)))
        .as("the aggregator verified again from scratch")
        .isInstanceOf(Authentication.Authenticated.class);
  }

  @AfterAll
  static void everyKindWasGenerated() {
    assertThat(SEEN.keySet()).containsExactlyInAnyOrder(Kind.values());
    assertThat(SEEN.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(10_000);
  }

  private static Authentication authenticate(
      RequestHeaderAuthenticator authenticator, SSLSession session) {
    return authenticator.authenticate(
        session,
        name ->
            name.equalsIgnoreCase("X-Remote-User")
                ? List.of("system:serviceaccount:kube-system:horizontal-pod-autoscaler")
                : null,
        Set.of("X-Remote-User"));
  }
}
