package dev.foresight.metricsapi.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.foresight.metricsapi.testing.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileReloadTest {

  private static final TestPki CA = TestPki.newCa("serving-ca");

  @TempDir Path dir;

  @Test
  void servingPairIsReloadedOnlyWhenChangedAndOnlyWhenKeyMatches() throws IOException {
    TestPki.Issued first = CA.server("first");
    Path[] files = first.writePem(dir, "tls");
    FileServingCertificate f = FileServingCertificate.load(files[0], files[1]);
    assertThat(f.keyManager().current().leaf()).isEqualTo(first.certificate());
    assertThat(f.reloadIfChanged()).as("unchanged").isFalse();

    // Mid-rotation: the new certificate is on disk, its key not yet.
    TestPki.Issued second = CA.server("second");
    Path[] secondFiles = second.writePem(dir, "second");
    Files.copy(secondFiles[0], files[0], java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThat(f.reloadIfChanged()).isFalse();
    assertThat(f.keyManager().current().leaf()).isEqualTo(first.certificate());

    Files.copy(secondFiles[1], files[1], java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThat(f.reloadIfChanged()).isTrue();
    assertThat(f.keyManager().current().leaf()).isEqualTo(second.certificate());
  }

  @Test
  void garbageOnDiskKeepsThePreviousPair() throws IOException {
    TestPki.Issued first = CA.server("first");
    Path[] files = first.writePem(dir, "tls");
    FileServingCertificate f = FileServingCertificate.load(files[0], files[1]);
    Files.writeString(files[0], "not a certificate");
    assertThat(f.reloadIfChanged()).isFalse();
    assertThat(f.keyManager().current().leaf()).isEqualTo(first.certificate());
  }

  @Test
  void aMismatchedPairIsRefusedAtStartNamingTheFiles() throws IOException {
    Path[] a = CA.server("a").writePem(dir, "a");
    Path[] b = CA.server("b").writePem(dir, "b");
    assertThatThrownBy(() -> FileServingCertificate.load(a[0], b[1]))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(b[1].toString())
        .hasMessageContaining(a[0].toString());
  }

  @Test
  void requestHeaderCaIsReloaded() throws IOException {
    Path ca = dir.resolve("ca.crt");
    Files.writeString(ca, CA.caPem());
    FileRequestHeaderConfig source = FileRequestHeaderConfig.load(ca, Set.of("front-proxy-client"));
    assertThat(source.get().clientCa()).containsExactly(CA.caCertificate());
    assertThat(source.get().allowedNames()).containsExactly("front-proxy-client");
    assertThat(source.refresh()).isFalse();

    TestPki next = TestPki.newCa("next-ca");
    Files.writeString(ca, next.caPem());
    assertThat(source.refresh()).isTrue();
    assertThat(source.get().clientCa()).containsExactly(next.caCertificate());
  }

  @Test
  void anEmptyCaFileIsRefusedNamingIt() throws IOException {
    Path ca = dir.resolve("empty.crt");
    Files.writeString(ca, "");
    assertThatThrownBy(() -> FileRequestHeaderConfig.load(ca, Set.of()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(ca.toString())
        .hasMessageContaining("CERTIFICATE");
  }
}
