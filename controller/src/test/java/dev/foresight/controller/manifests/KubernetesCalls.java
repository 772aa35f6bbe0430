package dev.foresight.controller.manifests;

import dev.foresight.controller.cluster.KubernetesAccess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Kubernetes API calls a Java source makes with client-java, found by reading the source: each
 * typed call such as {@code new CoreV1Api(client).readNamespacedConfigMap(...)} becomes the request
 * RBAC must allow (API group {@code ""}, resource {@code configmaps}, verb {@code get}).
 *
 * <p>How a call maps, following client-java's generated names and Kubernetes' conventions:
 *
 * <ul>
 *   <li>API group from the class: {@code CoreV1Api} is the core group {@code ""}; {@code Apps},
 *       {@code Autoscaling}, {@code Batch}, {@code Policy} are their own names; any other
 *       camel-case name becomes dotted lower case plus {@code .k8s.io} ({@code
 *       RbacAuthorizationV1Api} → {@code rbac.authorization.k8s.io}).
 *   <li>Verb from the method prefix: read → get, list → list (and watch when the file builds an
 *       informer or a watch), create, replace → update, patch, delete, deleteCollection.
 *   <li>Resource from the kind, lower case and plural; a trailing {@code Status}, {@code Scale} or
 *       {@code Log} is the subresource ({@code replaceNamespacedDeploymentScale} → {@code
 *       deployments/scale}).
 *   <li>{@code new LeaseLock(...)} (leader election) → leases get, create, update.
 * </ul>
 *
 * Styles it cannot map (CustomObjectsApi, GenericKubernetesApi, wildcard imports, a receiver whose
 * type it cannot find) throw {@link UnmappedCallException} naming the file and the call, so that a
 * new kind of call fails the RBAC test instead of slipping past it. Namespaces and resource names
 * are not derived: a call is covered when some bound rule allows its group, resource and verb.
 */
final class KubernetesCalls {

  /** One request the API server authorizes. */
  record ApiCall(String group, String resource, String verb, String where) {
    @Override
    public String toString() {
      return verb + " " + (group.isEmpty() ? "core" : group) + "/" + resource + " (" + where + ")";
    }
  }

  /** A client-java call the scanner cannot turn into a request. */
  static final class UnmappedCallException extends RuntimeException {
    UnmappedCallException(String message) {
      super(message);
    }
  }

  private static final Pattern API_IMPORT =
      Pattern.compile("import\\s+io\\.kubernetes\\.client\\.openapi\\.apis\\.(\\w+|\\*)\\s*;");
  private static final Pattern CALL =
      Pattern.compile(
          "(?:new\\s+(\\w+Api)\\s*\\([^()]*\\)|(\\w+))\\s*\\.\\s*"
              + "(read|list|create|replace|patch|deleteCollection|delete)"
              + "(Namespaced)?([A-Z]\\w*?)(ForAllNamespaces)?\\s*\\(");
  private static final Pattern UNMAPPED =
      Pattern.compile("\\b(CustomObjectsApi|GenericKubernetesApi|DynamicKubernetesApi)\\b");
  private static final Set<String> LEGACY_GROUPS = Set.of("apps", "autoscaling", "batch", "policy");

  private KubernetesCalls() {}

  /**
   * Sources under this package make their calls through the dynamic and custom-object APIs, which
   * the source scan cannot map; they name every call in {@link KubernetesAccess} instead, whose
   * completeness {@code KubernetesAccessTest} proves against a fake API server.
   */
  private static final String REGISTERED_PACKAGE = "dev/foresight/controller/cluster/";

  /**
   * Every call in the {@code src/main/java} tree of every module directly under {@code root}: found
   * by scanning the sources, and, for the cluster package, taken from its access registry.
   */
  static List<ApiCall> inModules(Path root) throws IOException {
    List<ApiCall> calls = new ArrayList<>();
    try (Stream<Path> modules = Files.list(root)) {
      for (Path m : modules.filter(d -> Files.isDirectory(d.resolve("src/main/java"))).toList()) {
        try (Stream<Path> files = Files.walk(m.resolve("src/main/java"))) {
          for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
            String name = root.relativize(f).toString().replace('\\', '/');
            if (!name.contains(REGISTERED_PACKAGE)) {
              calls.addAll(inSource(name, Files.readString(f)));
            }
          }
        }
      }
    }
    for (KubernetesAccess.Access access : KubernetesAccess.ALL) {
      for (String verb : access.verbs()) {
        calls.add(
            new ApiCall(
                access.group(), access.resource(), verb, "KubernetesAccess: " + access.why()));
      }
    }
    return calls;
  }

  /** Every call in one source file; {@code name} says where in the messages. */
  static List<ApiCall> inSource(String name, String source) {
    List<ApiCall> calls = new ArrayList<>();
    if (source.contains("new LeaseLock(")) {
      for (String verb : List.of("get", "create", "update")) {
        calls.add(new ApiCall("coordination.k8s.io", "leases", verb, name + ": LeaseLock"));
      }
    }
    Set<String> apis = new HashSet<>();
    Matcher imports = API_IMPORT.matcher(source);
    while (imports.find()) {
      if (imports.group(1).equals("*")) {
        throw new UnmappedCallException(
            name + ": wildcard import of client-java APIs; import each class");
      }
      apis.add(imports.group(1));
    }
    Matcher unmapped = UNMAPPED.matcher(source);
    if (unmapped.find()) {
      throw new UnmappedCallException(
          name + ": uses " + unmapped.group(1) + ", which KubernetesCalls cannot map to RBAC yet");
    }
    if (apis.isEmpty()) {
      return calls;
    }
    boolean watches =
        source.contains("sharedIndexInformerFor") || source.contains("Watch.createWatch");
    Matcher m = CALL.matcher(source);
    while (m.find()) {
      String api = m.group(1) != null ? m.group(1) : receiverType(source, m.group(2), apis);
      if (api == null) {
        continue; // not a client-java receiver (e.g. list.replaceAll)
      }
      if (!apis.contains(api)) {
        throw new UnmappedCallException(name + ": " + api + " is not imported from client-java");
      }
      String where = name + ": " + m.group(3) + nz(m.group(4)) + m.group(5) + nz(m.group(6));
      String group = group(api);
      String resource = resource(m.group(5));
      String verb = verb(m.group(3));
      calls.add(new ApiCall(group, resource, verb, where));
      if (verb.equals("list") && watches) {
        calls.add(new ApiCall(group, resource, "watch", where));
      }
    }
    return calls;
  }

  /** The client-java API type of {@code receiver}, or null when it is not one. */
  private static String receiverType(String source, String receiver, Set<String> apis) {
    if (apis.contains(receiver)) {
      throw new UnmappedCallException("static call on " + receiver);
    }
    for (String api : apis) {
      if (Pattern.compile("\\b" + api + "\\s+" + Pattern.quote(receiver) + "\\b")
          .matcher(source)
          .find()) {
        return api;
      }
    }
    return null;
  }

  static String group(String apiClass) {
    String name = apiClass.replaceFirst("V\\d+((alpha|beta)\\d+)?Api$", "");
    if (name.equals(apiClass)) {
      throw new UnmappedCallException("not a versioned client-java API class: " + apiClass);
    }
    if (name.equals("Core")) {
      return "";
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (LEGACY_GROUPS.contains(lower)) {
      return lower;
    }
    return String.join(".", name.split("(?=[A-Z])")).toLowerCase(Locale.ROOT) + ".k8s.io";
  }

  static String resource(String kind) {
    for (String sub : List.of("Status", "Scale", "Log")) {
      if (kind.endsWith(sub) && kind.length() > sub.length()) {
        return plural(kind.substring(0, kind.length() - sub.length()))
            + "/"
            + sub.toLowerCase(Locale.ROOT);
      }
    }
    return plural(kind);
  }

  private static String plural(String kind) {
    String k = kind.toLowerCase(Locale.ROOT);
    if (k.equals("endpoints")) {
      return k;
    }
    if (k.endsWith("y") && !k.matches(".*[aeiou]y$")) {
      return k.substring(0, k.length() - 1) + "ies";
    }
    if (k.endsWith("s") || k.endsWith("x") || k.endsWith("ch") || k.endsWith("sh")) {
      return k + "es";
    }
    return k + "s";
  }

  static String verb(String prefix) {
    return switch (prefix) {
      case "read" -> "get";
      case "replace" -> "update";
      case "deleteCollection" -> "deletecollection";
      default -> prefix;
    };
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
