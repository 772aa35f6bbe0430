package dev.foresight.scaler;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLSession;

/**
 * A server-side TLS engine in the middle of a handshake, as the trust manager sees it when the
 * client's certificate arrives: only its handshake session is read. grpc-java's trust manager
 * refuses to check a chain without an engine or socket, and the JDK's needs the handshake session;
 * this lets both check a chain without a handshake per case.
 */
final class HandshakeInProgress extends SSLEngine {

  private final SSLSession session;

  HandshakeInProgress(SSLSession session) {
    super("127.0.0.1", 0);
    this.session = session;
  }

  @Override
  public SSLSession getHandshakeSession() {
    return session;
  }

  @Override
  public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) {
    throw new UnsupportedOperationException();
  }

  @Override
  public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Runnable getDelegatedTask() {
    return null;
  }

  @Override
  public void closeInbound() {}

  @Override
  public boolean isInboundDone() {
    return false;
  }

  @Override
  public void closeOutbound() {}

  @Override
  public boolean isOutboundDone() {
    return false;
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return new String[] {session.getCipherSuite()};
  }

  @Override
  public String[] getEnabledCipherSuites() {
    return getSupportedCipherSuites();
  }

  @Override
  public void setEnabledCipherSuites(String[] suites) {}

  @Override
  public String[] getSupportedProtocols() {
    return new String[] {session.getProtocol()};
  }

  @Override
  public String[] getEnabledProtocols() {
    return getSupportedProtocols();
  }

  @Override
  public void setEnabledProtocols(String[] protocols) {}

  @Override
  public SSLSession getSession() {
    return session;
  }

  @Override
  public void beginHandshake() {}

  @Override
  public SSLEngineResult.HandshakeStatus getHandshakeStatus() {
    return SSLEngineResult.HandshakeStatus.NEED_TASK;
  }

  @Override
  public void setUseClientMode(boolean mode) {}

  @Override
  public boolean getUseClientMode() {
    return false;
  }

  @Override
  public void setNeedClientAuth(boolean need) {}

  @Override
  public boolean getNeedClientAuth() {
    return true;
  }

  @Override
  public void setWantClientAuth(boolean want) {}

  @Override
  public boolean getWantClientAuth() {
    return false;
  }

  @Override
  public void setEnableSessionCreation(boolean flag) {}

  @Override
  public boolean getEnableSessionCreation() {
    return true;
  }
}
