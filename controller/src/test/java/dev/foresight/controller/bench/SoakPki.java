package dev.foresight.controller.bench;

import dev.foresight.controller.testing.TestPki;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The certificates: one serving certificate (IP 127.0.0.1) for both servers, KEDA's client
 * certificate from its own CA, and the aggregator's front-proxy client certificate.
 */
record SoakPki(
    Path servingCa,
    Path servingCert,
    Path servingKey,
    Path kedaCa,
    Path kedaCert,
    Path kedaKey,
    Path frontProxyCa,
    SSLContext aggregator) {

  static SoakPki write(Path dir) throws Exception {
    TestPki serving = TestPki.newCa("foresight serving CA");
    Path[] server = serving.server().writePem(dir, "serving");
    TestPki keda = TestPki.newCa("keda CA");
    Path[] kedaClient = keda.client("keda-operator").writePem(dir, "keda");
    TestPki frontProxy = TestPki.newCa("front-proxy CA");
    return new SoakPki(
        serving.writeCa(dir.resolve("serving-ca.crt")),
        server[0],
        server[1],
        keda.writeCa(dir.resolve("keda-ca.crt")),
        kedaClient[0],
        kedaClient[1],
        frontProxy.writeCa(dir.resolve("front-proxy-ca.crt")),
        TestPki.clientContext(serving.caCertificate(), frontProxy.client("front-proxy-client")));
  }

  /** One HTTP/2 connection to the scaler with KEDA's client certificate. */
  ManagedChannel kedaChannel(int port) throws IOException {
    ChannelCredentials credentials =
        TlsChannelCredentials.newBuilder()
            .trustManager(servingCa.toFile())
            .keyManager(kedaCert.toFile(), kedaKey.toFile())
            .build();
    return Grpc.newChannelBuilderForAddress("127.0.0.1", port, credentials)
        .directExecutor()
        .build();
  }

  /**
   * Opens one keep-alive connection to the metrics API as the aggregator does; a response slower
   * than {@code readTimeout} breaks it.
   */
  Supplier<Socket> metricsApiConnector(int port, Duration readTimeout) {
    return () -> {
      try {
        SSLSocket s = (SSLSocket) aggregator.getSocketFactory().createSocket("127.0.0.1", port);
        s.setTcpNoDelay(true);
        s.setSoTimeout((int) readTimeout.toMillis());
        s.startHandshake();
        return s;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    };
  }
}
