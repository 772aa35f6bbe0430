package dev.foresight.metricsapi.selector;

import dev.foresight.metricsapi.selector.Requirement.Operator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A parsed Kubernetes label selector in its string form, as HPA sends it in the {@code
 * labelSelector} query parameter: comma-joined requirements {@code key=value}, {@code key==value},
 * {@code key!=value}, {@code key in (a,b)}, {@code key notin (a,b)}, {@code key}, {@code !key},
 * {@code key>n}, {@code key<n}. The empty selector matches everything.
 *
 * <pre>{@code
 * LabelSelector s = LabelSelector.parse("policy=llama,deployment notin (canary)");
 * s.matches(Map.of("policy", "llama", "deployment", "llama")); // true
 * }</pre>
 *
 * <p>Keys are qualified names ({@code [prefix/]name}: prefix a DNS-1123 subdomain of at most 253
 * characters, name at most 63 characters of alphanumerics, '-', '_', '.', starting and ending
 * alphanumeric); values are empty or follow the name rule. Anything else is rejected with an {@link
 * InvalidSelectorException} naming the part and what was expected.
 */
public final class LabelSelector {

  private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final LabelSelector EVERYTHING = new LabelSelector(List.of());

  private final List<Requirement> requirements;

  private LabelSelector(List<Requirement> requirements) {
    this.requirements = List.copyOf(requirements);
  }

  /** The selector that matches every label set. */
  public static LabelSelector everything() {
    return EVERYTHING;
  }

  /** The requirements, in the order written; all must hold. */
  public List<Requirement> requirements() {
    return requirements;
  }

  /** Whether every requirement holds for {@code labels}. */
  public boolean matches(Map<String, String> labels) {
    for (Requirement r : requirements) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Parses {@code text}; {@code null} or blank gives {@link #everything()}.
   *
   * @throws InvalidSelectorException naming the offending part and what was expected
   */
  public static LabelSelector parse(String text) throws InvalidSelectorException {
    if (text == null || text.isBlank()) {
      return EVERYTHING;
    }
    return new Parser(text).parse();
  }

  @Override
  public String toString() {
    return requirements.toString();
  }

  private enum Kind {
    IDENTIFIER,
    IN,
    NOT_IN,
    EQ,
    DOUBLE_EQ,
    NOT_EQ,
    BANG,
    GT,
    LT,
    COMMA,
    OPEN,
    CLOSE,
    END
  }

  private record Token(Kind kind, String text) {}

  /** Lexer and recursive-descent parser following Kubernetes' grammar. */
  private static final class Parser {
    private final String source;
    private final List<Token> tokens = new ArrayList<>();
    private int next;

    Parser(String source) {
      this.source = source;
    }

    LabelSelector parse() throws InvalidSelectorException {
      lex();
      List<Requirement> out = new ArrayList<>();
      while (true) {
        out.add(requirement());
        Token t = take();
        if (t.kind == Kind.END) {
          return new LabelSelector(out);
        }
        if (t.kind != Kind.COMMA) {
          throw fail("expected ',' or end of selector after a requirement, found '" + t.text + "'");
        }
      }
    }

    private Requirement requirement() throws InvalidSelectorException {
      Token first = take();
      if (first.kind == Kind.BANG) {
        Token key = take();
        if (key.kind != Kind.IDENTIFIER) {
          throw fail("expected a label key after '!', found " + describe(key));
        }
        checkKey(key.text);
        Token after = peek();
        if (after.kind != Kind.COMMA && after.kind != Kind.END) {
          throw fail("'!" + key.text + "' takes no operator or value, found '" + after.text + "'");
        }
        return new Requirement(key.text, Operator.DOES_NOT_EXIST, List.of());
      }
      if (first.kind != Kind.IDENTIFIER) {
        throw fail("expected a label key, found " + describe(first));
      }
      String key = first.text;
      checkKey(key);
      Token op = peek();
      switch (op.kind) {
        case COMMA:
        case END:
          return new Requirement(key, Operator.EXISTS, List.of());
        case EQ:
        case DOUBLE_EQ:
        case NOT_EQ:
          take();
          return new Requirement(
              key, op.kind == Kind.NOT_EQ ? Operator.NOT_EQUALS : Operator.EQUALS, single(key));
        case GT:
        case LT:
          take();
          List<String> bound = single(key);
          try {
            Long.parseLong(bound.get(0));
          } catch (NumberFormatException e) {
            throw fail(
                "for '"
                    + op.text
                    + "' the value of '"
                    + key
                    + "' must be an integer, found '"
                    + bound.get(0)
                    + "'");
          }
          return new Requirement(
              key, op.kind == Kind.GT ? Operator.GREATER_THAN : Operator.LESS_THAN, bound);
        case IN:
        case NOT_IN:
          take();
          return new Requirement(key, op.kind == Kind.IN ? Operator.IN : Operator.NOT_IN, set(key));
        default:
          throw fail(
              "expected one of '=', '==', '!=', 'in', 'notin', '>', '<', ',' after key '"
                  + key
                  + "', found "
                  + describe(op));
      }
    }

    /** The value after {@code =}, {@code ==}, {@code !=}: may be empty. */
    private List<String> single(String key) throws InvalidSelectorException {
      Token t = peek();
      if (t.kind == Kind.COMMA || t.kind == Kind.END) {
        return List.of("");
      }
      take();
      if (t.kind != Kind.IDENTIFIER) {
        throw fail("expected a value for key '" + key + "', found " + describe(t));
      }
      checkValue(t.text);
      return List.of(t.text);
    }

    /** {@code (v1, v2, ...)}: at least one value. */
    private List<String> set(String key) throws InvalidSelectorException {
      Token open = take();
      if (open.kind != Kind.OPEN) {
        throw fail(
            "expected '(' after 'in'/'notin' for key '" + key + "', found " + describe(open));
      }
      List<String> values = new ArrayList<>();
      if (peek().kind == Kind.CLOSE) {
        throw fail("the set of values for key '" + key + "' must not be empty");
      }
      while (true) {
        Token t = peek();
        if (t.kind == Kind.IDENTIFIER) {
          take();
          checkValue(t.text);
          values.add(t.text);
        } else if (t.kind == Kind.COMMA || t.kind == Kind.CLOSE) {
          values.add("");
        } else {
          throw fail("expected a value in the set for key '" + key + "', found " + describe(t));
        }
        Token sep = take();
        if (sep.kind == Kind.CLOSE) {
          return values;
        }
        if (sep.kind != Kind.COMMA) {
          throw fail(
              "expected ',' or ')' in the set for key '" + key + "', found " + describe(sep));
        }
      }
    }

    private void checkKey(String key) throws InvalidSelectorException {
      String name = key;
      int slash = key.indexOf('/');
      if (slash >= 0) {
        String prefix = key.substring(0, slash);
        name = key.substring(slash + 1);
        if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
          throw fail(
              "key '"
                  + key
                  + "': prefix must be a DNS-1123 subdomain (lower-case alphanumerics, '-', '.')"
                  + " of at most 253 characters");
        }
      }
      if (name.isEmpty() || name.length() > 63 || !NAME.matcher(name).matches()) {
        throw fail(
            "key '"
                + key
                + "': name must be 1 to 63 characters of alphanumerics, '-', '_' or '.', starting"
                + " and ending with an alphanumeric");
      }
    }

    private void checkValue(String value) throws InvalidSelectorException {
      if (value.length() > 63 || !(value.isEmpty() || NAME.matcher(value).matches())) {
        throw fail(
            "value '"
                + value
                + "' must be at most 63 characters of alphanumerics, '-', '_' or '.', starting and"
                + " ending with an alphanumeric");
      }
    }

    private Token take() {
      return tokens.get(Math.min(next++, tokens.size() - 1));
    }

    private Token peek() {
      return tokens.get(Math.min(next, tokens.size() - 1));
    }

    private static String describe(Token t) {
      return t.kind == Kind.END ? "end of selector" : "'" + t.text + "'";
    }

    private InvalidSelectorException fail(String problem) {
      return new InvalidSelectorException(source, problem);
    }

    private void lex() {
      int i = 0;
      int n = source.length();
      while (i < n) {
        char c = source.charAt(i);
        if (Character.isWhitespace(c)) {
          i++;
        } else if (c == ',') {
          tokens.add(new Token(Kind.COMMA, ","));
          i++;
        } else if (c == '(') {
          tokens.add(new Token(Kind.OPEN, "("));
          i++;
        } else if (c == ')') {
          tokens.add(new Token(Kind.CLOSE, ")"));
          i++;
        } else if (c == '>') {
          tokens.add(new Token(Kind.GT, ">"));
          i++;
        } else if (c == '<') {
          tokens.add(new Token(Kind.LT, "<"));
          i++;
        } else if (c == '=') {
          boolean twice = i + 1 < n && source.charAt(i + 1) == '=';
          tokens.add(twice ? new Token(Kind.DOUBLE_EQ, "==") : new Token(Kind.EQ, "="));
          i += twice ? 2 : 1;
        } else if (c == '!') {
          boolean ne = i + 1 < n && source.charAt(i + 1) == '=';
          tokens.add(ne ? new Token(Kind.NOT_EQ, "!=") : new Token(Kind.BANG, "!"));
          i += ne ? 2 : 1;
        } else {
          int start = i;
          while (i < n && !Character.isWhitespace(source.charAt(i)) && !special(source.charAt(i))) {
            i++;
          }
          String word = source.substring(start, i);
          Kind kind =
              word.equals("in") ? Kind.IN : word.equals("notin") ? Kind.NOT_IN : Kind.IDENTIFIER;
          tokens.add(new Token(kind, word));
        }
      }
      tokens.add(new Token(Kind.END, ""));
    }

    private static boolean special(char c) {
      return c == ',' || c == '(' || c == ')' || c == '=' || c == '!' || c == '<' || c == '>';
    }
  }
}
