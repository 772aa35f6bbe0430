package dev.foresight.scaler;

import dev.foresight.policy.DecisionStore;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.util.AdvancedTlsX509KeyManager;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The KEDA external scaler: a gRPC server (Netty) serving {@code externalscaler.ExternalScaler} and
 * the standard gRPC health service, reading decisions only through a {@link DecisionStore}.
 *
 * <pre>{@code
 * ScalerServer server = ScalerServer.builder(
 *         ScalerServerConfig.builder().port(9090).mutualTls(cert, key, clientCa).build(), store)
 *     .inlinePolicies(registry)
 *     .start();
 * ...
 * server.close(); // health NOT_SERVING, streams completed, calls drained, then stopped
 * }</pre>
 *
 * <p>Health: service {@code ""} and {@code externalscaler.ExternalScaler} are {@code SERVING} while
 * the server runs and {@code NOT_SERVING} from the start of shutdown.
 */
public final class ScalerServer implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(ScalerServer.class.getName());

  /** The full gRPC service name, as KEDA calls it. */
  public static final String SERVICE_NAME = "externalscaler.ExternalScaler";

  private final ScalerServerConfig config;
  private final Server server;
  private final ScalerCore core;
  private final StreamHub streams;
  private final HealthStatusManager health;
  private final ScheduledExecutorService scheduler;
  private final List<Closeable> watchers;
  private boolean closed;

  private ScalerServer(
      ScalerServerConfig config,
      Server server,
      ScalerCore core,
      StreamHub streams,
      HealthStatusManager health,
      ScheduledExecutorService scheduler,
      List<Closeable> watchers) {
    this.config = config;
    this.server = server;
    this.core = core;
    this.streams = streams;
    this.health = health;
    this.scheduler = scheduler;
    this.watchers = watchers;
  }

  public static Builder builder(ScalerServerConfig config, DecisionStore store) {
    return new Builder(config, store);
  }

  /** The port bound (the chosen one when the configuration asked for 0). */
  public int port() {
    return server.getPort();
  }

  /** Streams open now. */
  public int openStreams() {
    return streams.openStreams();
  }

  /**
   * Graceful shutdown: health turns {@code NOT_SERVING}, every open stream is completed normally
   * (KEDA reconnects), new calls are refused, calls in flight get {@code shutdownGrace} to finish,
   * then the rest are cancelled. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    health.enterTerminalState();
    streams.close();
    try {
      core.close();
    } catch (Exception e) {
      LOG.log(Level.WARNING, "could not unsubscribe from the decision store", e);
    }
    server.shutdown();
    try {
      if (!server.awaitTermination(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      for (Closeable watcher : watchers) {
        try {
          watcher.close();
        } catch (IOException e) {
          LOG.log(Level.WARNING, "could not stop a certificate file watcher", e);
        }
      }
      scheduler.shutdownNow();
    }
  }

  /** Wires and starts a server. */
  public static final class Builder {
    private final ScalerServerConfig config;
    private final DecisionStore store;
    private InlinePolicyParser inlineParser = InlinePolicyParser.NONE;
    private InlinePolicyRegistry inlineRegistry = InlinePolicyRegistry.NONE;
    private InstantSource clock = InstantSource.system();
    private ScalerMetrics metrics;
    private ServerBuilder<?> transport;

    private Builder(ScalerServerConfig config, DecisionStore store) {
      this.config = Objects.requireNonNull(config, "config");
      this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Accepts inline policies: their keys are parsed by the policy module's {@code
     * PolicySpecParser} and each spec is handed to {@code registry}. Without this, inline policy
     * keys are rejected as unknown.
     */
    public Builder inlinePolicies(InlinePolicyRegistry registry) {
      return inlinePolicies(PolicySpecInlineParser.INSTANCE, registry);
    }

    /** As {@link #inlinePolicies(InlinePolicyRegistry)}, with another parser. */
    public Builder inlinePolicies(InlinePolicyParser parser, InlinePolicyRegistry registry) {
      this.inlineParser = Objects.requireNonNull(parser, "parser");
      this.inlineRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** The clock decisions' ages are measured against (default: the system clock). */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where the scaler's metrics go (default: metrics on a registry of their own). */
    public Builder metrics(ScalerMetrics metrics) {
      this.metrics = Objects.requireNonNull(metrics, "metrics");
      return this;
    }

    /**
     * Serves on {@code transport} instead of Netty on {@code host:port} (tests use an in-process
     * transport); the security settings then do not apply.
     */
    public Builder transport(ServerBuilder<?> transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /**
     * Binds and starts the server.
     *
     * @throws IOException when the port cannot be bound
     * @throws UncheckedIOException when a certificate or key file cannot be read or parsed
     */
    public ScalerServer start() throws IOException {
      ScalerMetrics m = metrics != null ? metrics : ScalerMetrics.unregistered();
      ScheduledExecutorService scheduler =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "foresight-scaler-streams");
                t.setDaemon(true);
                return t;
              });
      List<Closeable> watchers = new ArrayList<>();
      ScalerCore core = null;
      StreamHub hub = null;
      try {
        ServerBuilder<?> builder = transport != null ? transport : netty(scheduler, watchers);
        core = new ScalerCore(store, inlineParser, inlineRegistry, clock, config.staleAfter());
        hub = new StreamHub(core, scheduler, config.activityRepeat(), m);
        HealthStatusManager health = new HealthStatusManager();
        Server server =
            builder
                .addService(new ForesightScalerService(core, hub, m))
                .addService(health.getHealthService())
                .build()
                .start();
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus(SERVICE_NAME, ServingStatus.SERVING);
        return new ScalerServer(config, server, core, hub, health, scheduler, watchers);
      } catch (IOException | RuntimeException e) {
        if (hub != null) {
          hub.close();
        }
        if (core != null) {
          try {
            core.close();
          } catch (Exception suppressed) {
            e.addSuppressed(suppressed);
          }
        }
        for (Closeable watcher : watchers) {
          watcher.close();
        }
        scheduler.shutdownNow();
        throw e;
      }
    }

    private ServerBuilder<?> netty(ScheduledExecutorService scheduler, List<Closeable> watchers) {
      InetSocketAddress address = new InetSocketAddress(config.host(), config.port());
      NettyServerBuilder builder =
          config.security() == ScalerServerConfig.Security.PLAINTEXT
              ? NettyServerBuilder.forAddress(address)
              : NettyServerBuilder.forAddress(address, credentials(scheduler, watchers));
      // Every handler answers from memory and never blocks, so it runs on the Netty event loop
      // that read the request: no hand-off to another thread per call.
      return builder.directExecutor();
    }

    /**
     * TLS credentials whose key material and trusted client CAs are re-read from their files every
     * {@code certRefresh}, so a rotated certificate is served to new connections without a restart.
     */
    private ServerCredentials credentials(
        ScheduledExecutorService scheduler, List<Closeable> watchers) {
      try {
        AdvancedTlsX509KeyManager keyManager = new AdvancedTlsX509KeyManager();
        watchers.add(
            TlsMaterial.identity(
                keyManager,
                config.certChain().orElseThrow(),
                config.privateKey().orElseThrow(),
                scheduler,
                config.certRefresh()));
        TlsServerCredentials.Builder tls = TlsServerCredentials.newBuilder().keyManager(keyManager);
        if (config.security() == ScalerServerConfig.Security.MUTUAL_TLS) {
          tls.trustManager(
                  RotatingClientTrust.fromFile(
                      config.clientCa().orElseThrow(), scheduler, config.certRefresh(), watchers))
              .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
        }
        return tls.build();
      } catch (java.security.cert.CertificateException e) {
        throw new UncheckedIOException(
            "could not set up client certificate checks", new IOException(e.getMessage(), e));
      }
    }
  }
}
