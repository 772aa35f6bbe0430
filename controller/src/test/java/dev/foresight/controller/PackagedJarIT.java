package dev.foresight.controller;

import static dev.foresight.controller.testing.PrometheusServer.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.foresight.controller.testing.PrometheusServer;
import dev.foresight.controller.testing.TestPki;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar foresight.jar run} as shipped (the shaded jar from the package phase): the
 * metrics API starts with a self-signed certificate, which needs every class it uses inside the
 * jar, and {@code /metrics} publishes its APIService ownership.
 */
class PackagedJarIT {

  /** Accepts the self-signed serving certificate and records it. */
  private static final class Recording implements X509TrustManager {
    volatile X509Certificate served;

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
      served = chain[0];
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  @Test
  void theJarServesTheMetricsApiWithASelfSignedCertificate(@TempDir Path dir) throws Exception {
    Path jar = Path.of("target", "foresight.jar");
    Assumptions.assumeTrue(
        Files.isRegularFile(jar), "target/foresight.jar is built by the package phase");
    Path policies =
        Files.writeString(
            dir.resolve("policies.yaml"),
            """
            policies:
              - name: vllm-llama
                namespace: llm
                target: {kind: Deployment, name: vllm-llama}
                signals: {preset: vllm}
                replicas: {current: 2}
                policy: {minReplicas: 1, maxReplicas: 8, target.queue: 4}
            """);
    Path requestHeaderCa = TestPki.newCa("front-proxy CA").writeCa(dir.resolve("ca.crt"));
    int http = PrometheusServer.freePort();
    int api = PrometheusServer.freePort();
    List<String> command =
        List.of(
            System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
            "-jar",
            jar.toString(),
            "run",
            "--policies-file=" + policies,
            "--prometheus-url=http://127.0.0.1:" + PrometheusServer.freePort(),
            "--http-host=127.0.0.1",
            "--http-port=" + http,
            "--scaler-host=127.0.0.1",
            "--scaler-port=0",
            "--metrics-api-host=127.0.0.1",
            "--metrics-api-port=" + api,
            "--metrics-api-requestheader-ca-file=" + requestHeaderCa,
            "--metrics-api-delegated-authorization=false");
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("out.log").toFile())
            .start();
    try {
      Recording trust = new Recording();
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, new TrustManager[] {trust}, null);
      eventually(
          Duration.ofSeconds(120),
          "the jar's metrics API answers /healthz",
          () -> {
            assertThat(process.isAlive())
                .as("process alive: %s", Files.readString(dir.resolve("out.log")))
                .isTrue();
            // The self-signed certificate names the Service, not 127.0.0.1.
            HttpsURLConnection health =
                (HttpsURLConnection)
                    URI.create("https://127.0.0.1:" + api + "/healthz").toURL().openConnection();
            health.setSSLSocketFactory(tls.getSocketFactory());
            health.setHostnameVerifier((host, session) -> true);
            int status;
            try {
              status = health.getResponseCode();
            } catch (java.io.IOException e) {
              throw new AssertionError("not listening yet", e);
            } finally {
              health.disconnect();
            }
            assertThat(status).isEqualTo(200);
          });
      assertThat(trust.served.getSubjectX500Principal().getName())
          .contains("foresight-metrics-api.foresight.svc");
      String metrics =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(metrics)
          .contains("foresight_metrics_api_apiservice_owned{state=\"UNKNOWN\"} 0")
          .contains("foresight_metrics_api_requests_total{outcome=\"served\"} 0");
      // Main set TCP_NODELAY before the servers started: the metrics API logs no warning.
      assertThat(Files.readString(dir.resolve("out.log")))
          .doesNotContain("-Dsun.net.httpserver.nodelay=true");
    } finally {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
