package dev.foresight.controller.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code overlays/self-signed/generate-certs.sh}, run with the real openssl, makes a CA and a
 * serving certificate that the aggregator and KEDA accept for Foresight's Services.
 */
class GenerateCertsScriptTest {

  @Test
  void makesAServingCertificateForBothServicesSignedByTheCa(@TempDir Path tmp) throws Exception {
    assumeTrue(onPath("openssl") && onPath("sh"), "openssl or sh is not on the PATH");
    Path script = tmp.resolve("generate-certs.sh");
    Files.copy(Repository.manifests().resolve("overlays/self-signed/generate-certs.sh"), script);
    Process p =
        new ProcessBuilder("sh", script.toString())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("out.txt").toFile())
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(tmp.resolve("out.txt"))).isZero();

    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    X509Certificate ca;
    try (var in = Files.newInputStream(tmp.resolve("ca.crt"))) {
      ca = (X509Certificate) cf.generateCertificate(in);
    }
    List<X509Certificate> chain = new ArrayList<>();
    try (var in = Files.newInputStream(tmp.resolve("tls.crt"))) {
      cf.generateCertificates(in).forEach(c -> chain.add((X509Certificate) c));
    }
    assertThat(chain).hasSize(2);
    X509Certificate server = chain.get(0);
    server.verify(ca.getPublicKey());
    ca.verify(ca.getPublicKey());
    assertThat(ca.getBasicConstraints()).as("CA").isGreaterThanOrEqualTo(0);
    assertThat(server.getBasicConstraints()).as("not a CA").isEqualTo(-1);
    assertThat(server.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1"); // serverAuth
    List<String> dns = new ArrayList<>();
    server.getSubjectAlternativeNames().forEach(n -> dns.add(String.valueOf(n.get(1))));
    assertThat(dns)
        .contains(
            "foresight-metrics-api.foresight-system.svc", "foresight-scaler.foresight-system.svc");

    // tls.key is PKCS#8 and belongs to the certificate: a signature made with it verifies.
    String pem = Files.readString(tmp.resolve("tls.key"));
    assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----");
    byte[] der =
        Base64.getMimeDecoder()
            .decode(pem.replaceAll("-----[A-Z ]+-----", "").getBytes(StandardCharsets.US_ASCII));
    PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    byte[] message = "foresight".getBytes(StandardCharsets.UTF_8);
    Signature sign = Signature.getInstance("SHA256withECDSA");
    sign.initSign(key);
    sign.update(message);
    byte[] signature = sign.sign();
    Signature check = Signature.getInstance("SHA256withECDSA");
    check.initVerify(server.getPublicKey());
    check.update(message);
    assertThat(check.verify(signature)).isTrue();
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }
}
