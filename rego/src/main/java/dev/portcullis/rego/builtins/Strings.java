package dev.portcullis.rego.builtins;

import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.BooleanValue;
import dev.portcullis.rego.value.NumberValue;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.SetValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import java.util.ArrayList;
import java.util.List;

/** String built-ins with Go's semantics: positions and lengths count code points (runes), not UTF-16 units. */
final class Strings {
  private Strings() {}

  /** Output built between two charges against the size budget. */
  private static final int CHARGE_STEP = 1 << 16;

  static void register(BuiltinTable t) {
    t.register("concat", 2, (ctx, a) -> concat(ctx, a));
    t.register("contains", 2, (ctx, a) -> BooleanValue.of(Args.string(a, 0).contains(Args.string(a, 1))));
    t.register("startswith", 2, (ctx, a) -> BooleanValue.of(Args.string(a, 0).startsWith(Args.string(a, 1))));
    t.register("endswith", 2, (ctx, a) -> BooleanValue.of(Args.string(a, 0).endsWith(Args.string(a, 1))));
    t.register("indexof", 2, (ctx, a) -> indexOf(a));
    t.register("indexof_n", 2, (ctx, a) -> indexOfN(a));
    t.register("lower", 1, (ctx, a) -> mapCase(a, false));
    t.register("upper", 1, (ctx, a) -> mapCase(a, true));
    t.register("replace", 3, (ctx, a) -> replace(ctx, a));
    t.register("split", 2, (ctx, a) -> split(Args.string(a, 0), Args.string(a, 1)));
    t.register("strings.split_n", 3, (ctx, a) -> splitN(a));
    t.register("substring", 3, (ctx, a) -> substring(a));
    t.register("trim", 2, (ctx, a) -> keepIfSame(a[0], trim(Args.string(a, 0), Args.string(a, 1), true, true)));
    t.register("trim_left", 2, (ctx, a) -> keepIfSame(a[0], trim(Args.string(a, 0), Args.string(a, 1), true, false)));
    t.register("trim_right", 2, (ctx, a) -> keepIfSame(a[0], trim(Args.string(a, 0), Args.string(a, 1), false, true)));
    t.register("trim_prefix", 2, (ctx, a) -> {
      String s = Args.string(a, 0), p = Args.string(a, 1);
      return s.startsWith(p) && !p.isEmpty() ? StringValue.of(s.substring(p.length())) : a[0];
    });
    t.register("trim_suffix", 2, (ctx, a) -> {
      String s = Args.string(a, 0), p = Args.string(a, 1);
      return s.endsWith(p) && !p.isEmpty() ? StringValue.of(s.substring(0, s.length() - p.length())) : a[0];
    });
    t.register("trim_space", 1, (ctx, a) -> keepIfSame(a[0], trimSpace(Args.string(a, 0))));
    t.register("sprintf", 2, (ctx, a) -> {
      String format = Args.string(a, 0);
      ArrayValue args = Args.array(a, 1);
      String out = GoFmt.sprintf(format, args.elements());
      ctx.charge(out.length());
      return StringValue.of(out);
    });
    t.register("strings.replace_n", 2, (ctx, a) -> replaceN(ctx, a));
    t.register("strings.reverse", 1, (ctx, a) -> StringValue.of(reverse(Args.string(a, 0))));
    t.register("strings.count", 2, (ctx, a) -> NumberValue.of(count(Args.string(a, 0), Args.string(a, 1))));
    t.register("strings.any_prefix_match", 2, (ctx, a) -> anyMatch(a, true));
    t.register("strings.any_suffix_match", 2, (ctx, a) -> anyMatch(a, false));
    t.register("strings.render_template", 2, (ctx, a) -> {
      String template = Args.string(a, 0);
      return StringValue.of(GoTemplate.render(template, Args.object(a, 1)));
    });
  }

  private static Value keepIfSame(Value original, String result) {
    return ((StringValue) original).value().equals(result) ? original : StringValue.of(result);
  }

  private static Value concat(BuiltinContext ctx, Value[] a) throws BuiltinException {
    String sep = Args.string(a, 0);
    List<Value> parts;
    if (a[1] instanceof ArrayValue arr) parts = arr.elements();
    else if (a[1] instanceof SetValue set) parts = set.sorted();
    else throw Args.mismatch(1, "one of {set, array}", a[1]);
    if (parts.size() == 1 && parts.get(0) instanceof StringValue only) return only;
    long length = (long) sep.length() * Math.max(0, parts.size() - 1);
    for (Value p : parts) {
      if (!(p instanceof StringValue s)) throw elementMismatch(1, a[1], p, "string");
      length += s.value().length();
    }
    ctx.charge(length);
    StringBuilder sb = new StringBuilder((int) Math.min(length, Integer.MAX_VALUE - 8));
    for (int i = 0; i < parts.size(); i++) {
      if (i > 0) sb.append(sep);
      sb.append(((StringValue) parts.get(i)).value());
    }
    return StringValue.of(sb.toString());
  }

  /** OPA's error for a collection operand holding an element of the wrong type. */
  static BuiltinException elementMismatch(int i, Value composite, Value element, String expected) {
    String type = composite.typeName();
    return BuiltinException.type("operand " + (i + 1) + " must be " + type + " of " + expected + "s but got " + type
        + " containing " + element.typeName());
  }

  private static Value indexOf(Value[] a) throws BuiltinException {
    String base = Args.string(a, 0), search = Args.string(a, 1);
    if (search.isEmpty()) throw BuiltinException.error("empty search character");
    int i = base.indexOf(search);
    return NumberValue.of(i < 0 ? -1 : base.codePointCount(0, i));
  }

  private static Value indexOfN(Value[] a) throws BuiltinException {
    String base = Args.string(a, 0), search = Args.string(a, 1);
    if (search.isEmpty()) throw BuiltinException.error("empty search character");
    List<Value> out = new ArrayList<>();
    int runes = 0, last = 0;
    for (int i = base.indexOf(search); i >= 0; i = base.indexOf(search, i + Character.charCount(base.codePointAt(i)))) {
      runes += base.codePointCount(last, i);
      last = i;
      out.add(NumberValue.of(runes));
    }
    return new ArrayValue(out);
  }

  private static Value mapCase(Value[] a, boolean upper) throws BuiltinException {
    String s = Args.string(a, 0);
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      // Go maps each rune on its own (simple case mapping), never growing the string as Java's full mapping can.
      int m = upper ? Character.toUpperCase(c) : Character.toLowerCase(c);
      if (m != c && sb == null) sb = new StringBuilder(s.length()).append(s, 0, i);
      if (sb != null) sb.appendCodePoint(m);
      i += Character.charCount(c);
    }
    return sb == null ? a[0] : StringValue.of(sb.toString());
  }

  private static Value replace(BuiltinContext ctx, Value[] a) throws BuiltinException {
    String s = Args.string(a, 0), old = Args.string(a, 1), replacement = Args.string(a, 2);
    String out = replaceAll(ctx, s, new String[] {old}, new String[] {replacement});
    return out.equals(s) ? a[0] : StringValue.of(out);
  }

  private static Value replaceN(BuiltinContext ctx, Value[] a) throws BuiltinException {
    ObjectValue patterns = Args.object(a, 0);
    List<Value> keys = patterns.keys();
    String s = Args.string(a, 1);
    String[] olds = new String[keys.size()], news = new String[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      if (!(keys.get(i) instanceof StringValue k)) {
        throw BuiltinException.type("operand 1 non-string key found in pattern object");
      }
      if (!(patterns.get(k) instanceof StringValue v)) {
        throw BuiltinException.type("operand 1 non-string value found in pattern object");
      }
      olds[i] = k.value();
      news[i] = v.value();
    }
    return StringValue.of(replaceAll(ctx, s, olds, news));
  }

  /**
   * Go's {@code strings.Replacer}: scans left to right; where several patterns match, the earliest pattern wins;
   * replaced text is never rescanned; an empty pattern matches before every rune and at the end.
   */
  private static String replaceAll(BuiltinContext ctx, String s, String[] olds, String[] news)
      throws BuiltinException {
    if (olds.length == 0) return s;
    if (olds.length == 1 && !olds[0].isEmpty()) {
      int n = count(s, olds[0]);
      if (n == 0) return s;
      ctx.charge(s.length() + (long) n * Math.max(0, news[0].length() - olds[0].length()));
      return s.replace(olds[0], news[0]);
    }
    StringBuilder sb = new StringBuilder(s.length());
    long charged = 0;
    int i = 0;
    boolean prevEmpty = false;
    while (true) {
      int match = -1;
      for (int k = 0; k < olds.length; k++) {
        // Right after an empty match at this position, only non-empty patterns may match here (as Go does).
        if ((!prevEmpty || !olds[k].isEmpty()) && s.startsWith(olds[k], i)) {
          match = k;
          break;
        }
      }
      prevEmpty = match >= 0 && olds[match].isEmpty();
      if (match >= 0) {
        sb.append(news[match]);
        i += olds[match].length();
        if (sb.length() - charged > CHARGE_STEP) {
          ctx.charge(sb.length() - charged);
          charged = sb.length();
        }
        continue;
      }
      if (i >= s.length()) break;
      int c = s.codePointAt(i);
      sb.appendCodePoint(c);
      i += Character.charCount(c);
    }
    ctx.charge(sb.length() - charged);
    return sb.toString();
  }

  static Value split(String s, String sep) {
    List<Value> out = new ArrayList<>();
    if (sep.isEmpty()) {
      for (int i = 0; i < s.length(); ) {
        int c = s.codePointAt(i);
        int next = i + Character.charCount(c);
        out.add(StringValue.of(s.substring(i, next)));
        i = next;
      }
      return new ArrayValue(out);
    }
    int start = 0;
    for (int i = s.indexOf(sep); i >= 0; i = s.indexOf(sep, start)) {
      out.add(StringValue.of(s.substring(start, i)));
      start = i + sep.length();
    }
    out.add(StringValue.of(s.substring(start)));
    return new ArrayValue(out);
  }

  /** The first {@code n} parts of the split, or the last {@code -n} parts when {@code n} is negative. */
  private static Value splitN(Value[] a) throws BuiltinException {
    String s = Args.string(a, 0), sep = Args.string(a, 1);
    int n = Args.clampedInt(a, 2);
    List<Value> parts = ((ArrayValue) split(s, sep)).elements();
    if (Math.abs((long) n) >= parts.size()) return new ArrayValue(parts);
    return new ArrayValue(n >= 0 ? parts.subList(0, n) : parts.subList(parts.size() + n, parts.size()));
  }

  private static Value substring(Value[] a) throws BuiltinException {
    String s = Args.string(a, 0);
    int start = Args.clampedInt(a, 1);
    int length = Args.clampedInt(a, 2);
    if (start < 0) throw BuiltinException.error("negative offset");
    int runes = s.codePointCount(0, s.length());
    if (start >= runes) return StringValue.EMPTY;
    int from = s.offsetByCodePoints(0, start);
    if (length < 0 || (long) start + length >= runes) return from == 0 ? a[0] : StringValue.of(s.substring(from));
    return StringValue.of(s.substring(from, s.offsetByCodePoints(from, length)));
  }

  /** Go's {@code strings.Trim/TrimLeft/TrimRight}: drops runes found in {@code cutset} from the chosen ends. */
  private static String trim(String s, String cutset, boolean left, boolean right) {
    if (cutset.isEmpty() || s.isEmpty()) return s;
    int start = 0, end = s.length();
    if (left) {
      while (start < end) {
        int c = s.codePointAt(start);
        if (cutset.indexOf(c) < 0) break;
        start += Character.charCount(c);
      }
    }
    if (right) {
      while (end > start) {
        int c = s.codePointBefore(end);
        if (cutset.indexOf(c) < 0) break;
        end -= Character.charCount(c);
      }
    }
    return s.substring(start, end);
  }

  private static String trimSpace(String s) {
    int start = 0, end = s.length();
    while (start < end) {
      int c = s.codePointAt(start);
      if (!isGoSpace(c)) break;
      start += Character.charCount(c);
    }
    while (end > start) {
      int c = s.codePointBefore(end);
      if (!isGoSpace(c)) break;
      end -= Character.charCount(c);
    }
    return s.substring(start, end);
  }

  /** Go's {@code unicode.IsSpace}. */
  static boolean isGoSpace(int c) {
    switch (c) {
      case '\t', '\n', 0x0B, '\f', '\r', ' ', 0x85, 0xA0:
        return true;
      default:
        if (c < 0x100) return false;
        int type = Character.getType(c);
        return type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
            || type == Character.PARAGRAPH_SEPARATOR;
    }
  }

  static String reverse(String s) {
    return new StringBuilder(s).reverse().toString();
  }

  private static int count(String s, String sub) {
    if (sub.isEmpty()) return s.codePointCount(0, s.length()) + 1;
    int n = 0;
    for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) n++;
    return n;
  }

  private static Value anyMatch(Value[] a, boolean prefix) throws BuiltinException {
    List<String> strs = stringsOperand(a, 0), patterns = stringsOperand(a, 1);
    for (String s : strs) {
      for (String p : patterns) {
        if (prefix ? s.startsWith(p) : s.endsWith(p)) return BooleanValue.TRUE;
      }
    }
    return BooleanValue.FALSE;
  }

  /** A string, or an array or set of strings, as a list. */
  private static List<String> stringsOperand(Value[] a, int i) throws BuiltinException {
    List<Value> elements;
    if (a[i] instanceof StringValue s) return List.of(s.value());
    if (a[i] instanceof ArrayValue arr) elements = arr.elements();
    else if (a[i] instanceof SetValue set) elements = set.sorted();
    else throw Args.mismatch(i, "one of {string, set, array}", a[i]);
    List<String> out = new ArrayList<>(elements.size());
    for (Value e : elements) {
      if (!(e instanceof StringValue s)) throw elementMismatch(i, a[i], e, "string");
      out.add(s.value());
    }
    return out;
  }
}
