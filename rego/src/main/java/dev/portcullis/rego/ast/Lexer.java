package dev.portcullis.rego.ast;

import dev.portcullis.rego.Location;
import dev.portcullis.rego.RegoException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits Rego source into tokens. Newlines are tokens because they separate body expressions; the parser skips
 * them where they are plain whitespace. Comments are kept aside for {@code # METADATA} blocks.
 */
final class Lexer {
  record Comment(int row, int col, String text) {}

  private final String src;
  private final String file;
  private final int rowBase;
  private final int colBase;
  private int pos;
  private int row = 1;
  private int lineStart;
  final List<Comment> comments = new ArrayList<>();

  Lexer(String src, String file) { this(src, file, 0, 0); }

  /** A lexer over a fragment of a bigger file (template-string expressions) that starts at the given place. */
  Lexer(String src, String file, int rowBase, int colBase) {
    this.src = src;
    this.file = file;
    this.rowBase = rowBase;
    this.colBase = colBase;
  }

  List<Token> tokens() throws RegoException {
    List<Token> out = new ArrayList<>();
    while (true) {
      Token t = next();
      out.add(t);
      if (t.is(Token.Kind.EOF)) return out;
    }
  }

  private RegoException error(String msg) {
    return new RegoException("rego_parse_error", msg, new Location(file, rowBase + row, col()));
  }

  private int col() { return (row == 1 ? colBase : 0) + pos - lineStart + 1; }

  private Token tok(Token.Kind k, String text, int startRow, int startCol, int start) {
    return new Token(k, text, rowBase + startRow, startCol, start, pos);
  }

  private Token next() throws RegoException {
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\r') {
        pos++;
      } else if (c == '#') {
        int start = pos, startCol = col();
        while (pos < src.length() && src.charAt(pos) != '\n') pos++;
        comments.add(new Comment(rowBase + row, startCol, src.substring(start + 1, pos)));
      } else {
        break;
      }
    }
    int startRow = row, startCol = col(), start = pos;
    if (pos >= src.length()) return tok(Token.Kind.EOF, "", startRow, startCol, start);
    char c = src.charAt(pos);
    if (c == '\n') {
      pos++;
      row++;
      lineStart = pos;
      return tok(Token.Kind.NEWLINE, "\n", startRow, startCol, start);
    }
    if (Character.isLetter(c) || c == '_') {
      while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) pos++;
      return tok(Token.Kind.IDENT, src.substring(start, pos), startRow, startCol, start);
    }
    if (Character.isDigit(c) || (c == '.' && pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1))
        && !prevIsTermEnd(start))) {
      return number(startRow, startCol, start);
    }
    if (c == '"') return tok(Token.Kind.STRING, quoted(), startRow, startCol, start);
    if (c == '`') {
      int end = src.indexOf('`', pos + 1);
      if (end < 0) throw error("non-terminated raw string");
      String s = src.substring(pos + 1, end);
      advanceOver(pos + 1, end + 1);
      return tok(Token.Kind.RAW_STRING, s, startRow, startCol, start);
    }
    if (c == '$' && pos + 1 < src.length() && (src.charAt(pos + 1) == '"' || src.charAt(pos + 1) == '`')) {
      return template(startRow, startCol, start);
    }
    pos++;
    char n = pos < src.length() ? src.charAt(pos) : 0;
    Token.Kind k;
    switch (c) {
      case '{' -> k = Token.Kind.LBRACE;
      case '}' -> k = Token.Kind.RBRACE;
      case '[' -> k = Token.Kind.LBRACK;
      case ']' -> k = Token.Kind.RBRACK;
      case '(' -> k = Token.Kind.LPAREN;
      case ')' -> k = Token.Kind.RPAREN;
      case '.' -> k = Token.Kind.DOT;
      case ',' -> k = Token.Kind.COMMA;
      case ';' -> k = Token.Kind.SEMI;
      case ':' -> {
        if (n == '=') { pos++; k = Token.Kind.ASSIGN; } else k = Token.Kind.COLON;
      }
      case '=' -> {
        if (n == '=') { pos++; k = Token.Kind.EQ; } else k = Token.Kind.UNIFY;
      }
      case '!' -> {
        if (n != '=') throw error("illegal ! character");
        pos++;
        k = Token.Kind.NEQ;
      }
      case '<' -> {
        if (n == '=') { pos++; k = Token.Kind.LTE; } else k = Token.Kind.LT;
      }
      case '>' -> {
        if (n == '=') { pos++; k = Token.Kind.GTE; } else k = Token.Kind.GT;
      }
      case '+' -> k = Token.Kind.PLUS;
      case '-' -> k = Token.Kind.MINUS;
      case '*' -> k = Token.Kind.STAR;
      case '/' -> k = Token.Kind.SLASH;
      case '%' -> k = Token.Kind.PERCENT;
      case '&' -> k = Token.Kind.AMP;
      case '|' -> k = Token.Kind.BAR;
      default -> throw error("illegal token '" + c + "'");
    }
    return tok(k, src.substring(start, pos), startRow, startCol, start);
  }

  private boolean prevIsTermEnd(int at) {
    if (at == 0) return false;
    char p = src.charAt(at - 1);
    return Character.isLetterOrDigit(p) || p == '_' || p == ']' || p == ')' || p == '}' || p == '"';
  }

  private void advanceOver(int from, int to) {
    for (int i = from; i < to; i++) {
      if (src.charAt(i) == '\n') {
        row++;
        lineStart = i + 1;
      }
    }
    pos = to;
  }

  private Token number(int startRow, int startCol, int start) throws RegoException {
    while (pos < src.length() && Character.isDigit(src.charAt(pos))) pos++;
    if (pos + 1 < src.length() && src.charAt(pos) == '.' && Character.isDigit(src.charAt(pos + 1))) {
      pos++;
      while (pos < src.length() && Character.isDigit(src.charAt(pos))) pos++;
    }
    if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
      int save = pos;
      pos++;
      if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) pos++;
      if (pos < src.length() && Character.isDigit(src.charAt(pos))) {
        while (pos < src.length() && Character.isDigit(src.charAt(pos))) pos++;
      } else {
        pos = save;
      }
    }
    if (pos < src.length() && (Character.isLetter(src.charAt(pos)) || src.charAt(pos) == '_')) {
      throw error("illegal number format");
    }
    return tok(Token.Kind.NUMBER, src.substring(start, pos), startRow, startCol, start);
  }

  /** Reads a double-quoted string at pos and returns its decoded value. */
  private String quoted() throws RegoException {
    StringBuilder sb = new StringBuilder();
    pos++;
    while (true) {
      if (pos >= src.length() || src.charAt(pos) == '\n') throw error("non-terminated string");
      char c = src.charAt(pos++);
      if (c == '"') return sb.toString();
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (pos >= src.length()) throw error("non-terminated string");
      char e = src.charAt(pos++);
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
          if (pos + 4 > src.length()) throw error("illegal escape sequence");
          try {
            sb.append((char) Integer.parseInt(src.substring(pos, pos + 4), 16));
          } catch (NumberFormatException ex) {
            throw error("illegal escape sequence");
          }
          pos += 4;
        }
        default -> throw error("illegal escape sequence");
      }
    }
  }

  /**
   * A template string {@code $"..{expr}.."} or {@code $`..`}. The token text is the raw body; the parser splits it
   * into literal parts and expressions. Braces inside expressions nest; {@code \{} is a literal brace.
   */
  private Token template(int startRow, int startCol, int start) throws RegoException {
    char quote = src.charAt(pos + 1);
    pos += 2;
    int bodyStart = pos;
    int depth = 0;
    while (true) {
      if (pos >= src.length()) throw error("non-terminated template string");
      char c = src.charAt(pos);
      if (c == '\n') {
        if (quote == '"') throw error("non-terminated template string");
        row++;
        lineStart = pos + 1;
      }
      if (c == '\\' && depth == 0) {
        pos += 2;
        continue;
      }
      if (depth > 0 && (c == '"' || c == '`')) {
        skipNestedString(c);
        continue;
      }
      if (depth > 0 && c == '$' && pos + 1 < src.length() && (src.charAt(pos + 1) == '"' || src.charAt(pos + 1) == '`')) {
        template(row, col(), pos);
        continue;
      }
      if (c == '{') depth++;
      if (c == '}' && depth > 0) depth--;
      if (c == quote && depth == 0) {
        String body = src.substring(bodyStart, pos);
        pos++;
        return new Token(Token.Kind.TEMPLATE, quote + body, rowBase + startRow, startCol, start, pos);
      }
      pos++;
    }
  }

  private void skipNestedString(char q) throws RegoException {
    pos++;
    while (pos < src.length() && src.charAt(pos) != q) {
      if (src.charAt(pos) == '\\' && q == '"') pos++;
      if (src.charAt(pos) == '\n') {
        row++;
        lineStart = pos + 1;
      }
      pos++;
    }
    if (pos >= src.length()) throw error("non-terminated string");
    pos++;
  }
}
