package dev.foresight.metricsapi.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request-header CA from a PEM file (for example kube-apiserver's {@code
 * --requestheader-client-ca-file} mounted into the pod), reloaded when it changes, with the allowed
 * names given on the command line and the usual {@code X-Remote-*} headers.
 */
public final class FileRequestHeaderConfig implements RequestHeaderConfigSource {

  private static final Logger LOG = LoggerFactory.getLogger(FileRequestHeaderConfig.class);

  private final Path caFile;
  private final Set<String> allowedNames;
  private final WatchedFiles watched;
  private volatile RequestHeaderConfig current;

  private FileRequestHeaderConfig(
      Path caFile, Set<String> allowedNames, WatchedFiles watched, RequestHeaderConfig first) {
    this.caFile = caFile;
    this.allowedNames = Set.copyOf(allowedNames);
    this.watched = watched;
    this.current = first;
  }

  /**
   * Loads the CA file now.
   *
   * @throws IOException naming the file and what was wrong
   */
  public static FileRequestHeaderConfig load(Path caFile, Set<String> allowedNames)
      throws IOException {
    WatchedFiles watched = new WatchedFiles(List.of(caFile));
    List<byte[]> contents = watched.changed();
    RequestHeaderConfig first = parse(caFile, allowedNames, contents.get(0));
    watched.accept(contents);
    return new FileRequestHeaderConfig(caFile, allowedNames, watched, first);
  }

  private static RequestHeaderConfig parse(Path caFile, Set<String> allowedNames, byte[] pem)
      throws IOException {
    return RequestHeaderConfig.withDefaultHeaders(
        Pem.certificates(new String(pem, StandardCharsets.US_ASCII), caFile.toString()),
        allowedNames);
  }

  @Override
  public RequestHeaderConfig get() {
    return current;
  }

  @Override
  public boolean refresh() {
    try {
      List<byte[]> contents = watched.changed();
      if (contents == null) {
        return false;
      }
      current = parse(caFile, allowedNames, contents.get(0));
      watched.accept(contents);
      LOG.info("request-header CA reloaded from {}", caFile);
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot reload request-header CA {}: {}", caFile, e.toString());
      return false;
    }
  }
}
