package dev.foresight.controller.prometheus;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A workload's selector ({@code namespace="llm",pod=~"vllm-llama-.*"}) as matchers that can be
 * tested here against a series' labels with exactly Prometheus's answer. That lets one request
 * aggregate a metric by the labels the selectors name, and each workload take the groups its
 * selector picks ({@link GroupedBatch}).
 *
 * <p>Only a subset whose meaning is certain is accepted: matchers {@code =}, {@code !=}, {@code =~}
 * and {@code !~} on quoted strings, where a regular expression is an alternation of literals, each
 * optionally followed by {@code .*} or {@code .+} (Kubernetes pod names by prefix: {@code
 * vllm-llama-.*}, {@code a|b|c-.*}). Prometheus anchors a regex at both ends; RE2's {@code .} does
 * not match a line break in Prometheus 2 but does in Prometheus 3, so a value with a line break
 * after the prefix is {@link Match#UNKNOWN}. Anything else ({@link #parse} is empty) is read the
 * usual way, by Prometheus.
 */
final class LabelMatchers {

  /** Whether a series' labels satisfy the selector. */
  enum Match {
    YES,
    NO,
    /** Prometheus versions differ here: ask Prometheus. */
    UNKNOWN
  }

  /** One {@code label op "value"}. */
  record Matcher(String label, boolean regex, boolean negated, List<Alternative> alternatives) {

    Match test(Map<String, String> labels) {
      // A missing label matches as the empty string, as in Prometheus.
      String value = labels.getOrDefault(label, "");
      Match any = Match.NO;
      for (Alternative a : alternatives) {
        Match m = a.test(value);
        if (m == Match.YES) {
          any = Match.YES;
          break;
        }
        if (m == Match.UNKNOWN) {
          any = Match.UNKNOWN;
        }
      }
      if (!negated || any == Match.UNKNOWN) {
        return any;
      }
      return any == Match.YES ? Match.NO : Match.YES;
    }
  }

  /**
   * A literal, then optionally any rest ({@code .*}) or a non-empty rest ({@code .+}).
   *
   * @param restMinimum -1 for no rest (the value is the literal), else the rest's least length
   */
  record Alternative(String literal, int restMinimum) {
    Match test(String value) {
      if (restMinimum < 0) {
        return value.equals(literal) ? Match.YES : Match.NO;
      }
      if (!value.startsWith(literal) || value.length() - literal.length() < restMinimum) {
        return Match.NO;
      }
      return value.indexOf('\n', literal.length()) >= 0 ? Match.UNKNOWN : Match.YES;
    }
  }

  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final String REGEX_METAS = "\\.+*?()|[]{}^$";

  private final List<Matcher> matchers;

  private LabelMatchers(List<Matcher> matchers) {
    this.matchers = List.copyOf(matchers);
  }

  List<Matcher> matchers() {
    return matchers;
  }

  /** The label names the matchers test, in order. */
  Set<String> labelNames() {
    Set<String> names = new LinkedHashSet<>();
    for (Matcher m : matchers) {
      names.add(m.label());
    }
    return names;
  }

  /** The value of an equality matcher on {@code label}, if there is one. */
  Optional<String> equalityOn(String label) {
    for (Matcher m : matchers) {
      if (m.label().equals(label) && !m.regex() && !m.negated()) {
        return Optional.of(m.alternatives().get(0).literal());
      }
    }
    return Optional.empty();
  }

  Match test(Map<String, String> labels) {
    Match all = Match.YES;
    for (Matcher m : matchers) {
      Match one = m.test(labels);
      if (one == Match.NO) {
        return Match.NO;
      }
      if (one == Match.UNKNOWN) {
        all = Match.UNKNOWN;
      }
    }
    return all;
  }

  /** The matchers of {@code selector}, or empty when it is outside the subset described above. */
  static Optional<LabelMatchers> parse(String selector) {
    List<Matcher> out = new ArrayList<>();
    Scanner s = new Scanner(selector);
    s.skipSpace();
    while (!s.atEnd()) {
      String label = s.take(LABEL_NAME);
      if (label == null || label.equals("__name__")) {
        return Optional.empty();
      }
      s.skipSpace();
      String op = s.operator();
      if (op == null) {
        return Optional.empty();
      }
      s.skipSpace();
      Optional<String> value = s.string();
      if (value.isEmpty()) {
        return Optional.empty();
      }
      boolean regex = op.endsWith("~");
      List<Alternative> alternatives =
          regex ? alternatives(value.get()) : List.of(new Alternative(value.get(), -1));
      if (alternatives == null) {
        return Optional.empty();
      }
      out.add(new Matcher(label, regex, op.startsWith("!"), alternatives));
      s.skipSpace();
      if (s.atEnd()) {
        break;
      }
      if (!s.consume(',')) {
        return Optional.empty();
      }
      s.skipSpace();
    }
    return Optional.of(new LabelMatchers(out));
  }

  /** {@code lit(.*|.+)?(|lit(.*|.+)?)*}, or null for anything else. */
  private static List<Alternative> alternatives(String regex) {
    List<Alternative> out = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int rest = -1;
    for (int i = 0; i <= regex.length(); i++) {
      if (i == regex.length() || regex.charAt(i) == '|') {
        out.add(new Alternative(literal.toString(), rest));
        literal.setLength(0);
        rest = -1;
        continue;
      }
      if (rest >= 0) {
        return null; // something after .* or .+
      }
      char c = regex.charAt(i);
      if (c == '\\') {
        if (i + 1 == regex.length()
            || regex.charAt(i + 1) > 0x7f
            || Character.isLetterOrDigit(regex.charAt(i + 1))) {
          // \d, \w, \b, \1 ... are classes or assertions; RE2 rejects escaping non-ASCII
          return null;
        }
        literal.append(regex.charAt(++i));
      } else if (c == '.' && i + 1 < regex.length() && "*+".indexOf(regex.charAt(i + 1)) >= 0) {
        rest = regex.charAt(++i) == '*' ? 0 : 1;
        if (i + 1 < regex.length() && "*+?{".indexOf(regex.charAt(i + 1)) >= 0) {
          return null; // .*? and the like
        }
      } else if (REGEX_METAS.indexOf(c) >= 0) {
        return null;
      } else {
        literal.append(c);
      }
    }
    return out;
  }

  /** Reads PromQL's label-matcher syntax. */
  private static final class Scanner {
    private final String text;
    private int at;

    Scanner(String text) {
      this.text = text;
    }

    boolean atEnd() {
      return at >= text.length();
    }

    void skipSpace() {
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
        at++;
      }
    }

    boolean consume(char c) {
      if (at < text.length() && text.charAt(at) == c) {
        at++;
        return true;
      }
      return false;
    }

    String take(Pattern p) {
      java.util.regex.Matcher m = p.matcher(text).region(at, text.length());
      if (!m.lookingAt()) {
        return null;
      }
      at = m.end();
      return m.group();
    }

    String operator() {
      for (String op : new String[] {"=~", "!~", "!=", "="}) {
        if (text.startsWith(op, at)) {
          at += op.length();
          return op;
        }
      }
      return null;
    }

    /**
     * A double- or single-quoted string with the escapes {@code \\ \n \t \r} and its own quote, or
     * a raw backquoted one; empty for any other escape (octal, hex and Unicode escapes are left to
     * Prometheus) or an unterminated string.
     */
    Optional<String> string() {
      if (atEnd()) {
        return Optional.empty();
      }
      char quote = text.charAt(at);
      if (quote == '`') {
        int end = text.indexOf('`', at + 1);
        if (end < 0) {
          return Optional.empty();
        }
        String raw = text.substring(at + 1, end);
        at = end + 1;
        return Optional.of(raw);
      }
      if (quote != '"' && quote != '\'') {
        return Optional.empty();
      }
      StringBuilder out = new StringBuilder();
      for (int i = at + 1; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == quote) {
          at = i + 1;
          return Optional.of(out.toString());
        }
        if (c == '\n') {
          return Optional.empty();
        }
        if (c != '\\') {
          out.append(c);
          continue;
        }
        if (++i == text.length()) {
          return Optional.empty();
        }
        char escaped = text.charAt(i);
        if (escaped == quote) {
          out.append(quote); // only the string's own quote may be escaped, as in Go
          continue;
        }
        switch (escaped) {
          case '\\' -> out.append('\\');
          case 'n' -> out.append('\n');
          case 't' -> out.append('\t');
          case 'r' -> out.append('\r');
          default -> {
            return Optional.empty();
          }
        }
      }
      return Optional.empty();
    }
  }
}
