package dev.foresight.scaler;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generates KEDA trigger metadata as a careless or hostile user might write it: known keys with
 * wrong values, unknown keys, {@code FromEnv} doubles, control characters and non-ASCII text.
 */
final class TriggerMetadataGenerator {

  private static final String[] KEYS = {
    "policy",
    "policyFromEnv",
    "targetKind",
    "targetName",
    "targetNameFromEnv",
    "scalerAddress",
    "enableTLS",
    "minReplicas",
    "maxReplicas",
    "minReplicasFromEnv",
    "tolerance",
    "target.queue",
    "target.ttft_p95",
    "target.kv_cache",
    "target.concurrency",
    "target.nope",
    "target.",
    "scaleDown.policies",
    "scaleDown.stabilizationWindow",
    "scaleUp.selectPolicy",
    "scaleUp.policies",
    "idleBeforeScaleToZero",
    "FromEnv",
    ""
  };

  private static final String[] VALUES = {
    "",
    " ",
    "0",
    "-1",
    "4",
    "1.5",
    "1e309",
    "-0",
    "NaN",
    "Infinity",
    "-Infinity",
    "800ms",
    "5m",
    "-5m",
    "P1D",
    "llama",
    "vllm-llama",
    "Pods=4/15s",
    "Percent=100/1m,Pods=4/15s",
    "Pods=/",
    "Max",
    "x",
    "2147483648",
    "99999999999999999999",
    "Deployment",
    "deployment",
    "true"
  };

  private static final String ALPHABET =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._/=,:%$ \t\n\u0000é日\uFFFD";

  private TriggerMetadataGenerator() {}

  static String text(SplittableRandom r, int maxLength) {
    int length = r.nextInt(maxLength + 1);
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
    }
    return out.toString();
  }

  static String key(SplittableRandom r) {
    return r.nextInt(4) == 0 ? text(r, 20) : KEYS[r.nextInt(KEYS.length)];
  }

  static String value(SplittableRandom r) {
    return switch (r.nextInt(4)) {
      case 0 -> text(r, 30);
      case 1 -> "x".repeat(r.nextInt(2000));
      default -> VALUES[r.nextInt(VALUES.length)];
    };
  }

  static Map<String, String> metadata(SplittableRandom r) {
    Map<String, String> out = new LinkedHashMap<>();
    int size = r.nextInt(7);
    for (int i = 0; i < size; i++) {
      out.put(key(r), value(r));
    }
    return out;
  }

  static String name(SplittableRandom r) {
    return switch (r.nextInt(5)) {
      case 0 -> text(r, 70);
      case 1 -> new String[] {"", "Bad_Name", "-x", "a.b", "x".repeat(300)}[r.nextInt(5)];
      default -> new String[] {"llm", "vllm-llama", "vllm-llama-so"}[r.nextInt(3)];
    };
  }
}
