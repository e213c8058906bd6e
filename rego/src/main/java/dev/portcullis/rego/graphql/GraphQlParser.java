package dev.portcullis.rego.graphql;

import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.BooleanValue;
import dev.portcullis.rego.value.NumberValue;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses GraphQL schema (SDL) and query documents the way vektah/gqlparser does, into the values OPA's
 * {@code graphql.parse_schema} and {@code graphql.parse_query} return: gqlparser's AST as JSON, without positions
 * and without null fields. Errors carry gqlparser's messages and line:column.
 */
public final class GraphQlParser {
  /** A syntax error at a place in the document. */
  public static final class GraphQlError extends Exception {
    public final int line;
    public final int column;

    GraphQlError(String message, int line, int column) {
      super(message, null, false, false);
      this.line = line;
      this.column = column;
    }
  }

  enum Kind {
    EOF("<EOF>"), BANG("!"), DOLLAR("$"), AMP("&"), PAREN_L("("), PAREN_R(")"), SPREAD("..."), COLON(":"),
    EQUALS("="), AT("@"), BRACKET_L("["), BRACKET_R("]"), BRACE_L("{"), BRACE_R("}"), PIPE("|"), NAME("Name"),
    INT("Int"), FLOAT("Float"), STRING("String"), BLOCK_STRING("BlockString");

    final String text;

    Kind(String text) { this.text = text; }
  }

  record Token(Kind kind, String value, int line, int column) {
    String describe() { return value.isEmpty() && kind != Kind.STRING ? kind.text : kind.text + " " + goQuote(value); }
  }

  static final Set<String> LOCATIONS = Set.of("QUERY", "MUTATION", "SUBSCRIPTION", "FIELD", "FRAGMENT_DEFINITION",
      "FRAGMENT_SPREAD", "INLINE_FRAGMENT", "VARIABLE_DEFINITION", "SCHEMA", "SCALAR", "OBJECT", "FIELD_DEFINITION",
      "ARGUMENT_DEFINITION", "INTERFACE", "UNION", "ENUM", "ENUM_VALUE", "INPUT_OBJECT", "INPUT_FIELD_DEFINITION");

  private final List<Token> tokens;
  private int p;
  private Token prev;

  private GraphQlParser(List<Token> tokens) { this.tokens = tokens; }

  public static ObjectValue parse(String source) throws GraphQlError {
    return new GraphQlParser(new Lexer(source).tokens()).document();
  }

  /** Parses a query document (operations and fragments). */
  public static ObjectValue parseQuery(String source) throws GraphQlError {
    return new GraphQlParser(new Lexer(source).tokens()).queryDocument();
  }

  // ---------------------------------------------------------------- query documents

  private ObjectValue queryDocument() throws GraphQlError {
    List<Value> operations = new ArrayList<>(), fragments = new ArrayList<>();
    while (peek().kind() != Kind.EOF) {
      Token t = peek();
      if (t.kind() == Kind.BRACE_L) {
        operations.add(operation());
      } else if (t.kind() == Kind.NAME && Set.of("query", "mutation", "subscription").contains(t.value())) {
        operations.add(operation());
      } else if (t.kind() == Kind.NAME && t.value().equals("fragment")) {
        fragments.add(fragmentDefinition());
      } else {
        throw unexpected();
      }
    }
    Map<Value, Value> doc = obj();
    putList(doc, "Operations", operations);
    putList(doc, "Fragments", fragments);
    return ObjectValue.wrap(doc);
  }

  private Value operation() throws GraphQlError {
    Map<Value, Value> op = obj();
    put(op, "Position", position(peek()));
    if (peek().kind() == Kind.BRACE_L) {
      put(op, "Operation", str("query"));
      put(op, "Name", str(""));
      putList(op, "SelectionSet", requiredSelectionSet());
      return ObjectValue.wrap(op);
    }
    Token type = expect(Kind.NAME);
    if (!Set.of("query", "mutation", "subscription").contains(type.value())) throw unexpected(type);
    put(op, "Operation", str(type.value()));
    put(op, "Name", str(peek().kind() == Kind.NAME ? next().value() : ""));
    putList(op, "VariableDefinitions", variableDefinitions());
    putList(op, "Directives", directives(false));
    putList(op, "SelectionSet", requiredSelectionSet());
    return ObjectValue.wrap(op);
  }

  private List<Value> variableDefinitions() throws GraphQlError {
    List<Value> out = new ArrayList<>();
    many(Kind.PAREN_L, Kind.PAREN_R, () -> {
      Map<Value, Value> v = obj();
      put(v, "Position", position(peek()));
      expect(Kind.DOLLAR);
      put(v, "Variable", str(name()));
      expect(Kind.COLON);
      put(v, "Type", typeReference());
      if (skip(Kind.EQUALS)) put(v, "DefaultValue", valueLiteral(true));
      putList(v, "Directives", directives(false));
      put(v, "Used", BooleanValue.FALSE);
      out.add(ObjectValue.wrap(v));
    });
    return out;
  }

  private List<Value> requiredSelectionSet() throws GraphQlError {
    if (peek().kind() != Kind.BRACE_L) {
      Token t = peek();
      throw new GraphQlError("Expected {, found " + t.kind().text, t.line(), t.column());
    }
    return selectionSet();
  }

  private List<Value> selectionSet() throws GraphQlError {
    List<Value> out = new ArrayList<>();
    some(Kind.BRACE_L, Kind.BRACE_R, () -> out.add(selection()));
    return out;
  }

  private Value selection() throws GraphQlError {
    Map<Value, Value> s = obj();
    put(s, "Position", position(peek()));
    if (skip(Kind.SPREAD)) {
      Token t = peek();
      if (t.kind() == Kind.NAME && !t.value().equals("on")) {
        put(s, "Name", str(name()));
        putList(s, "Directives", directives(false));
        return ObjectValue.wrap(s);
      }
      if (t.kind() == Kind.NAME) {
        next();
        put(s, "TypeCondition", str(name()));
      } else {
        put(s, "TypeCondition", str(""));
      }
      putList(s, "Directives", directives(false));
      putList(s, "SelectionSet", requiredSelectionSet());
      return ObjectValue.wrap(s);
    }
    String alias = name();
    String fieldName = alias;
    if (skip(Kind.COLON)) fieldName = name();
    put(s, "Alias", str(alias));
    put(s, "Name", str(fieldName));
    List<Value> args = new ArrayList<>();
    many(Kind.PAREN_L, Kind.PAREN_R, () -> {
      Map<Value, Value> a = obj();
      put(a, "Name", str(name()));
      expect(Kind.COLON);
      put(a, "Value", valueLiteral(false));
      args.add(ObjectValue.wrap(a));
    });
    putList(s, "Arguments", args);
    putList(s, "Directives", directives(false));
    if (peek().kind() == Kind.BRACE_L) putList(s, "SelectionSet", selectionSet());
    return ObjectValue.wrap(s);
  }

  private Value fragmentDefinition() throws GraphQlError {
    Map<Value, Value> f = obj();
    put(f, "Position", position(peek()));
    expectKeyword("fragment");
    Token n = expect(Kind.NAME);
    if (n.value().equals("on")) throw unexpected(n);
    put(f, "Name", str(n.value()));
    putList(f, "VariableDefinition", variableDefinitions());
    expectKeyword("on");
    put(f, "TypeCondition", str(name()));
    putList(f, "Directives", directives(false));
    putList(f, "SelectionSet", requiredSelectionSet());
    return ObjectValue.wrap(f);
  }

  /**
   * Where a node starts, kept under the key "Position" while validating and removed by {@link #stripPositions}
   * before the AST is returned (gqlparser does not serialize positions).
   */
  private static Value position(Token t) {
    return new ArrayValue(List.of(NumberValue.of(t.line()), NumberValue.of(t.column())));
  }

  /** The AST without the "Position" entries. */
  public static Value stripPositions(Value v) {
    if (v instanceof ObjectValue o) {
      Map<Value, Value> m = obj();
      for (Map.Entry<Value, Value> e : o.map().entrySet()) {
        if (e.getKey().equals(StringValue.of("Position"))) continue;
        m.put(e.getKey(), stripPositions(e.getValue()));
      }
      return ObjectValue.wrap(m);
    }
    if (v instanceof ArrayValue a) {
      List<Value> out = new ArrayList<>();
      for (Value e : a.elements()) out.add(stripPositions(e));
      return new ArrayValue(out);
    }
    return v;
  }

  // ---------------------------------------------------------------- helpers

  private Token peek() { return tokens.get(p); }

  private Token next() {
    prev = tokens.get(p);
    if (p < tokens.size() - 1) p++;
    return prev;
  }

  private boolean skip(Kind k) {
    if (peek().kind() != k) return false;
    next();
    return true;
  }

  private Token expect(Kind k) throws GraphQlError {
    Token t = peek();
    if (t.kind() != k) throw new GraphQlError("Expected " + k.text + ", found " + t.kind().text, t.line(), t.column());
    return next();
  }

  private void expectKeyword(String word) throws GraphQlError {
    Token t = peek();
    if (t.kind() == Kind.NAME && t.value().equals(word)) {
      next();
      return;
    }
    throw new GraphQlError("Expected \"" + word + "\", found " + t.describe(), t.line(), t.column());
  }

  private GraphQlError unexpected() { return unexpected(peek()); }

  private static GraphQlError unexpected(Token t) {
    return new GraphQlError("Unexpected " + t.describe(), t.line(), t.column());
  }

  private String name() throws GraphQlError { return expect(Kind.NAME).value(); }

  private interface Item { void parse() throws GraphQlError; }

  /** gqlparser's {@code some}: optional delimited list that, when present, holds at least one item. */
  private void some(Kind start, Kind end, Item item) throws GraphQlError {
    if (!skip(start)) return;
    boolean called = false;
    while (peek().kind() != end) {
      called = true;
      item.parse();
    }
    if (!called) {
      Token t = peek();
      throw new GraphQlError("expected at least one definition, found " + t.kind().text, t.line(), t.column());
    }
    next();
  }

  /** gqlparser's {@code many}: optional delimited list, possibly empty. */
  private void many(Kind start, Kind end, Item item) throws GraphQlError {
    if (!skip(start)) return;
    while (peek().kind() != end) {
      if (peek().kind() == Kind.EOF) throw unexpected();
      item.parse();
    }
    next();
  }

  private static Map<Value, Value> obj() { return new LinkedHashMap<>(); }

  private static void put(Map<Value, Value> m, String k, Value v) { m.put(StringValue.of(k), v); }

  private static void putList(Map<Value, Value> m, String k, List<Value> v) {
    if (!v.isEmpty()) put(m, k, new ArrayValue(v));
  }

  private static Value str(String s) { return StringValue.of(s); }

  // ---------------------------------------------------------------- document

  private ObjectValue document() throws GraphQlError {
    List<Value> schema = new ArrayList<>(), schemaExt = new ArrayList<>(), directives = new ArrayList<>();
    List<Value> definitions = new ArrayList<>(), extensions = new ArrayList<>();
    while (peek().kind() != Kind.EOF) {
      String description = "";
      boolean described = false;
      if (peek().kind() == Kind.STRING || peek().kind() == Kind.BLOCK_STRING) {
        description = next().value();
        described = true;
      }
      if (peek().kind() != Kind.NAME) throw unexpected();
      switch (peek().value()) {
        case "scalar", "type", "interface", "union", "enum", "input" -> definitions.add(typeDefinition(description));
        case "schema" -> schema.add(schemaDefinition(description));
        case "directive" -> directives.add(directiveDefinition(description));
        case "extend" -> {
          if (described) throw unexpected(prev);
          extension(schemaExt, extensions);
        }
        default -> throw unexpected();
      }
    }
    Map<Value, Value> doc = obj();
    putList(doc, "Schema", schema);
    putList(doc, "SchemaExtension", schemaExt);
    putList(doc, "Directives", directives);
    putList(doc, "Definitions", definitions);
    putList(doc, "Extensions", extensions);
    return ObjectValue.wrap(doc);
  }

  private Value schemaDefinition(String description) throws GraphQlError {
    expectKeyword("schema");
    Map<Value, Value> def = obj();
    put(def, "Description", str(description));
    putList(def, "Directives", directives(true));
    List<Value> ops = new ArrayList<>();
    some(Kind.BRACE_L, Kind.BRACE_R, () -> ops.add(operationType()));
    putList(def, "OperationTypes", ops);
    return ObjectValue.wrap(def);
  }

  private Value operationType() throws GraphQlError {
    Token t = expect(Kind.NAME);
    if (!Set.of("query", "mutation", "subscription").contains(t.value())) throw unexpected(t);
    expect(Kind.COLON);
    Map<Value, Value> op = obj();
    put(op, "Operation", str(t.value()));
    put(op, "Type", str(name()));
    return ObjectValue.wrap(op);
  }

  private Map<Value, Value> definition(String kind, String description, String name) {
    Map<Value, Value> def = obj();
    put(def, "Kind", str(kind));
    put(def, "Description", str(description));
    put(def, "Name", str(name));
    put(def, "BuiltIn", BooleanValue.FALSE);
    return def;
  }

  private Value typeDefinition(String description) throws GraphQlError {
    String keyword = next().value();
    String name = name();
    Map<Value, Value> def;
    switch (keyword) {
      case "scalar" -> {
        def = definition("SCALAR", description, name);
        putList(def, "Directives", directives(true));
      }
      case "type", "interface" -> {
        def = definition(keyword.equals("type") ? "OBJECT" : "INTERFACE", description, name);
        putList(def, "Interfaces", implementsInterfaces());
        putList(def, "Directives", directives(true));
        putList(def, "Fields", fieldsDefinition());
      }
      case "union" -> {
        def = definition("UNION", description, name);
        putList(def, "Directives", directives(true));
        putList(def, "Types", unionMembers());
      }
      case "enum" -> {
        def = definition("ENUM", description, name);
        putList(def, "Directives", directives(true));
        putList(def, "EnumValues", enumValues());
      }
      default -> {
        def = definition("INPUT_OBJECT", description, name);
        putList(def, "Directives", directives(true));
        putList(def, "Fields", inputFields());
      }
    }
    return ObjectValue.wrap(def);
  }

  private void extension(List<Value> schemaExt, List<Value> extensions) throws GraphQlError {
    expectKeyword("extend");
    String keyword = peek().value();
    if (peek().kind() != Kind.NAME) throw unexpected();
    switch (keyword) {
      case "schema" -> {
        next();
        Map<Value, Value> def = obj();
        put(def, "Description", str(""));
        List<Value> dirs = directives(true);
        putList(def, "Directives", dirs);
        List<Value> ops = new ArrayList<>();
        some(Kind.BRACE_L, Kind.BRACE_R, () -> ops.add(operationType()));
        putList(def, "OperationTypes", ops);
        if (dirs.isEmpty() && ops.isEmpty()) throw unexpected();
        schemaExt.add(ObjectValue.wrap(def));
      }
      case "scalar", "type", "interface", "union", "enum", "input" -> {
        next();
        String name = name();
        String kind = switch (keyword) {
          case "scalar" -> "SCALAR";
          case "type" -> "OBJECT";
          case "interface" -> "INTERFACE";
          case "union" -> "UNION";
          case "enum" -> "ENUM";
          default -> "INPUT_OBJECT";
        };
        Map<Value, Value> def = definition(kind, "", name);
        List<Value> interfaces = List.of(), fields = List.of(), types = List.of(), values = List.of();
        if (keyword.equals("type") || keyword.equals("interface")) {
          interfaces = keyword.equals("type") ? implementsInterfaces() : List.of();
        }
        List<Value> dirs = directives(true);
        switch (keyword) {
          case "type", "interface" -> fields = fieldsDefinition();
          case "union" -> types = unionMembers();
          case "enum" -> values = enumValues();
          case "input" -> fields = inputFields();
          default -> { }
        }
        putList(def, "Interfaces", interfaces);
        putList(def, "Directives", dirs);
        putList(def, "Fields", fields);
        putList(def, "Types", types);
        putList(def, "EnumValues", values);
        if (dirs.isEmpty() && interfaces.isEmpty() && fields.isEmpty() && types.isEmpty() && values.isEmpty()) {
          throw unexpected();
        }
        extensions.add(ObjectValue.wrap(def));
      }
      default -> throw unexpected();
    }
  }

  private List<Value> implementsInterfaces() throws GraphQlError {
    List<Value> out = new ArrayList<>();
    if (peek().kind() == Kind.NAME && peek().value().equals("implements")) {
      next();
      skip(Kind.AMP);
      out.add(str(name()));
      while (skip(Kind.AMP)) out.add(str(name()));
    }
    return out;
  }

  private List<Value> unionMembers() throws GraphQlError {
    List<Value> out = new ArrayList<>();
    if (skip(Kind.EQUALS)) {
      skip(Kind.PIPE);
      out.add(str(name()));
      while (skip(Kind.PIPE)) out.add(str(name()));
    }
    return out;
  }

  private List<Value> enumValues() throws GraphQlError {
    List<Value> out = new ArrayList<>();
    some(Kind.BRACE_L, Kind.BRACE_R, () -> {
      Map<Value, Value> v = obj();
      put(v, "Description", str(description()));
      put(v, "Name", str(name()));
      putList(v, "Directives", directives(true));
      out.add(ObjectValue.wrap(v));
    });
    return out;
  }

  private String description() {
    if (peek().kind() == Kind.STRING || peek().kind() == Kind.BLOCK_STRING) return next().value();
    return "";
  }

  private List<Value> fieldsDefinition() throws GraphQlError {
    List<Value> out = new ArrayList<>();
    some(Kind.BRACE_L, Kind.BRACE_R, () -> {
      Map<Value, Value> f = obj();
      put(f, "Description", str(description()));
      put(f, "Name", str(name()));
      putList(f, "Arguments", argumentDefs());
      expect(Kind.COLON);
      put(f, "Type", typeReference());
      putList(f, "Directives", directives(true));
      out.add(ObjectValue.wrap(f));
    });
    return out;
  }

  private List<Value> inputFields() throws GraphQlError {
    List<Value> out = new ArrayList<>();
    some(Kind.BRACE_L, Kind.BRACE_R, () -> out.add(inputValueDef()));
    return out;
  }

  private List<Value> argumentDefs() throws GraphQlError {
    List<Value> out = new ArrayList<>();
    many(Kind.PAREN_L, Kind.PAREN_R, () -> out.add(inputValueDef()));
    return out;
  }

  private Value inputValueDef() throws GraphQlError {
    Map<Value, Value> a = obj();
    put(a, "Description", str(description()));
    put(a, "Name", str(name()));
    expect(Kind.COLON);
    put(a, "Type", typeReference());
    if (skip(Kind.EQUALS)) put(a, "DefaultValue", valueLiteral(true));
    putList(a, "Directives", directives(true));
    return ObjectValue.wrap(a);
  }

  private Value typeReference() throws GraphQlError {
    Map<Value, Value> t = obj();
    if (skip(Kind.BRACKET_L)) {
      put(t, "NamedType", str(""));
      put(t, "Elem", typeReference());
      expect(Kind.BRACKET_R);
    } else {
      put(t, "NamedType", str(name()));
    }
    put(t, "NonNull", BooleanValue.of(skip(Kind.BANG)));
    return ObjectValue.wrap(t);
  }

  private List<Value> directives(boolean isConst) throws GraphQlError {
    List<Value> out = new ArrayList<>();
    while (peek().kind() == Kind.AT) {
      next();
      Map<Value, Value> d = obj();
      put(d, "Name", str(name()));
      List<Value> args = new ArrayList<>();
      many(Kind.PAREN_L, Kind.PAREN_R, () -> {
        Map<Value, Value> a = obj();
        put(a, "Name", str(name()));
        expect(Kind.COLON);
        put(a, "Value", valueLiteral(isConst));
        args.add(ObjectValue.wrap(a));
      });
      putList(d, "Arguments", args);
      put(d, "Location", str(""));
      out.add(ObjectValue.wrap(d));
    }
    return out;
  }

  /** gqlparser's value kinds: Variable 0, Int 1, Float 2, String 3, Block 4, Boolean 5, Null 6, Enum 7, List 8, Object 9. */
  private Value valueLiteral(boolean isConst) throws GraphQlError {
    Token t = peek();
    int kind;
    switch (t.kind()) {
      case BRACKET_L -> {
        List<Value> children = new ArrayList<>();
        many(Kind.BRACKET_L, Kind.BRACKET_R, () -> {
          Map<Value, Value> c = obj();
          put(c, "Name", str(""));
          put(c, "Value", valueLiteral(isConst));
          children.add(ObjectValue.wrap(c));
        });
        return value("", 8, children);
      }
      case BRACE_L -> {
        List<Value> children = new ArrayList<>();
        many(Kind.BRACE_L, Kind.BRACE_R, () -> {
          Map<Value, Value> c = obj();
          put(c, "Name", str(name()));
          expect(Kind.COLON);
          put(c, "Value", valueLiteral(isConst));
          children.add(ObjectValue.wrap(c));
        });
        return value("", 9, children);
      }
      case DOLLAR -> {
        if (isConst) throw unexpected();
        next();
        return value(name(), 0, List.of());
      }
      case INT -> kind = 1;
      case FLOAT -> kind = 2;
      case STRING -> kind = 3;
      case BLOCK_STRING -> kind = 4;
      case NAME -> kind = switch (t.value()) {
        case "true", "false" -> 5;
        case "null" -> 6;
        default -> 7;
      };
      default -> throw unexpected();
    }
    next();
    return value(t.value(), kind, List.of());
  }

  private static Value value(String raw, int kind, List<Value> children) {
    Map<Value, Value> v = obj();
    put(v, "Raw", str(raw));
    put(v, "Kind", NumberValue.of(kind));
    putList(v, "Children", children);
    put(v, "ExpectedTypeHasDefault", BooleanValue.FALSE);
    return ObjectValue.wrap(v);
  }

  private Value directiveDefinition(String description) throws GraphQlError {
    expectKeyword("directive");
    expect(Kind.AT);
    Map<Value, Value> d = obj();
    put(d, "Description", str(description));
    put(d, "Name", str(name()));
    putList(d, "Arguments", argumentDefs());
    boolean repeatable = false;
    if (peek().kind() == Kind.NAME && peek().value().equals("repeatable")) {
      repeatable = true;
      next();
    }
    put(d, "IsRepeatable", BooleanValue.of(repeatable));
    expectKeyword("on");
    List<Value> locations = new ArrayList<>();
    skip(Kind.PIPE);
    locations.add(location());
    while (skip(Kind.PIPE)) locations.add(location());
    put(d, "Locations", new ArrayValue(locations));
    return ObjectValue.wrap(d);
  }

  private Value location() throws GraphQlError {
    Token t = expect(Kind.NAME);
    if (!LOCATIONS.contains(t.value())) throw unexpected(t);
    return str(t.value());
  }

  static String goQuote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  // ---------------------------------------------------------------- lexer

  private static final class Lexer {
    private final String src;
    private int pos;
    private int line = 1;
    private int lineStart;

    Lexer(String src) { this.src = src; }

    List<Token> tokens() throws GraphQlError {
      List<Token> out = new ArrayList<>();
      while (true) {
        Token t = next();
        out.add(t);
        if (t.kind() == Kind.EOF) return out;
      }
    }

    private int col(int at) { return at - lineStart + 1; }

    private Token next() throws GraphQlError {
      while (pos < src.length()) {
        char c = src.charAt(pos);
        if (c == '\n' || c == '\r') {
          pos++;
          if (c == '\r' && pos < src.length() && src.charAt(pos) == '\n') pos++;
          line++;
          lineStart = pos;
        } else if (c == ' ' || c == '\t' || c == ',' || c == '\uFEFF') {
          pos++;
        } else if (c == '#') {
          while (pos < src.length() && src.charAt(pos) != '\n') pos++;
        } else {
          break;
        }
      }
      if (pos >= src.length()) return new Token(Kind.EOF, "", line, col(pos));
      int start = pos;
      char c = src.charAt(pos);
      Kind punct = switch (c) {
        case '!' -> Kind.BANG;
        case '$' -> Kind.DOLLAR;
        case '&' -> Kind.AMP;
        case '(' -> Kind.PAREN_L;
        case ')' -> Kind.PAREN_R;
        case ':' -> Kind.COLON;
        case '=' -> Kind.EQUALS;
        case '@' -> Kind.AT;
        case '[' -> Kind.BRACKET_L;
        case ']' -> Kind.BRACKET_R;
        case '{' -> Kind.BRACE_L;
        case '}' -> Kind.BRACE_R;
        case '|' -> Kind.PIPE;
        default -> null;
      };
      if (punct != null) {
        pos++;
        return new Token(punct, "", line, col(start));
      }
      if (c == '.' && src.startsWith("...", pos)) {
        pos += 3;
        return new Token(Kind.SPREAD, "", line, col(start));
      }
      if (Character.isLetter(c) && c < 128 || c == '_') {
        while (pos < src.length() && (isNameChar(src.charAt(pos)))) pos++;
        return new Token(Kind.NAME, src.substring(start, pos), line, col(start));
      }
      if (c == '-' || Character.isDigit(c)) return number(start);
      if (src.startsWith("\"\"\"", pos)) return blockString(start);
      if (c == '"') return string(start);
      throw new GraphQlError("Unexpected character " + goQuote(String.valueOf(c)), line, col(start));
    }

    private static boolean isNameChar(char c) {
      return c < 128 && (Character.isLetterOrDigit(c) || c == '_');
    }

    private Token number(int start) throws GraphQlError {
      boolean isFloat = false;
      if (src.charAt(pos) == '-') pos++;
      while (pos < src.length() && Character.isDigit(src.charAt(pos))) pos++;
      if (pos < src.length() && src.charAt(pos) == '.') {
        isFloat = true;
        pos++;
        while (pos < src.length() && Character.isDigit(src.charAt(pos))) pos++;
      }
      if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
        isFloat = true;
        pos++;
        if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) pos++;
        while (pos < src.length() && Character.isDigit(src.charAt(pos))) pos++;
      }
      return new Token(isFloat ? Kind.FLOAT : Kind.INT, src.substring(start, pos), line, col(start));
    }

    private Token string(int start) throws GraphQlError {
      int startLine = line;
      pos++;
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (pos >= src.length() || src.charAt(pos) == '\n') {
          throw new GraphQlError("Unterminated string.", line, col(pos));
        }
        char c = src.charAt(pos++);
        if (c == '"') break;
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        char e = pos < src.length() ? src.charAt(pos++) : 0;
        switch (e) {
          case '"' -> sb.append('"');
          case '\\' -> sb.append('\\');
          case '/' -> sb.append('/');
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'u' -> {
            try {
              sb.append((char) Integer.parseInt(src.substring(pos, pos + 4), 16));
            } catch (RuntimeException ex) {
              throw new GraphQlError("Invalid character escape sequence.", line, col(pos));
            }
            pos += 4;
          }
          default -> throw new GraphQlError("Invalid character escape sequence.", line, col(pos));
        }
      }
      // gqlparser places string tokens after the opening quote
      return new Token(Kind.STRING, sb.toString(), startLine, col(start) + 1);
    }

    private Token blockString(int start) throws GraphQlError {
      int startLine = line, startCol = col(start);
      pos += 3;
      StringBuilder raw = new StringBuilder();
      while (true) {
        if (pos >= src.length()) throw new GraphQlError("Unexpected <Invalid>", line, col(pos));
        if (src.startsWith("\"\"\"", pos)) {
          pos += 3;
          break;
        }
        if (src.startsWith("\\\"\"\"", pos)) {
          raw.append("\"\"\"");
          pos += 4;
          continue;
        }
        char c = src.charAt(pos++);
        if (c == '\n' || c == '\r' && (pos >= src.length() || src.charAt(pos) != '\n')) {
          line++;
          lineStart = pos;
        }
        raw.append(c);
      }
      return new Token(Kind.BLOCK_STRING, blockValue(raw.toString()), startLine, startCol + 3);
    }

    /** The GraphQL spec's BlockStringValue: common indentation and blank first/last lines removed. */
    private static String blockValue(String raw) {
      String[] lines = raw.split("\r\n|\n|\r", -1);
      int common = Integer.MAX_VALUE;
      for (int i = 1; i < lines.length; i++) {
        String l = lines[i];
        int indent = 0;
        while (indent < l.length() && (l.charAt(indent) == ' ' || l.charAt(indent) == '\t')) indent++;
        if (indent < l.length() && indent < common) common = indent;
      }
      List<String> out = new ArrayList<>();
      for (int i = 0; i < lines.length; i++) {
        String l = lines[i];
        if (i > 0 && common != Integer.MAX_VALUE) l = l.length() >= common ? l.substring(common) : "";
        out.add(l);
      }
      while (!out.isEmpty() && out.get(0).isBlank()) out.remove(0);
      while (!out.isEmpty() && out.get(out.size() - 1).isBlank()) out.remove(out.size() - 1);
      return String.join("\n", out);
    }
  }
}
