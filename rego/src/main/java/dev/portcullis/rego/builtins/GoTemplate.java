package dev.portcullis.rego.builtins;

import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.BooleanValue;
import dev.portcullis.rego.value.NullValue;
import dev.portcullis.rego.value.NumberValue;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.SetValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of Go's {@code text/template} that {@code strings.render_template} policies use: text, {@code {{.a.b}}},
 * variables, {@code if / else if / else}, {@code range} (with {@code $i, $v :=}), {@code with}, comments, trim markers,
 * pipelines and the functions {@code len index print printf println eq ne lt le gt ge and or not}. Values print
 * as Go's {@code %v} prints decoded JSON; a missing key prints {@code <undefined>}.
 */
final class GoTemplate {
  private GoTemplate() {}

  /** Deeper nesting of if/range/with is refused rather than risk the stack. */
  private static final int MAX_DEPTH = 100;

  /** Marks a key absent from the variables; prints as {@code <undefined>} and is false. */
  private static final Object MISSING = new Object();

  // ---- parse tree ----
  private sealed interface Node permits Text, Action, Block {}

  private record Text(String text) implements Node {}

  private record Action(Pipeline pipe) implements Node {}

  private record Block(String kind, Pipeline pipe, List<Node> body, List<Node> otherwise) implements Node {}

  private record Pipeline(List<String> decls, boolean assign, List<List<Object>> cmds) {}

  /** A field chain such as {@code .a.b} or {@code $x.a}; {@code root} is "." or a variable name. */
  private record Field(String root, List<String> names) {}

  private record Literal(Object value) {}

  private record Ident(String name) {}

  static String render(String template, ObjectValue vars) throws BuiltinException {
    Parser p = new Parser(template);
    List<Node> nodes = p.list(true);
    StringBuilder out = new StringBuilder();
    Map<String, Object> scope = new HashMap<>();
    scope.put("$", vars);
    exec(nodes, vars, scope, out);
    return out.toString();
  }

  private static BuiltinException fail(String msg) {
    return BuiltinException.error("template: template: " + msg);
  }

  // ---- parser ----
  private static final class Parser {
    private final String src;
    private int pos;
    private String endKeyword; // the keyword that closed the last list: end / else
    private int depth;

    Parser(String src) { this.src = src; }

    /** Parses nodes until EOF (top) or an {{end}} / {{else}}. */
    List<Node> list(boolean top) throws BuiltinException {
      List<Node> nodes = new ArrayList<>();
      StringBuilder text = new StringBuilder();
      while (pos < src.length()) {
        int open = src.indexOf("{{", pos);
        if (open < 0) {
          text.append(src, pos, src.length());
          pos = src.length();
          break;
        }
        text.append(src, pos, open);
        int start = open + 2;
        boolean trimLeft = start + 1 < src.length() && src.charAt(start) == '-' && isSpace(src.charAt(start + 1));
        if (trimLeft) {
          int k = text.length();
          while (k > 0 && isSpace(text.charAt(k - 1))) k--;
          text.setLength(k);
          start += 2;
        }
        int close = findClose(start);
        if (close < 0) throw fail("1: unclosed action");
        int bodyEnd = close;
        boolean trimRight = close >= 2 && src.charAt(close - 1) == '-' && isSpace(src.charAt(close - 2));
        if (trimRight) bodyEnd = close - 2;
        String body = src.substring(start, Math.max(start, bodyEnd)).trim();
        pos = close + 2;
        if (trimRight) while (pos < src.length() && isSpace(src.charAt(pos))) pos++;
        if (text.length() > 0) {
          nodes.add(new Text(text.toString()));
          text.setLength(0);
        }
        if (body.startsWith("/*")) continue;
        String word = body.split("\\s+", 2)[0];
        switch (word) {
          case "end", "else" -> {
            if (top) throw fail("1: unexpected {{" + word + "}}");
            endKeyword = word;
            elseRest = word.equals("else") ? body.substring(4).trim() : "";
            return nodes;
          }
          case "if", "range", "with" -> nodes.add(block(word, body.substring(word.length()).trim()));
          case "break", "continue", "define", "template", "block" -> throw fail("1: unsupported action {{" + word + "}}");
          default -> nodes.add(new Action(pipeline(body)));
        }
      }
      if (!top) throw fail("1: unexpected EOF");
      if (text.length() > 0) nodes.add(new Text(text.toString()));
      return nodes;
    }

    private String elseRest = "";

    private Block block(String kind, String pipeText) throws BuiltinException {
      if (++depth > MAX_DEPTH) throw fail("1: actions nested too deeply");
      Pipeline pipe = pipeline(pipeText);
      List<Node> body = list(false);
      List<Node> otherwise = null;
      if (endKeyword.equals("else")) {
        String rest = elseRest;
        if (rest.startsWith("if ") && kind.equals("if")) {
          // {{else if x}} nests an if that shares this block's {{end}}.
          otherwise = List.of(block("if", rest.substring(3).trim()));
          depth--;
          return new Block(kind, pipe, body, otherwise);
        }
        otherwise = list(false);
        if (!endKeyword.equals("end")) throw fail("1: expected {{end}}");
      }
      depth--;
      return new Block(kind, pipe, body, otherwise);
    }

    private int findClose(int from) {
      boolean inString = false;
      char quote = 0;
      for (int i = from; i + 1 < src.length(); i++) {
        char c = src.charAt(i);
        if (inString) {
          if (c == '\\' && quote == '"') i++;
          else if (c == quote) inString = false;
        } else if (c == '"' || c == '`' || c == '\'') {
          inString = true;
          quote = c;
        } else if (c == '}' && src.charAt(i + 1) == '}') {
          return i;
        }
      }
      return -1;
    }

    Pipeline pipeline(String text) throws BuiltinException {
      List<String> tokens = tokenize(text);
      List<String> decls = new ArrayList<>();
      boolean assign = false;
      int i = 0;
      // $x := ... or $i, $v := ...
      int j = 0;
      List<String> vars = new ArrayList<>();
      while (j < tokens.size() && tokens.get(j).startsWith("$") && !tokens.get(j).contains(".")) {
        vars.add(tokens.get(j));
        j++;
        if (j < tokens.size() && tokens.get(j).equals(",")) j++;
        else break;
      }
      if (!vars.isEmpty() && j < tokens.size() && (tokens.get(j).equals(":=") || tokens.get(j).equals("="))) {
        decls = vars;
        assign = tokens.get(j).equals("=");
        i = j + 1;
      }
      List<List<Object>> cmds = new ArrayList<>();
      List<Object> cmd = new ArrayList<>();
      for (; i < tokens.size(); i++) {
        String t = tokens.get(i);
        if (t.equals("|")) {
          if (cmd.isEmpty()) throw fail("1: missing command");
          cmds.add(cmd);
          cmd = new ArrayList<>();
        } else if (t.startsWith("(")) {
          cmd.add(pipeline(t.substring(1, t.length() - 1)));
        } else {
          cmd.add(operand(t));
        }
      }
      if (cmd.isEmpty()) throw fail("1: missing value for command");
      cmds.add(cmd);
      return new Pipeline(decls, assign, cmds);
    }

    private Object operand(String t) throws BuiltinException {
      char c = t.charAt(0);
      if (c == '"') return new Literal(StringValue.of(unquote(t)));
      if (c == '`') return new Literal(StringValue.of(t.substring(1, t.length() - 1)));
      if (c == '.' || c == '$') {
        String root = c == '.' ? "." : t.split("\\.", 2)[0];
        String rest = c == '.' ? t.substring(1) : t.substring(root.length());
        if (rest.startsWith(".")) rest = rest.substring(1);
        List<String> names = rest.isEmpty() ? List.of() : List.of(rest.split("\\."));
        return new Field(root, names);
      }
      if (t.equals("true") || t.equals("false")) return new Literal(BooleanValue.of(t.equals("true")));
      if (t.equals("nil")) return new Literal(NullValue.INSTANCE);
      if (c == '-' || c == '+' || Character.isDigit(c)) {
        try {
          return new Literal(NumberValue.parse(t.startsWith("+") ? t.substring(1) : t));
        } catch (NumberFormatException e) {
          throw fail("1: bad number syntax: " + GoFmt.quote(t, false));
        }
      }
      return new Ident(t);
    }

    private static String unquote(String t) {
      StringBuilder sb = new StringBuilder();
      for (int i = 1; i < t.length() - 1; i++) {
        char c = t.charAt(i);
        if (c == '\\' && i + 1 < t.length() - 1) {
          char e = t.charAt(++i);
          sb.append(switch (e) { case 'n' -> '\n'; case 't' -> '\t'; case 'r' -> '\r'; default -> e; });
        } else {
          sb.append(c);
        }
      }
      return sb.toString();
    }

    private static List<String> tokenize(String s) throws BuiltinException {
      List<String> out = new ArrayList<>();
      int i = 0;
      while (i < s.length()) {
        char c = s.charAt(i);
        if (isSpace(c)) {
          i++;
        } else if (c == '|' || c == ',') {
          out.add(String.valueOf(c));
          i++;
        } else if (c == ':' && i + 1 < s.length() && s.charAt(i + 1) == '=') {
          out.add(":=");
          i += 2;
        } else if (c == '=') {
          out.add("=");
          i++;
        } else if (c == '"' || c == '`') {
          int j = i + 1;
          while (j < s.length() && s.charAt(j) != c) j += s.charAt(j) == '\\' && c == '"' ? 2 : 1;
          if (j >= s.length()) throw fail("1: unterminated quoted string");
          out.add(s.substring(i, j + 1));
          i = j + 1;
        } else if (c == '(') {
          int depth = 0, j = i;
          for (; j < s.length(); j++) {
            if (s.charAt(j) == '(') depth++;
            else if (s.charAt(j) == ')' && --depth == 0) break;
          }
          if (j >= s.length()) throw fail("1: unclosed left paren");
          out.add(s.substring(i, j + 1));
          i = j + 1;
        } else {
          int j = i;
          while (j < s.length() && !isSpace(s.charAt(j)) && "|,()=".indexOf(s.charAt(j)) < 0
              && !(s.charAt(j) == ':' && j + 1 < s.length() && s.charAt(j + 1) == '=')) j++;
          if (j == i) throw fail("1: unexpected " + GoFmt.quote(String.valueOf(c), false) + " in command");
          out.add(s.substring(i, j));
          i = j;
        }
      }
      return out;
    }
  }

  private static boolean isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

  // ---- execution ----
  private static void exec(List<Node> nodes, Object dot, Map<String, Object> scope, StringBuilder out)
      throws BuiltinException {
    for (Node n : nodes) {
      if (n instanceof Text t) {
        out.append(t.text);
      } else if (n instanceof Action a) {
        Object v = eval(a.pipe, dot, scope);
        if (a.pipe.decls.isEmpty()) print(v, out);
      } else {
        Block b = (Block) n;
        Map<String, Object> inner = new HashMap<>(scope);
        switch (b.kind) {
          case "if" -> {
            if (truth(eval(b.pipe, dot, inner))) exec(b.body, dot, inner, out);
            else if (b.otherwise != null) exec(b.otherwise, dot, inner, out);
          }
          case "with" -> {
            Object v = eval(b.pipe, dot, inner);
            if (truth(v)) exec(b.body, v, inner, out);
            else if (b.otherwise != null) exec(b.otherwise, dot, inner, out);
          }
          default -> range(b, dot, inner, out);
        }
      }
    }
  }

  private static void range(Block b, Object dot, Map<String, Object> scope, StringBuilder out)
      throws BuiltinException {
    Pipeline p = b.pipe;
    Object v = eval(new Pipeline(List.of(), false, p.cmds), dot, scope);
    List<Object[]> items = new ArrayList<>();
    if (v instanceof ArrayValue a) {
      for (int i = 0; i < a.size(); i++) items.add(new Object[] {NumberValue.of(i), a.get(i)});
    } else if (v instanceof SetValue s) {
      List<Value> sorted = s.sorted();
      for (int i = 0; i < sorted.size(); i++) items.add(new Object[] {NumberValue.of(i), sorted.get(i)});
    } else if (v instanceof ObjectValue o) {
      for (Value k : o.keys()) items.add(new Object[] {k, o.get(k)});
    } else if (v instanceof NumberValue n && n.fitsLong()) {
      for (long i = 0; i < n.longValueExact(); i++) items.add(new Object[] {NumberValue.of(i), NumberValue.of(i)});
    } else if (!(v == MISSING || v instanceof NullValue)) {
      throw fail("1: range can't iterate over " + text(v));
    }
    if (items.isEmpty()) {
      if (b.otherwise != null) exec(b.otherwise, dot, scope, out);
      return;
    }
    for (Object[] item : items) {
      if (p.decls.size() == 1) scope.put(p.decls.get(0), item[1]);
      if (p.decls.size() == 2) {
        scope.put(p.decls.get(0), item[0]);
        scope.put(p.decls.get(1), item[1]);
      }
      exec(b.body, item[1], scope, out);
    }
  }

  private static Object eval(Pipeline p, Object dot, Map<String, Object> scope) throws BuiltinException {
    Object result = null;
    boolean first = true;
    for (List<Object> cmd : p.cmds) {
      result = command(cmd, dot, scope, first ? null : result, !first);
      first = false;
    }
    if (!p.decls.isEmpty()) scope.put(p.decls.get(p.decls.size() - 1), result);
    return result;
  }

  private static Object command(List<Object> cmd, Object dot, Map<String, Object> scope, Object piped,
      boolean hasPiped) throws BuiltinException {
    Object head = cmd.get(0);
    if (head instanceof Ident id) {
      List<Object> args = new ArrayList<>();
      for (int i = 1; i < cmd.size(); i++) args.add(arg(cmd.get(i), dot, scope));
      if (hasPiped) args.add(piped);
      return call(id.name, args);
    }
    if (cmd.size() > 1 || hasPiped) throw fail("1: can't give argument to non-function " + head);
    return arg(head, dot, scope);
  }

  private static Object arg(Object operand, Object dot, Map<String, Object> scope) throws BuiltinException {
    if (operand instanceof Literal l) return l.value;
    if (operand instanceof Pipeline p) return eval(p, dot, scope);
    if (operand instanceof Ident id) return call(id.name, List.of());
    Field f = (Field) operand;
    Object v;
    if (f.root.equals(".")) {
      v = dot;
    } else {
      if (!scope.containsKey(f.root)) throw fail("1: undefined variable: " + f.root);
      v = scope.get(f.root);
    }
    for (String name : f.names) {
      if (v instanceof ObjectValue o) {
        Value next = o.get(name);
        v = next == null ? MISSING : next;
      } else if (v == MISSING || v instanceof NullValue) {
        v = MISSING;
      } else {
        throw fail("1: can't evaluate field " + name + " in type " + goType(v));
      }
    }
    return v;
  }

  private static Object call(String name, List<Object> args) throws BuiltinException {
    switch (name) {
      case "len" -> {
        Object v = one(name, args);
        if (v instanceof StringValue s) return NumberValue.of(s.value().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        if (v instanceof ArrayValue a) return NumberValue.of(a.size());
        if (v instanceof ObjectValue o) return NumberValue.of(o.size());
        if (v instanceof SetValue s) return NumberValue.of(s.size());
        throw fail("1: error calling len: len of type " + goType(v));
      }
      case "index" -> {
        if (args.isEmpty()) throw fail("1: wrong number of args for index");
        Object v = args.get(0);
        for (int i = 1; i < args.size(); i++) {
          Object k = args.get(i);
          if (v instanceof ObjectValue o && k instanceof Value kv) {
            Value next = o.get(kv);
            v = next == null ? MISSING : next;
          } else if (v instanceof ArrayValue a && k instanceof NumberValue n && n.fitsLong()) {
            long idx = n.longValueExact();
            if (idx < 0 || idx >= a.size()) throw fail("1: error calling index: index out of range: " + idx);
            v = a.get((int) idx);
          } else {
            throw fail("1: error calling index: cannot index " + goType(v));
          }
        }
        return v;
      }
      case "print", "println", "printf" -> {
        StringBuilder sb = new StringBuilder();
        if (name.equals("printf")) {
          if (args.isEmpty() || !(args.get(0) instanceof StringValue fmt)) throw fail("1: wrong args for printf");
          List<Value> rest = new ArrayList<>();
          for (int i = 1; i < args.size(); i++) rest.add(asValue(args.get(i)));
          return StringValue.of(GoFmt.sprintf(fmt.value(), rest));
        }
        for (int i = 0; i < args.size(); i++) {
          boolean bothNonString = i > 0 && !(args.get(i) instanceof StringValue)
              && !(args.get(i - 1) instanceof StringValue);
          if (i > 0 && (name.equals("println") || bothNonString)) sb.append(' ');
          print(args.get(i), sb);
        }
        if (name.equals("println")) sb.append('\n');
        return StringValue.of(sb.toString());
      }
      case "not" -> { return BooleanValue.of(!truth(one(name, args))); }
      case "and" -> {
        Object last = null;
        for (Object a : args) { last = a; if (!truth(a)) return a; }
        return last;
      }
      case "or" -> {
        Object last = null;
        for (Object a : args) { last = a; if (truth(a)) return a; }
        return last;
      }
      case "eq", "ne", "lt", "le", "gt", "ge" -> {
        if (args.size() < 2) throw fail("1: missing argument for comparison");
        Value a = asValue(args.get(0));
        if (name.equals("eq")) {
          for (int i = 1; i < args.size(); i++) if (a.equals(asValue(args.get(i)))) return BooleanValue.TRUE;
          return BooleanValue.FALSE;
        }
        Value b = asValue(args.get(1));
        if (a.typeRank() != b.typeRank()) throw fail("1: error calling " + name + ": incompatible types for comparison");
        int c = a.compareTo(b);
        return BooleanValue.of(switch (name) {
          case "ne" -> c != 0;
          case "lt" -> c < 0;
          case "le" -> c <= 0;
          case "gt" -> c > 0;
          default -> c >= 0;
        });
      }
      default -> throw fail("1: function \"" + name + "\" not defined");
    }
  }

  private static Object one(String name, List<Object> args) throws BuiltinException {
    if (args.size() != 1) throw fail("1: wrong number of args for " + name + ": want 1 got " + args.size());
    return args.get(0);
  }

  private static Value asValue(Object v) { return v == MISSING || v == null ? NullValue.INSTANCE : (Value) v; }

  private static boolean truth(Object v) {
    if (v == MISSING || v == null || v instanceof NullValue) return false;
    if (v instanceof BooleanValue b) return b.value();
    if (v instanceof NumberValue n) return n.signum() != 0;
    if (v instanceof StringValue s) return !s.value().isEmpty();
    if (v instanceof ArrayValue a) return a.size() > 0;
    if (v instanceof ObjectValue o) return o.size() > 0;
    return ((SetValue) v).size() > 0;
  }

  private static String goType(Object v) {
    if (v instanceof StringValue) return "string";
    if (v instanceof NumberValue) return "json.Number";
    if (v instanceof BooleanValue) return "bool";
    if (v instanceof ArrayValue || v instanceof SetValue) return "[]interface {}";
    if (v instanceof ObjectValue) return "map[string]interface {}";
    return "interface {}";
  }

  private static String text(Object v) {
    StringBuilder sb = new StringBuilder();
    print(v, sb);
    return sb.toString();
  }

  /** Go's {@code %v} of a JSON-decoded value. */
  private static void print(Object v, StringBuilder sb) {
    if (v == MISSING) {
      sb.append("<undefined>");
    } else if (v == null || v instanceof NullValue) {
      sb.append("<no value>");
    } else if (v instanceof StringValue s) {
      sb.append(s.value());
    } else if (v instanceof NumberValue n) {
      sb.append(GoFmt.numberText(n));
    } else if (v instanceof ArrayValue || v instanceof SetValue) {
      List<Value> elems = v instanceof ArrayValue a ? a.elements() : ((SetValue) v).sorted();
      sb.append('[');
      for (int i = 0; i < elems.size(); i++) {
        if (i > 0) sb.append(' ');
        printNested(elems.get(i), sb);
      }
      sb.append(']');
    } else if (v instanceof ObjectValue o) {
      sb.append("map[");
      boolean first = true;
      for (Value k : o.keys()) {
        if (!first) sb.append(' ');
        first = false;
        sb.append(k instanceof StringValue s ? s.value() : dev.portcullis.rego.value.Values.toJson(k)).append(':');
        printNested(o.get(k), sb);
      }
      sb.append(']');
    } else {
      sb.append(v);
    }
  }

  private static void printNested(Value v, StringBuilder sb) {
    if (v instanceof NullValue) sb.append("<nil>"); else print(v, sb);
  }
}
