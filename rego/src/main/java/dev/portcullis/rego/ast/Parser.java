package dev.portcullis.rego.ast;

import dev.portcullis.rego.Location;
import dev.portcullis.rego.RegoException;
import dev.portcullis.rego.ast.Token.Kind;
import dev.portcullis.rego.value.BooleanValue;
import dev.portcullis.rego.value.NullValue;
import dev.portcullis.rego.value.NumberValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Recursive-descent parser for Rego v1 modules and query bodies. Errors are {@code rego_parse_error} at file:row:col. */
public final class Parser {
  private static final Set<String> KEYWORDS = Set.of("not", "some", "every", "with", "as", "if", "contains", "in",
      "else", "default", "import", "package");

  private final String src;
  private final String file;
  private final List<Token> toks;
  private final List<Lexer.Comment> comments;
  private int p;
  private int wildcards;

  private Parser(String src, String file, int rowBase, int colBase) throws RegoException {
    this.src = src;
    this.file = file;
    Lexer lexer = new Lexer(src, file, rowBase, colBase);
    this.toks = lexer.tokens();
    this.comments = lexer.comments;
  }

  public static Module parseModule(String file, String src) throws RegoException {
    return new Parser(src, file, 0, 0).module();
  }

  /** Parses a query body: expressions separated by {@code ;} or newlines. */
  public static Expr[] parseQuery(String src) throws RegoException {
    Parser parser = new Parser(src, "", 0, 0);
    parser.wildcards = 1_000_000;
    parser.skipSeparators();
    List<Expr> out = new ArrayList<>();
    while (!parser.at(Kind.EOF)) {
      out.add(parser.literal());
      if (!parser.at(Kind.EOF) && !parser.at(Kind.SEMI) && !parser.at(Kind.NEWLINE)) {
        throw parser.unexpected("expected end of expression");
      }
      parser.skipSeparators();
    }
    if (out.isEmpty()) throw new RegoException("rego_parse_error", "empty query", new Location("", 1, 1));
    return out.toArray(new Expr[0]);
  }

  // ---------------------------------------------------------------- tokens

  private Token peek() { return toks.get(p); }

  private Token peek(int ahead) { return toks.get(Math.min(p + ahead, toks.size() - 1)); }

  private boolean at(Kind k) { return toks.get(p).kind() == k; }

  private boolean atIdent(String w) { return toks.get(p).isIdent(w); }

  private Token advance() { return toks.get(p++); }

  private Token prev() { return toks.get(p - 1); }

  private Token expect(Kind k, String what) throws RegoException {
    if (!at(k)) throw unexpected("expected " + what);
    return advance();
  }

  private void skipNewlines() {
    while (at(Kind.NEWLINE)) p++;
  }

  private void skipSeparators() {
    while (at(Kind.NEWLINE) || at(Kind.SEMI)) p++;
  }

  private Location loc(Token t) { return new Location(file, t.row(), t.col()); }

  private RegoException unexpected(String expected) {
    Token t = peek();
    String what = switch (t.kind()) {
      case EOF -> "eof token";
      case NEWLINE -> "newline token";
      case IDENT -> KEYWORDS.contains(t.text()) ? t.text() + " keyword" : "ident token";
      case STRING, RAW_STRING -> "string token";
      case NUMBER -> "number token";
      default -> t.text() + " token";
    };
    return new RegoException("rego_parse_error", "unexpected " + what + ": " + expected, loc(t));
  }

  /** True when the token follows the previous one without whitespace. */
  private boolean adjacent() { return p > 0 && peek().offset() == prev().end(); }

  // ---------------------------------------------------------------- module

  private Module module() throws RegoException {
    Module m = new Module(file);
    skipSeparators();
    if (!atIdent("package")) throw unexpected("expected package");
    Token pk = advance();
    m.pkgLoc = loc(pk);
    m.pkg = dottedPath();
    m.pkgAnnotations = Annotations.before(comments, pk.row(), file);
    skipSeparators();
    while (atIdent("import")) {
      Token it = advance();
      List<String> path = dottedPath();
      String alias = null;
      if (atIdent("as")) {
        advance();
        alias = expect(Kind.IDENT, "ident").text();
      }
      m.imports.add(new Module.Import(loc(it), path, alias));
      skipSeparators();
    }
    while (!at(Kind.EOF)) {
      Token start = peek();
      List<Rule> rules = rule(m);
      Value ann = Annotations.before(comments, start.row(), file);
      for (Rule r : rules) {
        r.annotations = ann;
        r.packageAnnotations = m.pkgAnnotations;
        m.rules.add(r);
      }
      if (!at(Kind.EOF) && !at(Kind.NEWLINE) && !at(Kind.SEMI)) throw unexpected("expected end of rule");
      skipSeparators();
    }
    return m;
  }

  /** {@code a.b["c"].d}: a package or import path. */
  private List<String> dottedPath() throws RegoException {
    List<String> out = new ArrayList<>();
    out.add(expect(Kind.IDENT, "ident").text());
    while (true) {
      if (at(Kind.DOT) && adjacent()) {
        advance();
        out.add(expect(Kind.IDENT, "ident").text());
      } else if (at(Kind.LBRACK) && adjacent()) {
        advance();
        Token s = advance();
        if (!s.is(Kind.STRING) && !s.is(Kind.RAW_STRING)) {
          p--;
          throw unexpected("expected string");
        }
        out.add(s.text());
        expect(Kind.RBRACK, "]");
      } else {
        return out;
      }
    }
  }

  private List<Rule> rule(Module m) throws RegoException {
    Token start = peek();
    boolean isDefault = false;
    if (atIdent("default") && !(peek(1).is(Kind.DOT) && peek(1).offset() == peek().end())) {
      advance();
      isDefault = true;
    }
    Rule r = new Rule(loc(peek()), file);
    r.isDefault = isDefault;
    Token nameTok = expect(Kind.IDENT, "ident");
    List<Term> head = new ArrayList<>();
    head.add(new Term.Scalar(loc(nameTok), StringValue.canonical(nameTok.text())));
    while (true) {
      if (at(Kind.DOT) && adjacent()) {
        advance();
        Token t = expect(Kind.IDENT, "ident");
        head.add(new Term.Scalar(loc(t), StringValue.canonical(t.text())));
      } else if (at(Kind.LBRACK) && adjacent()) {
        advance();
        skipNewlines();
        head.add(termIn(false));
        skipNewlines();
        expect(Kind.RBRACK, "]");
      } else {
        break;
      }
    }
    if (at(Kind.LPAREN) && adjacent()) {
      advance();
      r.args = termList(Kind.RPAREN).toArray(new Term[0]);
      r.kind = Rule.Kind.FUNCTION;
    }
    int ground = 0;
    while (ground < head.size() && head.get(ground) instanceof Term.Scalar s && s.value instanceof StringValue) ground++;
    List<String> path = new ArrayList<>(m.pkg);
    for (int i = 0; i < ground; i++) path.add(((StringValue) ((Term.Scalar) head.get(i)).value).value());
    r.path = path.toArray(new String[0]);
    r.suffix = head.subList(ground, head.size()).toArray(new Term[0]);
    r.pkg = String.join(".", m.pkg);
    r.name = nameTok.text();
    if (atIdent("contains")) {
      advance();
      r.kind = Rule.Kind.MULTI;
      r.value = termIn(false);
    } else {
      if (r.kind == null) r.kind = r.suffix.length > 0 ? Rule.Kind.OBJECT : Rule.Kind.COMPLETE;
      if (at(Kind.ASSIGN) || at(Kind.UNIFY)) {
        advance();
        skipNewlines();
        r.value = termIn(false);
      } else {
        r.value = new Term.Scalar(loc(nameTok), BooleanValue.TRUE);
      }
    }
    if (r.kind != Rule.Kind.FUNCTION && r.kind != Rule.Kind.MULTI && r.suffix.length > 0) r.kind = Rule.Kind.OBJECT;
    if (isDefault) {
      r.body = new Expr[] {trueExpr(r.loc)};
      return List.of(r);
    }
    r.body = ruleBody(r.loc);
    Rule tail = r;
    while (true) {
      int save = p;
      skipNewlines();
      if (!atIdent("else")) {
        p = save;
        break;
      }
      Token elseTok = advance();
      Rule e = new Rule(loc(elseTok), file);
      e.kind = r.kind;
      e.path = r.path;
      e.suffix = r.suffix;
      e.args = r.args;
      e.pkg = r.pkg;
      e.name = r.name;
      if (at(Kind.ASSIGN) || at(Kind.UNIFY)) {
        advance();
        e.value = termIn(false);
      } else {
        e.value = new Term.Scalar(loc(elseTok), BooleanValue.TRUE);
      }
      e.body = ruleBody(e.loc);
      tail.elseRule = e;
      tail = e;
    }
    List<Rule> out = new ArrayList<>();
    out.add(r);
    return out;
  }

  private Expr trueExpr(Location l) {
    Expr e = new Expr(l, Expr.Kind.TERM);
    e.term = new Term.Scalar(l, BooleanValue.TRUE);
    e.text = "true";
    return e;
  }

  /** {@code if { ... }}, {@code if expr}, {@code { ... }} or nothing (always true). */
  private Expr[] ruleBody(Location l) throws RegoException {
    if (atIdent("if")) {
      advance();
      skipNewlines();
      if (at(Kind.LBRACE)) {
        int save = p;
        try {
          return braceBody();
        } catch (RegoException e) {
          p = save;
          try {
            return new Expr[] {literal()};
          } catch (RegoException second) {
            throw e;
          }
        }
      }
      return new Expr[] {literal()};
    }
    if (at(Kind.LBRACE)) return braceBody();
    return new Expr[] {trueExpr(l)};
  }

  private Expr[] braceBody() throws RegoException {
    expect(Kind.LBRACE, "{");
    List<Expr> out = bodyUntil(Kind.RBRACE);
    expect(Kind.RBRACE, "}");
    return out.toArray(new Expr[0]);
  }

  private List<Expr> bodyUntil(Kind end) throws RegoException {
    List<Expr> out = new ArrayList<>();
    skipSeparators();
    while (!at(end)) {
      if (at(Kind.EOF)) throw unexpected("expected " + (end == Kind.RBRACE ? "}" : "]"));
      out.add(literal());
      if (!at(end) && !at(Kind.SEMI) && !at(Kind.NEWLINE)) throw unexpected("expected end of expression");
      skipSeparators();
    }
    if (out.isEmpty()) throw unexpected("found empty body");
    return out;
  }

  // ---------------------------------------------------------------- expressions

  private Expr literal() throws RegoException {
    Token start = peek();
    Expr e;
    if (atIdent("some") && !(peek(1).is(Kind.DOT) || peek(1).is(Kind.LBRACK) && peek(1).offset() == start.end())) {
      e = some();
    } else if (atIdent("every") && peek(1).is(Kind.IDENT)) {
      e = every();
    } else if (atIdent("not") && !(peek(1).is(Kind.DOT) && peek(1).offset() == start.end())) {
      advance();
      e = exprTerm();
      e.negated = true;
    } else {
      e = exprTerm();
    }
    List<Expr.With> withs = new ArrayList<>();
    while (atIdent("with") && !refFollows(p) || at(Kind.NEWLINE) && withOnNextLine()) {
      skipNewlines();
      Token w = advance();
      Term target = termIn(false);
      if (!atIdent("as")) throw unexpected("expected as");
      advance();
      Term value = termIn(false);
      withs.add(new Expr.With(loc(w), target, value));
    }
    if (!withs.isEmpty()) e.withs = withs;
    e.text = src.substring(start.offset(), prev().end());
    return e;
  }

  private boolean withOnNextLine() {
    int i = p;
    while (toks.get(i).is(Kind.NEWLINE)) i++;
    return toks.get(i).isIdent("with") && !refFollows(i);
  }

  /** The identifier at token i is the head of a reference ({@code with.foo}), not a keyword. */
  private boolean refFollows(int i) {
    Token next = toks.get(Math.min(i + 1, toks.size() - 1));
    return (next.is(Kind.DOT) || next.is(Kind.LBRACK)) && next.offset() == toks.get(i).end();
  }

  private Expr some() throws RegoException {
    Token s = advance();
    List<Term> terms = new ArrayList<>();
    terms.add(termRelation(false));
    while (at(Kind.COMMA)) {
      advance();
      skipNewlines();
      terms.add(termRelation(false));
    }
    if (atIdent("in")) {
      advance();
      skipNewlines();
      if (terms.size() > 2) throw unexpected("expected at most two variables");
      Expr e = new Expr(loc(s), Expr.Kind.SOME_IN);
      e.key = terms.size() == 2 ? terms.get(0) : null;
      e.value = terms.get(terms.size() - 1);
      e.domain = termRelation(false);
      return e;
    }
    Expr e = new Expr(loc(s), Expr.Kind.SOME_DECL);
    e.declared = new ArrayList<>();
    for (Term t : terms) {
      if (!(t instanceof Term.Var v)) {
        throw new RegoException("rego_parse_error", "expected var", t.loc);
      }
      e.declared.add(v);
    }
    return e;
  }

  private Expr every() throws RegoException {
    Token s = advance();
    Expr e = new Expr(loc(s), Expr.Kind.EVERY);
    Term first = termPrimary(false);
    if (at(Kind.COMMA)) {
      advance();
      e.key = first;
      e.value = termPrimary(false);
    } else {
      e.value = first;
    }
    if (!atIdent("in")) throw unexpected("expected in");
    advance();
    e.domain = termRelation(false);
    if (!at(Kind.LBRACE)) throw unexpected("expected {");
    e.body = braceBody();
    return e;
  }

  private Expr exprTerm() throws RegoException {
    Token start = peek();
    Term lhs = termIn(false, true);
    if (at(Kind.ASSIGN) || at(Kind.UNIFY)) {
      Token op = advance();
      skipNewlines();
      Term rhs = termIn(false);
      Expr e = new Expr(loc(start), Expr.Kind.TERM);
      e.term = new Term.Call(lhs.loc, op.is(Kind.ASSIGN) ? "assign" : "eq", new Term[] {lhs, rhs});
      return e;
    }
    Expr e = new Expr(loc(start), Expr.Kind.TERM);
    e.term = lhs;
    return e;
  }

  // ---------------------------------------------------------------- terms, by precedence

  private Term termIn(boolean noBar) throws RegoException { return termIn(noBar, false); }

  /** {@code pairs}: {@code k, v in xs} is allowed here (top of an expression, inside parentheses). */
  private Term termIn(boolean noBar, boolean pairs) throws RegoException {
    Term lhs = termRelation(noBar);
    while (atIdent("in") || pairs && at(Kind.COMMA)) {
      if (at(Kind.COMMA)) {
        int save = p;
        advance();
        Term val;
        try {
          val = termRelation(noBar);
        } catch (RegoException e) {
          p = save;
          return lhs;
        }
        if (!atIdent("in")) {
          p = save;
          return lhs;
        }
        advance();
        skipNewlines();
        Term coll = termRelation(noBar);
        lhs = new Term.Call(lhs.loc, "internal.member_3", new Term[] {lhs, val, coll});
        continue;
      }
      advance();
      skipNewlines();
      Term rhs = termRelation(noBar);
      lhs = new Term.Call(lhs.loc, "internal.member_2", new Term[] {lhs, rhs});
    }
    return lhs;
  }

  private Term termRelation(boolean noBar) throws RegoException {
    Term lhs = termOr(noBar);
    while (true) {
      String op = switch (peek().kind()) {
        case EQ -> "equal";
        case NEQ -> "neq";
        case LT -> "lt";
        case LTE -> "lte";
        case GT -> "gt";
        case GTE -> "gte";
        default -> null;
      };
      if (op == null) return lhs;
      advance();
      skipNewlines();
      Term rhs = termOr(noBar);
      lhs = new Term.Call(lhs.loc, op, new Term[] {lhs, rhs});
    }
  }

  private Term termOr(boolean noBar) throws RegoException {
    Term lhs = termAnd(noBar);
    while (at(Kind.BAR) && !noBar) {
      advance();
      skipNewlines();
      lhs = new Term.Call(lhs.loc, "or", new Term[] {lhs, termAnd(noBar)});
    }
    return lhs;
  }

  private Term termAnd(boolean noBar) throws RegoException {
    Term lhs = termArith(noBar);
    while (at(Kind.AMP)) {
      advance();
      skipNewlines();
      lhs = new Term.Call(lhs.loc, "and", new Term[] {lhs, termArith(noBar)});
    }
    return lhs;
  }

  private Term termArith(boolean noBar) throws RegoException {
    Term lhs = termFactor(noBar);
    while (at(Kind.PLUS) || at(Kind.MINUS)) {
      String op = advance().is(Kind.PLUS) ? "plus" : "minus";
      skipNewlines();
      lhs = new Term.Call(lhs.loc, op, new Term[] {lhs, termFactor(noBar)});
    }
    return lhs;
  }

  private Term termFactor(boolean noBar) throws RegoException {
    Term lhs = termPrimary(noBar);
    while (at(Kind.STAR) || at(Kind.SLASH) || at(Kind.PERCENT)) {
      Kind k = advance().kind();
      String op = k == Kind.STAR ? "mul" : k == Kind.SLASH ? "div" : "rem";
      skipNewlines();
      lhs = new Term.Call(lhs.loc, op, new Term[] {lhs, termPrimary(noBar)});
    }
    return lhs;
  }

  private Term termPrimary(boolean noBar) throws RegoException {
    Token t = peek();
    Location l = loc(t);
    Term base;
    switch (t.kind()) {
      case NUMBER -> {
        advance();
        base = new Term.Scalar(l, number(t.text(), false));
      }
      case MINUS -> {
        advance();
        if (at(Kind.NUMBER) && adjacent()) {
          base = new Term.Scalar(l, number(advance().text(), true));
        } else {
          throw unexpected("expected number");
        }
      }
      case STRING, RAW_STRING -> {
        advance();
        base = new Term.Scalar(l, StringValue.canonical(t.text()));
      }
      case TEMPLATE -> {
        advance();
        base = template(t);
      }
      case IDENT -> {
        advance();
        boolean named = (at(Kind.DOT) || at(Kind.LPAREN)) && adjacent();
        switch (named ? "" : t.text()) {
          case "true" -> base = new Term.Scalar(l, BooleanValue.TRUE);
          case "false" -> base = new Term.Scalar(l, BooleanValue.FALSE);
          case "null" -> base = new Term.Scalar(l, NullValue.INSTANCE);
          default -> {
            if (t.text().equals("set") && at(Kind.LPAREN) && adjacent() && peek(1).is(Kind.RPAREN)) {
              p += 2;
              return new Term.SetLit(l, new Term[0]);
            }
            if (KEYWORDS.contains(t.text()) && !((at(Kind.DOT) || at(Kind.LBRACK) || at(Kind.LPAREN)) && adjacent())) {
              p--;
              throw unexpected("expected term");
            }
            base = var(l, t.text());
          }
        }
      }
      case LBRACK -> base = arrayOrCompr();
      case LBRACE -> base = objectSetOrCompr();
      case LPAREN -> {
        advance();
        skipNewlines();
        base = termIn(false, true);
        skipNewlines();
        expect(Kind.RPAREN, ")");
      }
      default -> throw unexpected("expected term");
    }
    return postfix(base);
  }

  private Term var(Location l, String name) {
    if (name.equals("_")) return new Term.Var(l, "$" + (wildcards++));
    return new Term.Var(l, name);
  }

  private Term postfix(Term base) throws RegoException {
    List<Term> path = new ArrayList<>();
    Term head = base;
    while (true) {
      if (at(Kind.DOT) && adjacent()) {
        advance();
        Token id = expect(Kind.IDENT, "ident");
        path.add(new Term.Scalar(loc(id), StringValue.canonical(id.text())));
      } else if (at(Kind.LBRACK) && adjacent()) {
        advance();
        skipNewlines();
        path.add(termIn(false));
        skipNewlines();
        expect(Kind.RBRACK, "]");
      } else if (at(Kind.LPAREN) && adjacent()) {
        String name = operatorName(head, path);
        if (name == null) throw unexpected("expected function name");
        advance();
        Term[] args = termList(Kind.RPAREN).toArray(new Term[0]);
        head = new Term.Call(head.loc, name, args);
        path.clear();
      } else {
        break;
      }
    }
    if (path.isEmpty()) return head;
    return new Term.Ref(base.loc, head, path.toArray(new Term[0]));
  }

  private static String operatorName(Term head, List<Term> path) {
    if (!(head instanceof Term.Var v) || v.isWildcard()) return null;
    StringBuilder sb = new StringBuilder(v.name);
    for (Term t : path) {
      if (!(t instanceof Term.Scalar s && s.value instanceof StringValue str)) return null;
      sb.append('.').append(str.value());
    }
    return sb.toString();
  }

  private List<Term> termList(Kind close) throws RegoException {
    List<Term> out = new ArrayList<>();
    skipNewlines();
    while (!at(close)) {
      out.add(termIn(false));
      skipNewlines();
      if (at(Kind.COMMA)) {
        advance();
        skipNewlines();
      } else if (!at(close)) {
        throw unexpected("expected " + (close == Kind.RPAREN ? ")" : close == Kind.RBRACK ? "]" : "}"));
      }
    }
    advance();
    return out;
  }

  private Term arrayOrCompr() throws RegoException {
    Token open = advance();
    Location l = loc(open);
    skipNewlines();
    if (at(Kind.RBRACK)) {
      advance();
      return new Term.ArrayLit(l, new Term[0]);
    }
    Term first = termIn(true);
    skipNewlines();
    if (at(Kind.BAR)) {
      advance();
      List<Expr> body = bodyUntil(Kind.RBRACK);
      expect(Kind.RBRACK, "]");
      return new Term.Compr(l, Term.Compr.Kind.ARRAY, null, first, body.toArray(new Expr[0]));
    }
    List<Term> elems = new ArrayList<>();
    elems.add(first);
    if (at(Kind.COMMA)) {
      advance();
      elems.addAll(termList(Kind.RBRACK));
    } else {
      expect(Kind.RBRACK, "]");
    }
    return new Term.ArrayLit(l, elems.toArray(new Term[0]));
  }

  private Term objectSetOrCompr() throws RegoException {
    Token open = advance();
    Location l = loc(open);
    skipNewlines();
    if (at(Kind.RBRACE)) {
      advance();
      return new Term.ObjectLit(l, new Term[0], new Term[0]);
    }
    Term first = termIn(true);
    skipNewlines();
    if (at(Kind.COLON)) {
      advance();
      skipNewlines();
      Term firstVal = termIn(true);
      skipNewlines();
      if (at(Kind.BAR)) {
        advance();
        List<Expr> body = bodyUntil(Kind.RBRACE);
        expect(Kind.RBRACE, "}");
        return new Term.Compr(l, Term.Compr.Kind.OBJECT, first, firstVal, body.toArray(new Expr[0]));
      }
      List<Term> keys = new ArrayList<>(), vals = new ArrayList<>();
      keys.add(first);
      vals.add(firstVal);
      while (at(Kind.COMMA)) {
        advance();
        skipNewlines();
        if (at(Kind.RBRACE)) break;
        keys.add(termIn(false));
        skipNewlines();
        expect(Kind.COLON, ":");
        skipNewlines();
        vals.add(termIn(false));
        skipNewlines();
      }
      expect(Kind.RBRACE, "}");
      return new Term.ObjectLit(l, keys.toArray(new Term[0]), vals.toArray(new Term[0]));
    }
    if (at(Kind.BAR)) {
      advance();
      List<Expr> body = bodyUntil(Kind.RBRACE);
      expect(Kind.RBRACE, "}");
      return new Term.Compr(l, Term.Compr.Kind.SET, null, first, body.toArray(new Expr[0]));
    }
    List<Term> elems = new ArrayList<>();
    elems.add(first);
    if (at(Kind.COMMA)) {
      advance();
      elems.addAll(termList(Kind.RBRACE));
    } else {
      expect(Kind.RBRACE, "}");
    }
    return new Term.SetLit(l, elems.toArray(new Term[0]));
  }

  private Value number(String text, boolean negative) throws RegoException {
    try {
      NumberValue n = NumberValue.parse(text);
      return negative ? NumberValue.of(n.bigDecimal().negate()) : n;
    } catch (NumberFormatException | ArithmeticException e) {
      throw unexpected("invalid number");
    }
  }

  /** Splits a template body into literal text and parsed expressions. */
  private Term template(Token t) throws RegoException {
    String raw = t.text();
    char quote = raw.charAt(0);
    String body = raw.substring(1);
    List<Object> parts = new ArrayList<>();
    StringBuilder lit = new StringBuilder();
    int i = 0;
    int row = t.row(), col = t.col() + 2;
    while (i < body.length()) {
      char c = body.charAt(i);
      if (c == '\\' && i + 1 < body.length()) {
        char n = body.charAt(i + 1);
        if (n == '{') {
          lit.append('{');
        } else if (quote == '`') {
          lit.append(c).append(n);
        } else {
          String decoded = new Lexer("\"" + c + n + "\"", file).tokens().get(0).text();
          lit.append(decoded);
        }
        i += 2;
        col += 2;
        continue;
      }
      if (c == '{') {
        int depth = 1, j = i + 1;
        while (j < body.length() && depth > 0) {
          char d = body.charAt(j);
          if (d == '"' || d == '`') {
            j = skipString(body, j);
            continue;
          }
          if (d == '$' && j + 1 < body.length() && (body.charAt(j + 1) == '"' || body.charAt(j + 1) == '`')) {
            j = skipString(body, j + 1);
            continue;
          }
          if (d == '{') depth++;
          if (d == '}') depth--;
          j++;
        }
        String exprSrc = body.substring(i + 1, j - 1);
        if (lit.length() > 0) {
          parts.add(lit.toString());
          lit.setLength(0);
        }
        Parser sub = new Parser(exprSrc, file, row - 1, col);
        sub.wildcards = wildcards + 10_000;
        sub.skipNewlines();
        Expr part = sub.literal();
        sub.skipNewlines();
        if (!sub.at(Kind.EOF)) throw sub.unexpected("expected }");
        if (part.kind == Expr.Kind.TERM && !part.negated && part.withs.isEmpty()) {
          parts.add(part.term);
        } else if (part.kind == Expr.Kind.TERM && !part.negated) {
          // {x with input as v}: evaluated as "$tN = x with ..." and the value read from $tN
          Expr bound = new Expr(part.loc, Expr.Kind.TERM);
          bound.term = new Term.Call(part.loc, "eq",
              new Term[] {new Term.Var(part.loc, "$t" + (wildcards++)), part.term});
          bound.withs = part.withs;
          bound.text = part.text;
          parts.add(bound);
        } else {
          throw new RegoException("rego_parse_error", "template expression must be a term", part.loc);
        }
        for (int k = i; k < j; k++) {
          if (body.charAt(k) == '\n') { row++; col = 1; } else col++;
        }
        i = j;
        continue;
      }
      lit.append(c);
      if (c == '\n') { row++; col = 1; } else col++;
      i++;
    }
    if (lit.length() > 0) parts.add(lit.toString());
    return new Term.Template(loc(t), parts);
  }

  private static int skipString(String s, int at) {
    char q = s.charAt(at);
    int j = at + 1;
    int depth = 0;
    while (j < s.length()) {
      char c = s.charAt(j);
      if (c == '\\' && q == '"') {
        j += 2;
        continue;
      }
      if (c == '{') depth++;
      if (c == '}' && depth > 0) depth--;
      if (c == q && depth == 0) return j + 1;
      j++;
    }
    return j;
  }
}
