package dev.portcullis.rego.builtins;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code regex.globs_match}: whether two patterns of the small regex language of yashtewari/glob-intersection
 * (literals, {@code .}, {@code [..]} sets with ranges, backslash escapes, each optionally followed by {@code *},
 * {@code +} or {@code ?}) can match a common string. Each pattern is a chain of tokens; the product of the two chains
 * is searched breadth-first.
 */
final class GlobIntersection {
  private GlobIntersection() {}

  /** One token: a character set (null ranges = any character) and whether it may repeat or be skipped. */
  private record Token(int[] ranges, boolean optional, boolean repeat) {
    boolean intersects(Token o) {
      if (ranges == null || o.ranges == null) return true;
      for (int i = 0; i < ranges.length; i += 2) {
        for (int j = 0; j < o.ranges.length; j += 2) {
          if (ranges[i] <= o.ranges[j + 1] && o.ranges[j] <= ranges[i + 1]) return true;
        }
      }
      return false;
    }
  }

  static boolean nonEmpty(String a, String b) throws BuiltinException {
    List<Token> x = tokenize(a), y = tokenize(b);
    Deque<int[]> queue = new ArrayDeque<>();
    Set<Long> seen = new HashSet<>();
    push(queue, seen, x, y, 0, 0);
    while (!queue.isEmpty()) {
      int[] s = queue.poll();
      int i = s[0], j = s[1];
      if (i == x.size() && j == y.size()) return true;
      if (i == x.size() || j == y.size()) continue;
      Token tx = x.get(i), ty = y.get(j);
      if (!tx.intersects(ty)) continue;
      // Consume one common character: a repeating token may stay, any token may move on.
      push(queue, seen, x, y, i + 1, j + 1);
      if (tx.repeat) push(queue, seen, x, y, i, j + 1);
      if (ty.repeat) push(queue, seen, x, y, i + 1, j);
      if (tx.repeat && ty.repeat) push(queue, seen, x, y, i, j);
    }
    return false;
  }

  /** Adds a state and every state reachable from it by skipping optional tokens. */
  private static void push(Deque<int[]> queue, Set<Long> seen, List<Token> x, List<Token> y, int i, int j) {
    Deque<int[]> pending = new ArrayDeque<>();
    pending.push(new int[] {i, j});
    while (!pending.isEmpty()) {
      int[] s = pending.pop();
      if (!seen.add(((long) s[0] << 32) | s[1])) continue;
      queue.add(s);
      if (s[0] < x.size() && x.get(s[0]).optional) pending.push(new int[] {s[0] + 1, s[1]});
      if (s[1] < y.size() && y.get(s[1]).optional) pending.push(new int[] {s[0], s[1] + 1});
    }
  }

  private static List<Token> tokenize(String p) throws BuiltinException {
    List<Token> out = new ArrayList<>();
    int i = 0;
    while (i < p.length()) {
      int c = p.codePointAt(i);
      int start = i;
      i += Character.charCount(c);
      int[] ranges;
      switch (c) {
        case '.' -> ranges = null;
        case '\\' -> {
          if (i >= p.length()) throw invalid(p, i, "escape '\\' with no following character");
          int e = p.codePointAt(i);
          i += Character.charCount(e);
          ranges = new int[] {e, e};
        }
        case '[' -> {
          List<Integer> rs = new ArrayList<>();
          boolean closed = false;
          while (i < p.length()) {
            int d = p.codePointAt(i);
            i += Character.charCount(d);
            if (d == ']') {
              closed = true;
              break;
            }
            if (d == '\\') {
              if (i >= p.length()) break;
              d = p.codePointAt(i);
              i += Character.charCount(d);
            }
            int hi = d;
            if (i + 1 < p.length() && p.charAt(i) == '-' && p.charAt(i + 1) != ']') {
              hi = p.codePointAt(i + 1);
              i += 1 + Character.charCount(hi);
            }
            rs.add(d);
            rs.add(hi);
          }
          if (!closed) throw invalid(p, start + 1, "set-open '[' with no following ']'");
          ranges = rs.stream().mapToInt(Integer::intValue).toArray();
        }
        case ']' -> throw invalid(p, i, "set-close ']' with no preceding '['");
        case '*', '+', '?' -> throw invalid(p, i, "flag '" + (char) c + "' with no preceding token");
        default -> ranges = new int[] {c, c};
      }
      boolean optional = false, repeat = false;
      if (i < p.length()) {
        char f = p.charAt(i);
        if (f == '*') { optional = true; repeat = true; i++; }
        else if (f == '+') { repeat = true; i++; }
        else if (f == '?') { optional = true; i++; }
      }
      out.add(new Token(ranges, optional, repeat));
    }
    return out;
  }

  private static BuiltinException invalid(String input, int pos, String what) {
    return BuiltinException.error("input:" + input + ", pos:" + pos + ", " + what + ": the input provided is invalid");
  }
}
