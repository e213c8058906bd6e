package dev.portcullis.rego.builtins;

import com.google.re2j.Pattern;
import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.BooleanValue;
import dev.portcullis.rego.value.NullValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import java.util.List;

/**
 * {@code glob.match} with gobwas/glob semantics: {@code *} spans anything but a delimiter, {@code **} spans
 * anything, {@code ?} is one non-delimiter character, {@code [a-z]} / {@code [!a-z]} are character classes,
 * {@code {a,b}} alternatives and {@code \} escapes. Patterns without alternatives run on a small token matcher
 * (the common case, several times faster); the others compile to an RE2 pattern.
 */
final class Globs {
  private Globs() {}

  private static final BoundedCache<String, GlobMatcher> CACHE = new BoundedCache<>(256);

  /** A compiled glob. */
  interface GlobMatcher {
    boolean matches(String text);
  }

  static void register(BuiltinTable t) {
    t.register("glob.match", 3, (ctx, a) -> {
      String pattern = Args.string(a, 0);
      String delimiters;
      if (a[1] instanceof NullValue) {
        delimiters = "";
      } else if (a[1] instanceof ArrayValue arr) {
        delimiters = delimiters(arr);
        if (delimiters.isEmpty()) delimiters = ".";
      } else {
        throw Args.mismatch(1, "one of {array, null}", a[1]);
      }
      String text = Args.string(a, 2);
      String delims = delimiters;
      GlobMatcher m = CACHE.get(pattern + "\u0000" + delimiters, k -> compileMatcher(pattern, delims));
      return BooleanValue.of(m.matches(text));
    });
    t.register("glob.quote_meta", 1, (ctx, a) -> StringValue.of(quoteMeta(Args.string(a, 0))));
  }

  private static String delimiters(ArrayValue arr) throws BuiltinException {
    StringBuilder sb = new StringBuilder();
    for (Value v : arr.elements()) {
      if (!(v instanceof StringValue s)) throw Strings.elementMismatch(1, arr, v, "string");
      if (s.value().codePointCount(0, s.value().length()) != 1) throw Strings.elementMismatch(1, arr, v, "rune");
      sb.append(s.value());
    }
    return sb.toString();
  }

  /** gobwas/glob's {@code QuoteMeta}: a backslash before every special character. */
  static String quoteMeta(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ("*?[]{}\\".indexOf(c) >= 0) sb.append('\\');
      sb.append(c);
    }
    return sb.toString();
  }

  static GlobMatcher compileMatcher(String glob, String delimiters) throws BuiltinException {
    Pattern regex = compile(glob, delimiters); // validates the syntax in every case
    GlobMatcher tokens = GlobTokens.compile(glob, delimiters);
    return tokens != null ? tokens : text -> regex.matcher(text).matches();
  }

  static Pattern compile(String glob, String delimiters) throws BuiltinException {
    StringBuilder re = new StringBuilder("(?s)");
    int end = translate(glob, 0, delimiters, re, false);
    if (end != glob.length()) throw BuiltinException.error("unexpected '" + glob.charAt(end) + "' in glob pattern");
    try {
      return Pattern.compile(re.toString());
    } catch (com.google.re2j.PatternSyntaxException e) {
      throw BuiltinException.error("invalid glob pattern: " + glob);
    }
  }

  /** Translates from {@code i} until the end, or inside braces until an unmatched ',' or '}'; returns the stop. */
  private static int translate(String g, int i, String delims, StringBuilder re, boolean inBraces)
      throws BuiltinException {
    String notDelim = delims.isEmpty() ? "." : "[^" + classEscape(delims) + "]";
    while (i < g.length()) {
      char c = g.charAt(i);
      switch (c) {
        case '*' -> {
          if (i + 1 < g.length() && g.charAt(i + 1) == '*') {
            re.append(".*");
            i += 2;
          } else {
            re.append(notDelim).append('*');
            i++;
          }
        }
        case '?' -> {
          re.append(notDelim);
          i++;
        }
        case '[' -> i = charClass(g, i, re);
        case '{' -> {
          re.append("(?:");
          i++;
          while (true) {
            i = translate(g, i, delims, re, true);
            if (i >= g.length()) throw BuiltinException.error("unexpected end of input: unclosed '{'");
            if (g.charAt(i) == '}') {
              i++;
              break;
            }
            re.append('|');
            i++;
          }
          re.append(')');
        }
        case ',', '}' -> {
          if (inBraces) return i;
          re.append(Pattern.quote(String.valueOf(c)));
          i++;
        }
        case '\\' -> {
          if (i + 1 >= g.length()) throw BuiltinException.error("unexpected end of input after escape");
          int e = g.codePointAt(i + 1);
          re.append(Pattern.quote(new String(Character.toChars(e))));
          i += 1 + Character.charCount(e);
        }
        default -> {
          int cp = g.codePointAt(i);
          re.append(Pattern.quote(new String(Character.toChars(cp))));
          i += Character.charCount(cp);
        }
      }
    }
    return i;
  }

  private static int charClass(String g, int i, StringBuilder re) throws BuiltinException {
    int close = g.indexOf(']', i + 1);
    if (close < 0) throw BuiltinException.error("unexpected end of input: unclosed '['");
    String body = g.substring(i + 1, close);
    boolean negate = body.startsWith("!");
    if (negate) body = body.substring(1);
    StringBuilder cls = new StringBuilder(negate ? "[^" : "[");
    List<Integer> cps = body.codePoints().boxed().toList();
    for (int k = 0; k < cps.size(); k++) {
      int lo = cps.get(k);
      if (k + 2 < cps.size() && cps.get(k + 1) == '-') {
        cls.append(classEscape(new String(Character.toChars(lo)))).append('-')
            .append(classEscape(new String(Character.toChars(cps.get(k + 2)))));
        k += 2;
      } else {
        cls.append(classEscape(new String(Character.toChars(lo))));
      }
    }
    if (body.isEmpty()) throw BuiltinException.error("empty character class in glob pattern");
    re.append(cls).append(']');
    return close + 1;
  }

  private static String classEscape(String s) {
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if ("\\]^-[".indexOf(c) >= 0) sb.append('\\');
      sb.append(c);
    }
    return sb.toString();
  }
}
