package dev.portcullis.rego.builtins;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.BooleanValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Regular expressions with Go's RE2 semantics through re2j. Compiled patterns are cached; iteration over matches
 * follows Go's {@code FindAll} rules (an empty match right after a previous match is skipped).
 */
final class Regex {
  private Regex() {}

  private static final BoundedCache<String, Pattern> CACHE = new BoundedCache<>(256);
  private static final BoundedCache<String, Pattern> TEMPLATES = new BoundedCache<>(64);
  private static final BoundedCache<String, Search> SEARCHES = new BoundedCache<>(256);
  private static final String META = "\\.+*?()|[]{}^$";

  /** Whether a pattern occurs in a text, as {@code regex.match} asks. */
  @FunctionalInterface
  private interface Search {
    boolean test(String text);
  }

  /**
   * Plain words, optionally anchored with ^ and $, are searched without the regex engine: RE2 gives them exactly
   * String's meaning ($ without the m flag matches only at the very end), at a fraction of the cost.
   */
  private static Search search(String pattern) throws BuiltinException {
    Pattern p = compile(pattern);
    boolean start = pattern.startsWith("^");
    boolean end = pattern.endsWith("$") && pattern.length() > (start ? 1 : 0);
    String body = pattern.substring(start ? 1 : 0, pattern.length() - (end ? 1 : 0));
    for (int i = 0; i < body.length(); i++) {
      if (META.indexOf(body.charAt(i)) >= 0) return text -> p.matcher(text).find();
    }
    if (start && end) return body::equals;
    if (start) return text -> text.startsWith(body);
    if (end) return text -> text.endsWith(body);
    return text -> text.contains(body);
  }
  /** Output built between two charges against the size budget. */
  private static final int CHARGE_STEP = 1 << 16;

  static void register(BuiltinTable t) {
    t.register("regex.is_valid", 1, (ctx, a) -> {
      if (!(a[0] instanceof StringValue s)) return BooleanValue.FALSE;
      try {
        compile(s.value());
        return BooleanValue.TRUE;
      } catch (BuiltinException e) {
        return BooleanValue.FALSE;
      }
    });
    t.register("regex.match", 2, (ctx, a) -> {
      Search search = SEARCHES.get(Args.string(a, 0), Regex::search);
      return BooleanValue.of(search.test(Args.string(a, 1)));
    });
    t.register("regex.split", 2, (ctx, a) -> {
      Pattern p = compile(Args.string(a, 0));
      return split(p, Args.string(a, 1));
    });
    t.register("regex.find_n", 3, (ctx, a) -> {
      Pattern p = compile(Args.string(a, 0));
      String s = Args.string(a, 1);
      int n = Args.clampedInt(a, 2);
      List<Value> out = new ArrayList<>();
      for (int[] m : findAll(p, s, n)) out.add(StringValue.of(s.substring(m[0], m[1])));
      return new ArrayValue(out);
    });
    t.register("regex.find_all_string_submatch_n", 3, (ctx, a) -> {
      Pattern p = compile(Args.string(a, 0));
      String s = Args.string(a, 1);
      int n = Args.clampedInt(a, 2);
      List<Value> out = new ArrayList<>();
      for (int[] m : findAll(p, s, n)) {
        List<Value> groups = new ArrayList<>(m.length / 2);
        for (int g = 0; g < m.length; g += 2) {
          groups.add(m[g] < 0 ? StringValue.EMPTY : StringValue.of(s.substring(m[g], m[g + 1])));
        }
        out.add(new ArrayValue(groups));
      }
      return new ArrayValue(out);
    });
    t.register("regex.replace", 3, (ctx, a) -> {
      String s = Args.string(a, 0);
      Pattern p = compile(Args.string(a, 1));
      String replacement = Args.string(a, 2);
      String out = replaceAll(ctx, p, s, replacement);
      return out.equals(s) ? a[0] : StringValue.of(out);
    });
    t.register("regex.template_match", 4, (ctx, a) -> {
      String template = Args.string(a, 0), s = Args.string(a, 1);
      String start = Args.string(a, 2), end = Args.string(a, 3);
      int startLen = start.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      int endLen = end.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      if (startLen != 1) {
        throw BuiltinException.error("start delimiter has to be exactly one character long but is " + startLen + " long");
      }
      if (endLen != 1) {
        // OPA reports the start delimiter's length here too.
        throw BuiltinException.error("end delimiter has to be exactly one character long but is " + startLen + " long");
      }
      char open = start.charAt(0), close = end.charAt(0);
      Pattern p = TEMPLATES.get(open + "" + close + template, k -> compileTemplate(template, open, close));
      return BooleanValue.of(p.matcher(s).find());
    });
    t.register("regex.globs_match", 2, (ctx, a) -> {
      String x = Args.string(a, 0), y = Args.string(a, 1);
      return BooleanValue.of(GlobIntersection.nonEmpty(x, y));
    });
  }

  static Pattern compile(String pattern) throws BuiltinException {
    return CACHE.get(pattern, Regex::doCompile);
  }

  private static Pattern doCompile(String pattern) throws BuiltinException {
    try {
      return Pattern.compile(pattern);
    } catch (PatternSyntaxException e) {
      throw BuiltinException.error(goError(e));
    }
  }

  /** Go's text for a syntax error: "error parsing regexp: missing closing ]: `[a`". */
  private static String goError(PatternSyntaxException e) {
    String msg = e.getMessage();
    return msg.startsWith("error parsing regexp: ") ? msg : "error parsing regexp: " + e.getDescription() + ": `"
        + e.getPattern() + "`";
  }

  /**
   * Go's {@code allMatches}: successive non-overlapping matches, at most {@code n} ({@code n < 0} for all), each as
   * start/end offsets of the match and of every group (-1 when a group did not take part).
   */
  static List<int[]> findAll(Pattern p, String s, int n) {
    List<int[]> out = new ArrayList<>();
    if (n == 0) return out;
    Matcher m = p.matcher(s);
    int groups = m.groupCount();
    int pos = 0, prevEnd = -1;
    while ((n < 0 || out.size() < n) && pos <= s.length()) {
      if (!m.find(pos)) break;
      boolean accept = true;
      if (m.end() == pos) {
        if (m.start() == prevEnd) accept = false;
        pos += pos < s.length() ? Character.charCount(s.codePointAt(pos)) : 1;
      } else {
        pos = m.end();
      }
      prevEnd = m.end();
      if (accept) {
        int[] match = new int[2 * (groups + 1)];
        for (int g = 0; g <= groups; g++) {
          match[2 * g] = m.start(g);
          match[2 * g + 1] = m.end(g);
        }
        out.add(match);
      }
    }
    return out;
  }

  /** Go's {@code Regexp.Split(s, -1)}. */
  private static Value split(Pattern p, String s) {
    List<Value> out = new ArrayList<>();
    if (!p.pattern().isEmpty() && s.isEmpty()) return ArrayValue.of(StringValue.EMPTY);
    int beg = 0, end = 0;
    for (int[] m : findAll(p, s, -1)) {
      end = m[0];
      if (m[1] != 0) out.add(StringValue.of(s.substring(beg, end)));
      beg = m[1];
    }
    if (end != s.length()) out.add(StringValue.of(s.substring(beg)));
    return new ArrayValue(out);
  }

  /** Go's {@code ReplaceAllString}, with {@code $1}, {@code ${name}} and {@code $$} in the replacement. */
  private static String replaceAll(BuiltinContext ctx, Pattern p, String s, String template) throws BuiltinException {
    Matcher m = p.matcher(s);
    Map<String, Integer> names = p.namedGroups();
    StringBuilder out = null;
    long charged = 0;
    int lastEnd = 0, search = 0;
    while (search <= s.length()) {
      if (!m.find(search)) break;
      if (out == null) out = new StringBuilder(s.length() + 16);
      out.append(s, lastEnd, m.start());
      if (m.end() > lastEnd || m.start() == 0) expand(out, template, m, names);
      lastEnd = m.end();
      int width = search < s.length() ? Character.charCount(s.codePointAt(search)) : 1;
      search = search + width > m.end() ? search + width : m.end();
      if (out.length() - charged > CHARGE_STEP) {
        ctx.charge(out.length() - charged);
        charged = out.length();
      }
    }
    if (out == null) return s;
    out.append(s, lastEnd, s.length());
    ctx.charge(out.length() - charged);
    return out.toString();
  }

  private static void expand(StringBuilder out, String template, Matcher m, Map<String, Integer> names) {
    int i = 0;
    while (i < template.length()) {
      int dollar = template.indexOf('$', i);
      if (dollar < 0) break;
      out.append(template, i, dollar);
      i = dollar + 1;
      if (i < template.length() && template.charAt(i) == '$') {
        out.append('$');
        i++;
        continue;
      }
      String name;
      int rest;
      if (i < template.length() && template.charAt(i) == '{') {
        int close = template.indexOf('}', i + 1);
        name = close < 0 ? "" : template.substring(i + 1, close);
        rest = close + 1;
        if (close < 0 || name.isEmpty() || !isName(name)) {
          out.append('$');
          continue;
        }
      } else {
        int j = i;
        while (j < template.length() && isNameChar(template.charAt(j))) j++;
        name = template.substring(i, j);
        rest = j;
        if (name.isEmpty()) {
          out.append('$');
          continue;
        }
      }
      i = rest;
      int group = -1;
      if (name.chars().allMatch(Character::isDigit)) {
        try {
          group = Integer.parseInt(name);
        } catch (NumberFormatException tooBig) {
          group = -1;
        }
      } else {
        Integer g = names.get(name);
        if (g != null) group = g;
      }
      if (group >= 0 && group <= m.groupCount() && m.start(group) >= 0) {
        out.append(m.group(group));
      }
    }
    out.append(template, Math.min(i, template.length()), template.length());
  }

  private static boolean isName(String s) {
    for (int k = 0; k < s.length(); k++) if (!isNameChar(s.charAt(k))) return false;
    return true;
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  /** Gorilla-mux style templates as OPA compiles them: text outside the delimiters is literal, inside is a regex. */
  private static Pattern compileTemplate(String template, char open, char close) throws BuiltinException {
    List<Integer> idxs = new ArrayList<>();
    int level = 0, idx = 0;
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c == open) {
        if (++level == 1) idx = i;
      } else if (c == close) {
        if (--level == 0) {
          idxs.add(idx);
          idxs.add(i + 1);
        } else if (level < 0) {
          throw BuiltinException.error("unbalanced braces in " + GoFmt.quote(template, false));
        }
      }
    }
    if (level != 0) throw BuiltinException.error("unbalanced braces in " + GoFmt.quote(template, false));
    StringBuilder pattern = new StringBuilder("^");
    int end = 0;
    for (int i = 0; i < idxs.size(); i += 2) {
      String raw = template.substring(end, idxs.get(i));
      end = idxs.get(i + 1);
      String inner = template.substring(idxs.get(i) + 1, end - 1);
      pattern.append(Pattern.quote(raw)).append('(').append(inner).append(')');
      doCompile("^" + inner + "$");
    }
    pattern.append(Pattern.quote(template.substring(end))).append('$');
    return doCompile(pattern.toString());
  }
}
