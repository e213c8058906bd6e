package dev.portcullis.rego.builtins;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A glob without {@code {..}} alternatives as a token list, matched by a sweep over the text that tracks every
 * position each prefix of the pattern can reach: linear in text length times token count, with no backtracking.
 */
final class GlobTokens implements Globs.GlobMatcher {
  private enum Kind { LITERAL, STAR, SUPER, ONE, CLASS }

  private record Token(Kind kind, String literal, int[] ranges, boolean negate) {}

  private final List<Token> tokens;
  private final String delimiters;

  private GlobTokens(List<Token> tokens, String delimiters) {
    this.tokens = tokens;
    this.delimiters = delimiters;
  }

  /** The token form of a syntactically valid glob, or null when it uses alternatives. */
  static GlobTokens compile(String g, String delimiters) {
    List<Token> out = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < g.length()) {
      char c = g.charAt(i);
      if (c == '{') return null;
      if (c == '*' || c == '?' || c == '[') {
        if (literal.length() > 0) {
          out.add(new Token(Kind.LITERAL, literal.toString(), null, false));
          literal.setLength(0);
        }
      }
      switch (c) {
        case '*' -> {
          boolean isSuper = i + 1 < g.length() && g.charAt(i + 1) == '*';
          out.add(new Token(isSuper ? Kind.SUPER : Kind.STAR, null, null, false));
          i += isSuper ? 2 : 1;
        }
        case '?' -> {
          out.add(new Token(Kind.ONE, null, null, false));
          i++;
        }
        case '[' -> {
          int close = g.indexOf(']', i + 1);
          String body = g.substring(i + 1, close);
          boolean negate = body.startsWith("!");
          if (negate) body = body.substring(1);
          int[] cps = body.codePoints().toArray();
          List<Integer> ranges = new ArrayList<>();
          for (int k = 0; k < cps.length; k++) {
            if (k + 2 < cps.length && cps[k + 1] == '-') {
              ranges.add(cps[k]);
              ranges.add(cps[k + 2]);
              k += 2;
            } else {
              ranges.add(cps[k]);
              ranges.add(cps[k]);
            }
          }
          out.add(new Token(Kind.CLASS, null, ranges.stream().mapToInt(Integer::intValue).toArray(), negate));
          i = close + 1;
        }
        case '\\' -> {
          int e = g.codePointAt(i + 1);
          literal.appendCodePoint(e);
          i += 1 + Character.charCount(e);
        }
        default -> {
          literal.append(c);
          i++;
        }
      }
    }
    if (literal.length() > 0) out.add(new Token(Kind.LITERAL, literal.toString(), null, false));
    return new GlobTokens(out, delimiters);
  }

  @Override
  public boolean matches(String text) {
    int n = text.length();
    boolean[] reach = new boolean[n + 1];
    boolean[] next = new boolean[n + 1];
    reach[0] = true;
    for (Token t : tokens) {
      Arrays.fill(next, false);
      boolean any = false;
      switch (t.kind) {
        case LITERAL -> {
          for (int p = 0; p + t.literal.length() <= n; p++) {
            if (reach[p] && text.startsWith(t.literal, p)) next[p + t.literal.length()] = any = true;
          }
        }
        case SUPER -> {
          for (int p = 0; p <= n; p++) {
            if (reach[p]) {
              Arrays.fill(next, p, n + 1, true);
              any = true;
              break;
            }
          }
        }
        case STAR -> {
          // Sweep forward: a reached position extends over every following non-delimiter character.
          for (int p = 0; p <= n; ) {
            if (reach[p]) next[p] = any = true;
            if (p == n) break;
            int cp = text.codePointAt(p);
            int q = p + Character.charCount(cp);
            if (next[p] && delimiters.indexOf(cp) < 0) next[q] = true;
            p = q;
          }
        }
        case ONE, CLASS -> {
          for (int p = 0; p < n; ) {
            int cp = text.codePointAt(p);
            int q = p + Character.charCount(cp);
            if (reach[p] && (t.kind == Kind.ONE ? delimiters.indexOf(cp) < 0 : inClass(t, cp))) next[q] = any = true;
            p = q;
          }
        }
      }
      if (!any) return false;
      boolean[] swap = reach;
      reach = next;
      next = swap;
    }
    return reach[n];
  }

  private static boolean inClass(Token t, int cp) {
    boolean in = false;
    for (int k = 0; k < t.ranges.length && !in; k += 2) in = cp >= t.ranges[k] && cp <= t.ranges[k + 1];
    return in != t.negate;
  }
}
